"""One report's public page (`/laporan/<tracking_id>`), the reporter's actions on it (reply,
confirm with a rating, reopen, provide information), "dukung", and access-checked attachments."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lapor.core.errors import ApplicationError, NotFound
from lapor.core.ids import normalize_tracking_id
from lapor.reports import services
from lapor.reports.attachments import download_headers
from lapor.reports.journal import report_or_filing
from lapor.reports.models import Attachment
from lapor.reports.privacy import attachment_served, attachments_visible
from lapor.reports.selectors import ReportAccess, report_get
from lapor.reports.services.reporter import MAX_REOPENS
from lapor.reports.workflow import Actor, Status
from lapor.web.context import access_code_for, is_htmx, viewer
from lapor.web.deadlines import deadline_state, deadline_words, report_zone
from lapor.web.forms import ACTION_FORMS, AccessCodeForm, apply_error
from lapor.web.pagecache import public_page
from lapor.web.presenters import public_view, reporter_view, stepper, timeline
from lapor.web.views.common import forbidden, safe_next

__all__ = ["attachment", "report_action", "report_detail", "support"]

REPORTER_ACTIONS = {
    Status.ON_HOLD: ("provide_info",),
    Status.RESPONDED: ("confirm", "reply"),
    Status.CLOSED: ("reopen",),
}


def load(request: HttpRequest, tracking_id: str, *, or_filing: bool = False) -> ReportAccess:
    """The report for this request's viewer (with the guest's remembered code), or 404. `or_filing`:
    a reporter's own filing not yet written out (ADR 0033) too, to look at, not to act on."""
    canonical = normalize_tracking_id(tracking_id) or tracking_id
    get = report_or_filing if or_filing else report_get
    try:
        return get(
            viewer=viewer(request), tracking_id=canonical, access_code=access_code_for(request, canonical)
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc


def reporter_actions(access: ReportAccess) -> tuple[str, ...]:
    if Actor.REPORTER not in access.capacities:
        return ()
    actions = REPORTER_ACTIONS.get(Status(access.report.status), ())
    if "reopen" in actions and access.report.reopen_count >= MAX_REOPENS:
        return ()
    return actions


def _page(
    request: HttpRequest,
    access: ReportAccess,
    forms: dict[str, Form] | None = None,
    status: int = 200,
    extra: dict[str, str] | None = None,
) -> HttpResponse:
    report = access.report
    is_reporter = Actor.REPORTER in access.capacities
    actions = reporter_actions(access)
    bound = forms or {}
    tz = report_zone(report)
    context: dict[str, Any] = {
        "report": report,
        "r": reporter_view(access) if is_reporter else public_view(access),
        "is_reporter": is_reporter,
        "is_handler": access.is_handler,
        "steps": stepper(report.status),
        "timeline": timeline(access, staff=False),
        "due_words": deadline_words(report.due_at, tz=tz),
        "due_state": deadline_state(report.due_at, tz=tz),
        "forms": {action: bound.get(action) or ACTION_FORMS[action]() for action in actions},
        "code_form": None if is_reporter or request.user.is_authenticated else AccessCodeForm(),
        "can_support": report.is_public and not is_reporter,
        **(extra or {}),
    }
    return render(request, "web/report_detail.html", context, status=status)


@require_GET
def report_detail(request: HttpRequest, tracking_id: str) -> HttpResponse:
    shared = public_page(
        request, tracking_id, lambda extra: _page(request, load(request, tracking_id), extra=extra)
    )
    if shared is not None:
        return shared
    access = load(request, tracking_id, or_filing=True)
    if access.report.tracking_id != tracking_id:
        return redirect("web:report", tracking_id=access.report.tracking_id)
    if access.pending:
        return render(request, "web/report_pending.html", {"report": access.report})
    return _page(request, access)


@require_POST
def report_action(request: HttpRequest, tracking_id: str, action: str) -> HttpResponse:
    """The reporter's own actions; anyone else gets the same answer as for a report they cannot see
    (404) or, if they can see it, 403."""
    if action not in {"provide_info", "reply", "confirm", "reopen"}:
        raise Http404
    access = load(request, tracking_id)
    if Actor.REPORTER not in access.capacities:
        return forbidden(request)
    form = ACTION_FORMS[action](request.POST)
    if not form.is_valid():
        return _page(request, access, {action: form})
    d, report, who = form.cleaned_data, access.report, viewer(request)
    code = access_code_for(request, report.tracking_id)
    try:
        match action:
            case "provide_info":
                services.report_provide_info(report=report, actor=who, message=d["message"], access_code=code)
            case "reply":
                services.report_reply(report=report, actor=who, message=d["message"], access_code=code)
            case "confirm":
                services.report_confirm(
                    report=report, actor=who, rating=d["rating"], comment=d["comment"], access_code=code
                )
            case "reopen":
                services.report_reopen(report=report, actor=who, message=d["message"], access_code=code)
    except ApplicationError as error:
        if error.status == 403:
            return forbidden(request, error.message)
        if error.status == 404:
            raise Http404(error.message) from error
        apply_error(form, error)
        return _page(request, load(request, tracking_id), {action: form})
    messages.success(request, _("Terima kasih. Tanggapan Anda sudah tercatat."))
    return redirect("web:report", tracking_id=report.tracking_id)


@require_POST
def support(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """ "Dukung": signed-in citizens only; htmx swaps the button for the new count."""
    if not request.user.is_authenticated:
        return redirect_to_login(safe_next(request) or reverse("web:report", args=[tracking_id]))
    access = load(request, tracking_id)
    error = ""
    created = False
    try:
        count, created = services.report_support(report=access.report, actor=viewer(request))
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        count, error = access.report.supporters_count, exc.message
    context = {"count": count, "supported": not error, "created": created, "error": error}
    if is_htmx(request):
        return render(request, "web/fragments/support_result.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Terima kasih atas dukungan Anda."))
    return redirect(safe_next(request) or reverse("web:report", args=[access.report.tracking_id]))


@require_http_methods(["GET", "HEAD"])
def attachment(request: HttpRequest, tracking_id: str, pk: int) -> HttpResponseBase:
    """Files only ever through this check, always as a download that cannot run in the page."""
    access = load(request, tracking_id)
    found = Attachment.objects.filter(pk=pk, report=access.report).first()
    if found is None or not attachments_visible(access):
        raise Http404
    attachment_served(access, found, surface="web")
    response = FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.name, content_type=found.content_type
    )
    return download_headers(response)
