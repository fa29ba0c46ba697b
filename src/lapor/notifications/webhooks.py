"""Webhooks out: which subscriptions hear of a report event, what they are sent, and the writes
(subscribe, unsubscribe, replay). Deliveries are written inside the event's transaction, like the
e-mail outbox (ADR 0007), and sent after commit by `webhook_delivery`.

Payloads carry the report's public facts and the event's public message, never a reporter's
identity (not even for named reports: a receiver is a machine, it does not need one) and never an
internal note. Confidential reports reach only subscriptions whose scope covers the handling agency."""

import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q

from lapor.agencies.access import viewer_for
from lapor.agencies.models import Agency
from lapor.audit.services import audit_record
from lapor.core import batch, clock
from lapor.core.errors import Invalid
from lapor.core.models import User
from lapor.core.tasks import by_worker
from lapor.notifications.egress import names_private_host
from lapor.notifications.webhook_models import EventType, Subscription, WebhookDelivery
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.workflow import Action

__all__ = [
    "event_types_of",
    "payload_for",
    "subscription_create",
    "subscription_delete",
    "subscriptions_for",
    "webhook_replay",
    "webhooks_write",
]

# When one event matches several types, the delivery is named by the most specific one.
PRIORITY = (
    EventType.ROUTED,
    EventType.RESPONDED,
    EventType.REPLIED,
    EventType.ESCALATED,
    EventType.STATUS_CHANGED,
)
REPLIES = {Action.REPLY, Action.PROVIDE_INFO, Action.REOPEN}


def event_types_of(event: TimelineEvent) -> list[str]:
    types: set[str] = set()
    if event.action == Action.ROUTE:
        types.add(EventType.ROUTED)
    if event.action == Action.RESPOND:
        types.add(EventType.RESPONDED)
    if event.action in REPLIES:
        types.add(EventType.REPLIED)
    if event.action == Action.ESCALATE:
        types.add(EventType.ESCALATED)
    if event.from_status and event.from_status != event.to_status:
        types.add(EventType.STATUS_CHANGED)
    return [str(t) for t in PRIORITY if t in types]


def scope_ids(agency_id: int, *, include_children: bool) -> set[int]:
    ids = {agency_id}
    frontier = {agency_id}
    while include_children and frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    return ids


def _covers(subscription: Subscription, agency_ids: set[int]) -> bool:
    if subscription.agency_id is None or not agency_ids:
        return False
    return bool(
        scope_ids(subscription.agency_id, include_children=subscription.include_children) & agency_ids
    )


def subscriptions_for(event: TimelineEvent, types: Iterable[str]) -> list[tuple[Subscription, list[str]]]:
    report = event.report
    agencies = {a for a in (report.agency_id, event.agency_id) if a is not None}
    public_event = event.visibility == TimelineEvent.Visibility.PUBLIC
    wanted = set(types)
    found = []
    for subscription in Subscription.objects.filter(active=True, owner__is_active=True):
        matched = [str(t) for t in PRIORITY if t in wanted and t in subscription.events]
        if not matched:
            continue
        if _covers(subscription, agencies):
            found.append((subscription, matched))
        elif report.confidential or not public_event:
            continue  # confidential: the handling agency's scope only
        elif subscription.owner_id == report.reporter_id or (
            subscription.agency_id is None and report.is_public
        ):
            found.append((subscription, matched))
    return found


def _code(obj: Any) -> str | None:
    return obj.code if obj is not None else None


def payload_for(
    *, delivery_id: uuid.UUID, event: TimelineEvent, types: list[str], own: bool
) -> dict[str, Any]:
    """`own`: the subscriber filed the report, so it gets its own external reference back."""
    report: Report = event.report
    public = event.visibility == TimelineEvent.Visibility.PUBLIC
    return {
        "id": str(delivery_id),
        "type": types[0],
        "types": types,
        "created_at": event.created_at.isoformat(),
        "report": {
            "tracking_id": report.tracking_id,
            "status": report.status,
            "kind": report.kind,
            "title": report.title,
            "category": _code(report.category),
            "agency": _code(report.agency),
            "unit": _code(report.unit),
            "region": report.region_id,
            "channel": report.channel,
            "external_ref": report.external_ref if own else None,
            "confidential": report.confidential,
            "escalation_level": report.escalation_level,
            "due_at": report.due_at.isoformat() if report.due_at else None,
            "url": f"{settings.LAPOR_SITE_URL.rstrip('/')}/laporan/{report.tracking_id}/",
        },
        "event": {
            "id": event.pk,
            "action": event.action,
            "from_status": event.from_status or None,
            "to_status": event.to_status,
            "agency": _code(event.agency),
            "unit": _code(event.unit),
            "reason": event.reason or None,
            "message": event.message if public else "",
            "level": event.data.get("level"),
            "created_at": event.created_at.isoformat(),
        },
    }


def webhooks_write(event: TimelineEvent) -> list[WebhookDelivery]:
    """Inside the event's transaction: one delivery per matching subscription, due at once."""
    types = event_types_of(event)
    if not types:
        return []
    rows = []
    for subscription, matched in subscriptions_for(event, types):
        delivery_id = uuid.uuid4()
        body = payload_for(
            delivery_id=delivery_id,
            event=event,
            types=matched,
            own=subscription.owner_id == event.report.reporter_id,
        )
        rows.append(
            WebhookDelivery(
                id=delivery_id,
                subscription=subscription,
                dedupe_key=f"event{event.pk}:sub{subscription.pk}",
                event_type=matched[0],
                tracking_id=event.report.tracking_id,
                body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
            )
        )
    # Written due, with the event's other writes (ADR 0032); the worker's relay enqueues them, as it
    # does the outbox (ADR 0028). Only the immediate backend, with no worker, enqueues on commit.
    batch.insert(*rows, ignore_conflicts=True)
    if rows and not by_worker():
        from lapor.notifications.webhook_delivery import enqueue

        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: enqueue(ids), robust=True)
    return rows


def subscription_create(
    *,
    owner: User,
    name: str,
    url: str,
    events: Iterable[str],
    agency: Agency | None,
    include_children: bool = True,
) -> Subscription:
    """Who may subscribe to which scope is decided by the caller's surface (API, admin)."""
    chosen = sorted(set(events))
    if not chosen or any(e not in EventType.values for e in chosen):
        raise Invalid(
            f"events harus berisi salah satu dari: {', '.join(EventType.values)}.",
            code="invalid_choice",
            field="events",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise Invalid("URL tujuan harus alamat http(s).", code="invalid", field="url") from exc
    if not settings.LAPOR_WEBHOOK_ALLOW_PRIVATE and names_private_host(url):
        raise Invalid("URL tujuan harus alamat publik di internet.", code="private_address", field="url")
    if not name.strip() or len(name) > 100:
        raise Invalid("Nama wajib diisi (maksimal 100 karakter).", code="required", field="name")
    with transaction.atomic():
        subscription = Subscription.objects.create(
            owner=owner,
            name=name.strip(),
            url=url,
            events=chosen,
            agency=agency,
            include_children=include_children,
        )
        _audit("webhook.subscribe", owner, subscription)
    return subscription


def _staff(user: User | None) -> bool:
    """A citizen's own subscriptions stay out of the audit log: it can never be edited, so it must not
    hold a reporter's name. Staff, the command line (None) and superusers are recorded."""
    return user is None or user.is_superuser or viewer_for(user).is_staff_member


def _audit(action: str, actor: User | None, subscription: Subscription) -> None:
    if subscription.agency_id is None and not _staff(actor):
        return
    audit_record(
        action=action,
        actor=actor,
        target_type="webhook",
        target_id=subscription.pk,
        payload={"agency": subscription.agency_id, "events": list(subscription.events)},
    )


def subscription_delete(*, subscription: Subscription, actor: User | None = None) -> None:
    with transaction.atomic():
        subscription.active = False
        subscription.save(update_fields=["active"])
        _audit("webhook.unsubscribe", actor or subscription.owner, subscription)


def webhook_replay(*, deliveries: Q, actor: User | None = None) -> int:
    """Send again, exactly the body that was sent before (same delivery id, so receivers that keep
    ids can tell), with a fresh round of attempts."""
    ids = list(WebhookDelivery.objects.filter(deliveries).values_list("pk", flat=True))
    with transaction.atomic():
        count = WebhookDelivery.objects.filter(pk__in=ids).update(
            state=WebhookDelivery.State.PENDING, attempts=0, next_attempt_at=clock.now()
        )
        if ids and _staff(actor):
            audit_record(
                action="webhook.replay",
                actor=actor,
                target_type="webhook_delivery",
                target_id=str(ids[0]) if len(ids) == 1 else f"{len(ids)} deliveries",
                payload={"deliveries": [str(i) for i in ids[:100]], "count": len(ids)},
            )
    from lapor.notifications.webhook_delivery import enqueue

    transaction.on_commit(lambda: enqueue(ids), robust=True)
    return count
