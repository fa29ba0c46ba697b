"""Webhook subscriptions and their deliveries, for integrations (a key with the `webhooks`
permission, scoped to the key's agency) and for agency admins (their own agencies). A subscription
without an agency hears about public reports only. The signing secret is shown once, at creation."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency
from lapor.api.auth import api_key_of, require_permission, require_user
from lapor.api.errors import ErrorOut
from lapor.core.errors import Forbidden, Invalid, NotFound
from lapor.notifications.webhook_models import Subscription, WebhookDelivery
from lapor.notifications.webhooks import subscription_create, subscription_delete, webhook_replay

router = Router(tags=["webhooks"])
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class SubscriptionIn(Schema):
    name: str = Field(..., max_length=100)
    url: str = Field(..., max_length=500)
    events: list[str]
    agency: str | None = Field(None, description="Kode instansi; kosong = laporan publik saja")
    include_children: bool = True


class SubscriptionOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    agency: str | None
    include_children: bool
    active: bool
    created_at: datetime
    secret: str | None = Field(None, description="Hanya ditampilkan sekali, saat dibuat")


class DeliveryOut(Schema):
    id: UUID
    subscription: int
    event_type: str
    tracking_id: str
    state: str
    attempts: int
    last_status: int | None
    last_error: str
    created_at: datetime
    sent_at: datetime | None


def _out(s: Subscription, *, secret: bool = False) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "url": s.url,
        "events": s.events,
        "agency": s.agency.code if s.agency else None,
        "include_children": s.include_children,
        "active": s.active,
        "created_at": s.created_at,
        "secret": s.secret if secret else None,
    }


def _caller(request: HttpRequest) -> Viewer:
    viewer = require_user(request.auth)  # type: ignore[attr-defined]
    require_permission(request, "webhooks")
    return viewer


def _may_scope(request: HttpRequest, viewer: Viewer, agency: Agency | None) -> bool:
    if agency is None:
        return True
    if (key := api_key_of(request)) is not None:
        return agency.pk == key.agency_id
    return viewer.sees_everything or agency.pk in viewer.admin_agency_ids


def _mine(request: HttpRequest, viewer: Viewer) -> Any:
    qs = Subscription.objects.select_related("agency").filter(active=True)
    if api_key_of(request) is None and viewer.admin_agency_ids:
        return qs.filter(owner=viewer.user) | qs.filter(agency_id__in=viewer.admin_agency_ids)
    return qs.filter(owner=viewer.user)


@router.post("/webhooks/subscriptions", response={201: SubscriptionOut, **ERRORS})
def create_subscription(request: HttpRequest, payload: SubscriptionIn) -> Any:
    viewer = _caller(request)
    agency = None
    if payload.agency:
        agency = Agency.objects.filter(code=payload.agency).first()
        if agency is None:
            raise Invalid("Kode instansi tidak dikenal.", code="unknown_agency", field="agency")
    if not _may_scope(request, viewer, agency):
        raise Forbidden("Anda tidak dapat berlangganan laporan instansi ini.", code="forbidden_scope")
    assert viewer.user is not None  # nosec B101  # type narrowing; require_user raised already
    subscription = subscription_create(
        owner=viewer.user,
        name=payload.name,
        url=payload.url,
        events=payload.events,
        agency=agency,
        include_children=payload.include_children,
    )
    return Status(201, _out(subscription, secret=True))


@router.get("/webhooks/subscriptions", response={200: list[SubscriptionOut], **ERRORS})
def list_subscriptions(request: HttpRequest) -> Any:
    return [_out(s) for s in _mine(request, _caller(request))]


@router.delete("/webhooks/subscriptions/{pk}", response={204: None, **ERRORS})
def delete_subscription(request: HttpRequest, pk: int) -> Any:
    caller = _caller(request)
    subscription = _mine(request, caller).filter(pk=pk).first()
    if subscription is None:
        raise NotFound("Langganan tidak ditemukan.")
    subscription_delete(subscription=subscription, actor=caller.user)
    return Status(204, None)


@router.get("/webhooks/deliveries", response={200: list[DeliveryOut], **ERRORS})
def list_deliveries(request: HttpRequest, state: str | None = None) -> Any:
    subscriptions = _mine(request, _caller(request))
    qs = WebhookDelivery.objects.filter(subscription__in=subscriptions)
    if state:
        qs = qs.filter(state=state)
    return [
        {
            **{f: getattr(d, f) for f in DeliveryOut.model_fields if f != "subscription"},
            "subscription": d.subscription_id,
        }
        for d in qs[:200]
    ]


@router.post("/webhooks/deliveries/{delivery_id}/replay", response={202: DeliveryOut, **ERRORS})
def replay_delivery(request: HttpRequest, delivery_id: UUID) -> Any:
    caller = _caller(request)
    subscriptions = _mine(request, caller)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, subscription__in=subscriptions).first()
    if delivery is None:
        raise NotFound("Pengiriman tidak ditemukan.")
    webhook_replay(deliveries=Q(pk=delivery.pk), actor=caller.user)
    delivery.refresh_from_db()
    return Status(
        202,
        {
            **{f: getattr(delivery, f) for f in DeliveryOut.model_fields if f != "subscription"},
            "subscription": delivery.subscription_id,
        },
    )
