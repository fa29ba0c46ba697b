"""Open311 GeoReport v2 endpoints. Each view: parse → access (the public, or the viewer of the
`api_key`) → one service or selector → render in the format of the path's suffix. Errors are the
spec's list of {code, description} with 400, 403 or 404."""

import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import DataError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lapor.agencies.access import Viewer
from lapor.agencies.models import Category
from lapor.api.open311.formats import FORMATS, errors, render
from lapor.channels import open311 as spec
from lapor.channels.apikeys import apikey_authenticate, viewer_for_key
from lapor.channels.models import ApiKey, IntakeToken, Permission
from lapor.channels.updates import update_push
from lapor.core import clock
from lapor.core.errors import ApplicationError, Forbidden, Invalid, NotFound, Unauthenticated
from lapor.reports import services
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.selectors import report_get, reports_visible_to

__all__ = [
    "discovery",
    "request_detail",
    "requests",
    "service_definition",
    "services_list",
    "token",
    "updates",
]

SPAN = timedelta(days=90)  # the spec's default window
LIMIT = 1000  # ... or the first 1,000 requests, whichever is smaller
View = Callable[..., HttpResponse]


def _status_for(exc: ApplicationError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Forbidden | Unauthenticated):
        return 403
    return 400


def open311_view(view: View) -> View:
    """Format check, jurisdiction check, and ApplicationError → the spec's error list."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return errors("xml", 404, f"Format '{fmt}' tidak didukung; gunakan .xml atau .json.")
        params = request.POST if request.method == "POST" else request.GET
        jurisdiction = params.get("jurisdiction_id", "").strip()
        if jurisdiction and jurisdiction != settings.LAPOR_OPEN311_JURISDICTION:
            return errors(fmt, 404, f"jurisdiction_id '{jurisdiction}' tidak dikenal.")
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except ApplicationError as exc:
            return errors(fmt, _status_for(exc), exc.message)
        except DataError:  # a NUL or an out-of-range number in a parameter that reached a filter
            return errors(fmt, 400, "Parameter berisi nilai yang tidak valid.")

    return csrf_exempt(wrapped)


def _key(request: HttpRequest, *, required: bool) -> ApiKey | None:
    params = request.POST if request.method == "POST" else request.GET
    raw = params.get("api_key") or request.headers.get("X-API-Key", "")
    if not raw:
        if required:
            raise Forbidden("api_key wajib diisi.")
        return None
    key = apikey_authenticate(raw)
    if key is None:
        raise Forbidden("api_key tidak valid atau sudah dicabut.")
    return key


def _viewer(request: HttpRequest) -> Viewer:
    key = _key(request, required=False)
    return viewer_for_key(key) if key else Viewer.public()


def _never_confidential(viewer: Viewer) -> Any:
    """Open311 is a public protocol: confidential reports never appear, whatever the key's scope."""
    return spec.with_status_notes(
        reports_visible_to(viewer=viewer).filter(confidential=False).select_related("category")
    )


@require_http_methods(["GET"])
@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    return render(
        fmt,
        "discovery",
        {
            "changeset": spec.CHANGESET,
            "contact": "Pengelola LAPOR, lihat /docs/integration.md; kunci API diterbitkan operator.",
            "key_service": "Hubungi operator LAPOR untuk kunci API (lapor apikey create).",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base.rstrip("/"),
                    "changeset": spec.CHANGESET,
                    "type": "production",
                    "formats": list(dict.fromkeys(v.split(";")[0] for v in FORMATS.values())),
                }
            ],
        },
    )


@require_http_methods(["GET"])
@open311_view
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(fmt, "services", [spec.service_out(c) for c in Category.objects.all()])


@require_http_methods(["GET"])
@open311_view
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise NotFound(f"service_code '{code}' tidak dikenal.")
    return render(fmt, "service_definition", spec.definition_of(category))


@require_http_methods(["GET", "POST"])
@open311_view
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    key = _key(request, required=True)
    assert key is not None  # nosec B101  # type narrowing; _key(required=True) raised already
    if not key.allows(Permission.SUBMIT):
        raise Forbidden("api_key ini tidak boleh mengirim laporan.")
    draft = spec.draft_from_form(request.POST)
    with transaction.atomic():
        submitted = services.report_submit(draft=draft, actor=viewer_for_key(key))
        report = submitted.report
        assert isinstance(report, Report)  # nosec B101  # type narrowing; no external_ref, never a receipt
        issued, _ = IntakeToken.objects.get_or_create(
            report=report, defaults={"token": secrets.token_urlsafe(12)}
        )
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": report.tracking_id,
                "token": issued.token,
                "service_notice": spec.service_notice(report),
                "account_id": None,
            }
        ],
        status=201 if submitted.created else 200,
    )


def _csv(value: str) -> list[str]:
    return [part for part in value.split(",") if part]


def _int(value: str | None, *, name: str, default: int, low: int, high: int) -> int:
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise Invalid(f"{name} harus bilangan {low}–{high}.", field=name)
    return int(value)


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    qs = _never_confidential(_viewer(request))
    if ids := _csv(params.get("service_request_id", "")):  # overrides every other filter (spec)
        if len(ids) > LIMIT:
            raise Invalid(f"Maksimal {LIMIT} service_request_id.")
        rows = list(qs.filter(tracking_id__in=[i.strip().upper() for i in ids]))
        return render(fmt, "service_requests", [spec.request_out(r) for r in rows])
    statuses = _csv(params.get("status", ""))
    if any(s not in {"open", "closed"} for s in statuses):
        raise Invalid("status hanya 'open' atau 'closed'.")
    start = spec.parse_w3c(params["start_date"], name="start_date") if params.get("start_date") else None
    end = spec.parse_w3c(params["end_date"], name="end_date") if params.get("end_date") else None
    if start and end and end < start:
        raise Invalid("end_date harus sesudah start_date.")
    if start and end and end - start > SPAN:
        raise Invalid("Rentang start_date–end_date maksimal 90 hari.")
    if start is None:
        start = (end or clock.now()) - SPAN
    if end is None:
        end = start + SPAN
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    if codes := _csv(params.get("service_code", "")):
        qs = qs.filter(category__code__in=codes)
    if statuses:
        qs = qs.filter(status__in=spec.statuses_for(statuses))
    page = _int(params.get("page"), name="page", default=1, low=1, high=100_000)
    size = _int(params.get("page_size"), name="page_size", default=LIMIT, low=1, high=LIMIT)
    qs = qs.order_by("-created_at", "-id")
    total = qs.count()
    rows = list(qs[(page - 1) * size : page * size])
    response = render(fmt, "service_requests", [spec.request_out(r) for r in rows])
    response["X-Total-Count"] = str(total)
    if page * size < total:
        query = urlencode({**params.dict(), "page": page + 1, "page_size": size})
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query}>; rel="next"'
    return response


@require_http_methods(["GET"])
@open311_view
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    report = report_get(viewer=_viewer(request), tracking_id=request_id).report
    if report.confidential:
        raise NotFound("Laporan tidak ditemukan.")
    row = spec.with_status_notes(
        Report.objects.select_related("category", "agency").filter(pk=report.pk)
    ).get()
    return render(fmt, "service_requests", [spec.request_out(row)])


@require_http_methods(["GET"])
@open311_view
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    issued = IntakeToken.objects.select_related("report").filter(token=token).first()
    if issued is None:
        raise NotFound("Token tidak dikenal.")
    return render(
        fmt, "service_requests", [{"service_request_id": issued.report.tracking_id, "token": issued.token}]
    )


@require_http_methods(["GET", "POST"])
@open311_view
def updates(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        key = _key(request, required=True)
        assert key is not None  # nosec B101  # type narrowing; _key(required=True) raised already
        event = update_push(key=key, form=request.POST)
        return render(fmt, "service_request_updates", [{"update_id": str(event.pk)}], status=201)
    params = request.GET
    end = spec.parse_w3c(params["end_date"], name="end_date") if params.get("end_date") else clock.now()
    start = (
        spec.parse_w3c(params["start_date"], name="start_date")
        if params.get("start_date")
        else end - timedelta(hours=2)  # FixMyStreet polls the last two hours by default
    )
    if end < start or end - start > SPAN:
        raise Invalid("Rentang start_date–end_date harus 0–90 hari.")
    visible = _never_confidential(_viewer(request)).values("pk")
    events = (
        TimelineEvent.objects.filter(
            report__in=visible,
            visibility=TimelineEvent.Visibility.PUBLIC,
            created_at__gte=start,
            created_at__lte=end,
        )
        .exclude(Q(action="submit"))
        .select_related("report")
        .order_by("created_at", "id")[:LIMIT]
    )
    return render(fmt, "service_request_updates", [spec.update_out(e) for e in events])


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    fmt = "json" if request.path.endswith(".json") else "xml"
    return errors(fmt, 404, "Tidak ditemukan.")
