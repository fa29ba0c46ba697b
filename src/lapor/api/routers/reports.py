"""Reports: file, read, list, act, follow the timeline, support, download attachments. Each handler
is parse -> access -> one service -> render; privacy lives in selectors and presenters, not here."""

import json
from datetime import date
from typing import Any

import pydantic
from django.http import FileResponse, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field

from lapor.agencies.models import Agency, Unit
from lapor.api.auth import api_key_of, require_permission, require_user
from lapor.api.errors import ErrorOut
from lapor.api.pagination import PageParams, paginate
from lapor.api.schemas import ActionIn, EventOut, ReportIn, ReportOut, ReportPage, SubmittedOut, SupportOut
from lapor.core.errors import Invalid, NotFound
from lapor.core.keyset import COUNT_CAP, NEWEST_FIRST
from lapor.reports import services
from lapor.reports.attachments import download_headers
from lapor.reports.journal import report_or_filing
from lapor.reports.models import Attachment
from lapor.reports.presenters import event_out, report_out, report_summary, summarized
from lapor.reports.privacy import attachment_served, attachments_visible
from lapor.reports.selectors import (
    ReportAccess,
    ReportFilters,
    report_get,
    reports_listed,
    timeline_visible_to,
)
from lapor.reports.workflow import Action
from lapor.reports.workflow import Status as ReportStatus

router = Router(tags=["reports"])

ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
}
MULTIPART_AND_JSON = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ReportIn"}},
            "multipart/form-data": {
                "schema": {
                    "allOf": [
                        {"$ref": "#/components/schemas/ReportIn"},
                        {
                            "type": "object",
                            "properties": {
                                "attachments": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                },
                            },
                        },
                    ]
                }
            },
        },
        "required": True,
    }
}


def _viewer(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _access_code(request: HttpRequest) -> str | None:
    return request.headers.get("X-Access-Code") or request.GET.get("access_code")


def _parse_report(request: HttpRequest) -> ReportIn:
    """JSON or multipart with the same field names; multipart files come under `attachments`."""
    content_type = request.content_type or ""
    try:
        if content_type.startswith("multipart/form-data"):
            data: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "tags"}
            data["tags"] = request.POST.getlist("tags")
            for key, value in list(data.items()):
                if value == "" and key in {
                    "incident_date",
                    "lat",
                    "lon",
                    "region",
                    "category",
                    "target_agency",
                }:
                    data[key] = None
        else:
            data = json.loads(request.body or b"null")
            if not isinstance(data, dict):
                raise ValidationError([{"type": "json_invalid", "loc": ["body"], "msg": "not an object"}])
        return ReportIn.model_validate(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:  # not JSON, or not even UTF-8
        raise ValidationError([{"type": "json_invalid", "loc": ["body"], "msg": str(exc)}]) from exc
    except pydantic.ValidationError as exc:
        errors = [
            {**error, "loc": ("body", "payload", *error["loc"])} for error in exc.errors(include_url=False)
        ]
        raise ValidationError(errors) from exc


@router.post(
    "/reports", response={201: SubmittedOut, 200: SubmittedOut, **ERRORS}, openapi_extra=MULTIPART_AND_JSON
)
def create_report(request: HttpRequest) -> Any:
    """File a report as a signed-in citizen, or as a guest with a name and an e-mail or phone.
    A guest receives a secret `access_code` to follow the report. Pushing the same `external_ref`
    again returns the stored report (200) instead of a duplicate."""
    payload = _parse_report(request)
    viewer = _viewer(request)
    require_permission(request, "submit")
    key = api_key_of(request)
    channel = key.channel if key is not None else "api"
    draft = services.ReportDraft(channel=channel, **payload.model_dump())
    # Only a multipart body has files; asking a JSON request for them builds empty dicts for nothing.
    multipart = (request.content_type or "").startswith("multipart/form-data")
    files = request.FILES.getlist("attachments") if multipart else []
    submitted = services.report_file(draft=draft, actor=viewer, files=files)
    body = SubmittedOut(
        tracking_id=submitted.report.tracking_id,
        status=ReportStatus(submitted.report.status),
        access_code=submitted.access_code,
        created=submitted.created,
    )
    return Status(201 if submitted.created else 200, body)


class ReportQuery(PageParams):
    status: ReportStatus | None = None
    kind: str | None = Field(None, max_length=20)
    category: str | None = Field(None, max_length=32)
    agency: str | None = Field(None, max_length=64)
    region: str | None = Field(None, max_length=13)
    q: str | None = Field(None, max_length=200)
    date_from: date | None = None
    date_to: date | None = None
    mine: bool = False


@router.get("/reports", response={200: ReportPage, **ERRORS})
def list_reports(request: HttpRequest, params: Query[ReportQuery]) -> Any:
    """Reports this caller may see: the public sees verified, non-confidential reports."""
    filters = ReportFilters(**params.model_dump(exclude={"page", "page_size", "cursor"}))
    # Within the first COUNT_CAP rows by page number, the search index may answer (ADR 0035).
    indexed = params.cursor is None and params.page * params.page_size <= COUNT_CAP
    reports = reports_listed(viewer=_viewer(request), filters=filters, indexed=indexed)
    page = paginate(summarized(reports), params, NEWEST_FIRST)
    page["items"] = [report_summary(report) for report in page["items"]]
    return page


def _access(request: HttpRequest, tracking_id: str, access_code: str | None = None) -> ReportAccess:
    return report_get(
        viewer=_viewer(request), tracking_id=tracking_id, access_code=access_code or _access_code(request)
    )


def _access_or_filing(request: HttpRequest, tracking_id: str) -> ReportAccess:
    return report_or_filing(
        viewer=_viewer(request), tracking_id=tracking_id, access_code=_access_code(request)
    )


@router.get("/reports/{tracking_id}", response={200: ReportOut, **ERRORS})
def get_report(request: HttpRequest, tracking_id: str) -> Any:
    """One report; a guest reporter passes the access code as `X-Access-Code` (or `?access_code=`).
    In the seconds after filing, before the report is written out, its reporter sees it as submitted,
    without a timeline (ADR 0033)."""
    return report_out(_access_or_filing(request, tracking_id))


@router.get("/reports/{tracking_id}/timeline", response={200: list[EventOut], **ERRORS})
def get_timeline(request: HttpRequest, tracking_id: str) -> Any:
    """The public part of the timeline, or all of it for the staff handling the report."""
    access = _access_or_filing(request, tracking_id)
    return [event_out(e, staff=access.is_handler) for e in timeline_visible_to(access)]


def _agency(code: str | None, field: str = "agency") -> Agency:
    agency = Agency.objects.filter(code=code).first() if code else None
    if agency is None:
        raise Invalid("Kode instansi tidak dikenal.", code="unknown_agency", field=field)
    return agency


def _unit(code: str | None, *, required: bool) -> Unit | None:
    if not code:
        if required:
            raise Invalid("Unit kerja wajib diisi.", code="required", field="unit")
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Invalid("Kode unit kerja tidak dikenal.", code="unknown_unit", field="unit")
    return unit


def _perform(access: ReportAccess, action: Action, p: ActionIn) -> None:
    report, viewer = access.report, access.viewer
    code = p.access_code or None
    match action:
        case Action.ROUTE:
            services.report_route(
                report=report,
                agency=_agency(p.agency),
                unit=_unit(p.unit, required=False),
                actor=viewer,
                message=p.message,
                note=p.note,
            )
        case Action.HOLD:
            services.report_hold(report=report, actor=viewer, message=p.message, note=p.note)
        case Action.ARCHIVE:
            services.report_archive(
                report=report, actor=viewer, reason=p.reason or "", message=p.message, note=p.note
            )
        case Action.MERGE:
            if not p.duplicate_of:
                raise Invalid("Nomor laporan tujuan wajib diisi.", code="required", field="duplicate_of")
            try:
                target = report_get(viewer=viewer, tracking_id=p.duplicate_of).report
            except NotFound as exc:
                raise Invalid(
                    "Laporan tujuan tidak ditemukan.", code="unknown_report", field="duplicate_of"
                ) from exc
            services.report_merge(report=report, duplicate_of=target, actor=viewer, note=p.note)
        case Action.ACCEPT:
            services.report_accept(report=report, actor=viewer, message=p.message)
        case Action.FORWARD:
            unit = _unit(p.unit, required=True)
            assert unit is not None  # nosec B101  # type narrowing; _unit(required=True) raised already
            services.report_forward(report=report, unit=unit, actor=viewer, note=p.note)
        case Action.DECLINE:
            services.report_decline(
                report=report, actor=viewer, reason=p.reason or "", message=p.message, note=p.note
            )
        case Action.RESPOND:
            services.report_respond(report=report, actor=viewer, message=p.message, note=p.note)
        case Action.PROVIDE_INFO:
            services.report_provide_info(report=report, actor=viewer, message=p.message, access_code=code)
        case Action.REPLY:
            services.report_reply(report=report, actor=viewer, message=p.message, access_code=code)
        case Action.CONFIRM:
            services.report_confirm(
                report=report, actor=viewer, rating=p.rating, comment=p.comment, access_code=code
            )
        case Action.REOPEN:
            services.report_reopen(report=report, actor=viewer, message=p.message, access_code=code)
        case Action.AUTO_CLOSE:
            services.report_auto_close(report=report, actor=viewer)
        case Action.ESCALATE:
            services.report_escalate(report=report, actor=viewer)
        case Action.EXTEND:
            services.report_extend(
                report=report, actor=viewer, working_days=p.working_days, message=p.message
            )
        case _:  # every action of the table must be handled above
            raise AssertionError(f"unhandled action {action}")


@router.post("/reports/{tracking_id}/actions/{action}", response={200: ReportOut, **ERRORS})
def act_on_report(request: HttpRequest, tracking_id: str, action: Action, payload: ActionIn) -> Any:
    """Take one workflow action (DESIGN §5). 409 when the action is not allowed from the current
    status (nothing changes); 403 when the caller may see the report but not take this action."""
    access = _access(request, tracking_id, payload.access_code)
    _perform(access, action, payload)
    return report_out(_access(request, tracking_id, payload.access_code))


@router.post("/reports/{tracking_id}/support", response={200: SupportOut, **ERRORS})
def support_report(request: HttpRequest, tracking_id: str) -> Any:
    """ "Dukung": support a public report instead of filing the same thing again. Once per person."""
    viewer = require_user(_viewer(request))
    access = _access(request, tracking_id)
    supporters, created = services.report_support(report=access.report, actor=viewer)
    return {"supporters": supporters, "supported": True, "created": created}


@router.get(
    "/reports/{tracking_id}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="report_attachment",
)
def download_attachment(request: HttpRequest, tracking_id: str, attachment_id: int) -> Any:
    """Files are only ever served through this access check, always as a download."""
    access = _access(request, tracking_id)
    attachment = Attachment.objects.filter(pk=attachment_id, report=access.report).first()
    if attachment is None or not attachments_visible(access):
        raise NotFound("Lampiran tidak ditemukan.")
    attachment_served(access, attachment, surface="api")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    return download_headers(response)
