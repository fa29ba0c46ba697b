"""The officer console (`/staf/`): queues by role, the report workspace with every action the
workflow allows this officer now, bulk actions, routing suggestions and merge candidates."""

import logging
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency, Unit
from lapor.core.errors import ApplicationError, Invalid, NotFound
from lapor.reports import services
from lapor.reports.presenters import report_summary, summarized
from lapor.reports.queues import KEYS, queue_counts, queue_for, queue_reports, queues_for
from lapor.reports.selectors import ReportAccess, ReportFilters, report_get, reports_visible_to
from lapor.reports.workflow import MOVES, SYSTEM_ONLY, Action, Actor, Status
from lapor.web.context import optional, viewer
from lapor.web.deadlines import deadline_state, deadline_words, report_zone
from lapor.web.forms import ACTION_FORMS, BulkForm, ForwardForm, QueueFilterForm, RespondForm, apply_error
from lapor.web.presenters import stepper, timeline, workspace_view
from lapor.web.services import response_templates_for_report
from lapor.web.views.common import (
    find_agency,
    forbidden,
    list_page,
    query_without_page,
    resolve_typed,
    shown,
    staff_required,
)

__all__ = [
    "dashboard",
    "merge_candidates",
    "queue",
    "queue_bulk",
    "reveal_identity",
    "suggestions",
    "workspace",
    "workspace_action",
]

logger = logging.getLogger(__name__)

STAFF = frozenset({Actor.VERIFIER, Actor.AGENCY_ADMIN, Actor.UNIT_OFFICER})
# The order the workspace offers actions in: the usual next step first.
ACTION_ORDER = ("accept", "route", "forward", "respond", "hold", "extend", "decline", "merge", "archive")
BULK_LIMIT = 100


def officer_actions(access: ReportAccess) -> list[str]:
    """Every action the workflow allows this officer on this report now (plus an internal note)."""
    held = access.capacities & STAFF
    if not held:
        return []
    status = Status(access.report.status)
    allowed = [
        name
        for name in ACTION_ORDER
        if Action(name) not in SYSTEM_ONLY
        and status in MOVES[Action(name)].sources
        and held & MOVES[Action(name)].actors
    ]
    if "extend" in allowed and access.report.resolution_extended:
        allowed.remove("extend")  # once per report
    return [*allowed, "note"]


def _rows(reports: Any) -> list[dict[str, Any]]:
    rows = []
    for report in reports:
        tz = report_zone(report)
        rows.append(
            report_summary(report)
            | {
                "obj": report,
                "due_state": deadline_state(report.due_at, tz=tz),
                "due_words": deadline_words(report.due_at, tz=tz),
            }
        )
    return rows


def _nav(v: Viewer) -> dict[str, Any]:
    counts = queue_counts(viewer=v)
    return {
        "queues": [(q, shown(*counts[q.key])) for q in queues_for(v)],
        "is_agency_admin": bool(v.admin_agency_ids),
    }


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    v = viewer(request)
    nav = _nav(v)
    roles: dict[str, list[Any]] = {}
    for queue_, count in nav["queues"]:
        roles.setdefault(queue_.role, []).append((queue_, count))
    return render(request, "web/console/dashboard.html", {**nav, "roles": roles})


@staff_required
@require_GET
def queue(request: HttpRequest, key: str) -> HttpResponse:
    v = viewer(request)
    try:
        current = queue_for(v, key)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = QueueFilterForm(request.GET or None)
    filters, sort = ReportFilters(), "tenggat"
    if form.is_valid():
        d = form.cleaned_data
        filters = ReportFilters(q=d["q"] or None, kind=d["kind"] or None, category=d["category"] or None)
        sort = d["sort"] or "tenggat"
    reports = queue_reports(viewer=v, key=key, filters=filters, sort=sort)
    # A valid form's sort is one of KEYS; an invalid one left it at "tenggat".
    listed = list_page(request, lambda: reports, KEYS[sort], everything=reports)
    return render(
        request,
        "web/console/queue.html",
        {
            **_nav(v),
            "current": current,
            "form": form,
            "listed": listed,
            "page": listed.page,
            "rows": _rows(listed.rows),
            "query": query_without_page(request),
            "bulk_form": BulkForm(actions=current.bulk) if current.bulk else None,
        },
    )


@staff_required
@require_POST
def queue_bulk(request: HttpRequest, key: str) -> HttpResponse:
    """Route or archive several reports at once: the same service per report, each in its own
    transaction, so one failure never undoes the others; every failure is reported by number."""
    v = viewer(request)
    try:
        current = queue_for(v, key)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not current.bulk:
        return forbidden(request)
    back = reverse("web:queue", args=[key]) + (f"?{request.POST['back']}" if request.POST.get("back") else "")
    data = request.POST.copy()
    data["agency"] = resolve_typed(data.get("agency"), data.get("agency_q"), kind="agency") or ""
    ids = request.POST.getlist("ids")[:BULK_LIMIT]
    form = BulkForm(data, ids=ids, actions=current.bulk)
    if not ids:
        messages.error(request, _("Pilih setidaknya satu laporan."))
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    action, done, failed = form.cleaned_data["action"], [], []
    agency = find_agency(form.cleaned_data["agency"]) if action == "route" else None
    if action == "route" and agency is None:
        messages.error(request, _("Instansi tujuan tidak dikenal."))
        return redirect(back)
    for tracking_id in ids:
        try:
            report = report_get(viewer=v, tracking_id=tracking_id).report
            if action == "route":
                assert agency is not None  # nosec B101  # type narrowing; None answered above
                services.report_route(report=report, agency=agency, actor=v)
            else:
                services.report_archive(report=report, actor=v, reason=form.cleaned_data["reason"])
            done.append(tracking_id)
        except ApplicationError as error:
            failed.append((tracking_id, error.message))
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)d laporan berhasil diproses.", "%(count)d laporan berhasil diproses.", len(done)
            )
            % {"count": len(done)},
        )
    for tracking_id, message in failed:
        messages.error(request, _("%(id)s gagal: %(message)s") % {"id": tracking_id, "message": message})
    return redirect(back)


def _load_staff(request: HttpRequest, tracking_id: str) -> ReportAccess:
    """The workspace is for the staff handling the report (or overseeing it); anyone else: 404."""
    try:
        access = report_get(viewer=viewer(request), tracking_id=tracking_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not access.is_handler:
        raise Http404
    return access


def _units(report: Any) -> list[tuple[str, str]]:
    if report.agency_id is None:
        return []
    return [(u.code, u.name) for u in Unit.objects.filter(agency_id=report.agency_id)]


def _form(action: str, access: ReportAccess, data: Any = None) -> Form:
    """Each action's form carries its name as prefix, so several forms share one page safely."""
    if action == "forward":
        return ForwardForm(data, units=_units(access.report), prefix=action)
    if action == "respond":
        templates = response_templates_for_report(access=access)
        form = RespondForm(data, templates=[(str(t.pk), t.title) for t in templates], prefix=action)
        form.template_bodies = {str(t.pk): t.body for t in templates}  # type: ignore[attr-defined]
        return form
    return ACTION_FORMS[action](data, prefix=action)


def _workspace(
    request: HttpRequest,
    access: ReportAccess,
    bound: dict[str, Form] | None = None,
    *,
    open_action: str | None = None,
) -> HttpResponse:
    report = access.report
    tz = report_zone(report)
    actions = officer_actions(access)
    forms = {name: (bound or {}).get(name) or _form(name, access) for name in actions}
    return render(
        request,
        "web/console/workspace.html",
        {
            **_nav(access.viewer),
            "report": report,
            "r": workspace_view(access),
            "timeline": timeline(access, staff=True),
            "steps": stepper(report.status),
            "due_words": deadline_words(report.due_at, tz=tz),
            "due_state": deadline_state(report.due_at, tz=tz),
            "deadlines": _deadlines(report, tz),
            "actions": actions,
            "forms": forms,
            "open_action": open_action or next(iter(bound or {}), None),
            "read_only": not actions,
        },
    )


def _deadlines(report: Any, tz: str) -> list[tuple[str, str, str | None]]:
    fields = [
        (_("Verifikasi"), report.verify_due_at),
        (_("Tindak lanjut pertama"), report.followup_due_at),
        (_("Penyelesaian"), report.resolution_due_at),
        (_("Tanggapan pelapor"), report.reply_due_at),
        (_("Batas penundaan"), report.hold_expires_at),
    ]
    return [(label, deadline_words(due, tz=tz), deadline_state(due, tz=tz)) for label, due in fields if due]


@staff_required
@require_GET
def workspace(request: HttpRequest, tracking_id: str) -> HttpResponse:
    access = _load_staff(request, tracking_id)
    if access.report.tracking_id != tracking_id:
        return redirect("web:workspace", tracking_id=access.report.tracking_id)
    return _workspace(request, access)


def _perform(access: ReportAccess, action: str, d: dict[str, Any]) -> None:
    report, v = access.report, access.viewer
    match action:
        case "route":
            agency = find_agency(d["agency"])
            if agency is None:
                raise Invalid(_("Instansi tujuan tidak dikenal."), field="agency")
            services.report_route(report=report, agency=agency, actor=v, message=d["message"], note=d["note"])
        case "hold":
            services.report_hold(report=report, actor=v, message=d["message"], note=d["note"])
        case "archive":
            services.report_archive(
                report=report, actor=v, reason=d["reason"], message=d["message"], note=d["note"]
            )
        case "merge":
            try:
                target = report_get(viewer=v, tracking_id=d["duplicate_of"]).report
            except NotFound as exc:
                raise Invalid(_("Laporan utama tidak ditemukan."), field="duplicate_of") from exc
            services.report_merge(report=report, duplicate_of=target, actor=v, note=d["note"])
        case "accept":
            services.report_accept(report=report, actor=v, message=d["message"])
        case "forward":
            unit = Unit.objects.filter(code=d["unit"]).first()
            if unit is None:
                raise Invalid(_("Unit kerja tidak dikenal."), field="unit")
            services.report_forward(report=report, unit=unit, actor=v, note=d["note"])
        case "decline":
            services.report_decline(
                report=report, actor=v, reason=d["reason"], message=d["message"], note=d["note"]
            )
        case "respond":
            services.report_respond(report=report, actor=v, message=d["message"], note=d["note"])
        case "extend":
            services.report_extend(
                report=report, actor=v, working_days=d["working_days"], message=d["message"]
            )
        case "note":
            services.report_note(report=report, actor=v, note=d["note"])


DONE_MESSAGES = {
    "route": gettext_lazy("Laporan didisposisikan."),
    "hold": gettext_lazy("Laporan ditunda; pertanyaan dikirim ke pelapor."),
    "archive": gettext_lazy("Laporan diarsipkan."),
    "merge": gettext_lazy("Laporan digabungkan."),
    "accept": gettext_lazy("Laporan diterima."),
    "forward": gettext_lazy("Laporan diteruskan ke unit kerja."),
    "decline": gettext_lazy("Laporan dikembalikan ke verifikator."),
    "respond": gettext_lazy("Tindak lanjut terkirim ke pelapor."),
    "extend": gettext_lazy("Batas penyelesaian diperpanjang."),
    "note": gettext_lazy("Catatan internal disimpan."),
}


@staff_required
@require_POST
def workspace_action(request: HttpRequest, tracking_id: str, action: str) -> HttpResponse:
    if action not in DONE_MESSAGES:
        raise Http404
    access = _load_staff(request, tracking_id)
    if action not in officer_actions(access):
        return forbidden(request)
    data = request.POST.copy()
    if action == "route":
        data["route-agency"] = (
            resolve_typed(data.get("route-agency"), data.get("route-agency_q"), kind="agency") or ""
        )
    form = _form(action, access, data)
    if not form.is_valid():
        return _workspace(request, access, {action: form})
    try:
        _perform(access, action, form.cleaned_data)
    except ApplicationError as error:
        if error.status == 403:
            return forbidden(request, error.message)
        if error.status == 404:
            raise Http404(error.message) from error
        if error.status == 409 and not error.field:
            messages.error(request, error.message)
            return redirect("web:workspace", tracking_id=access.report.tracking_id)
        apply_error(form, error)
        return _workspace(request, _load_staff(request, tracking_id), {action: form})
    messages.success(request, str(DONE_MESSAGES[action]))
    try:  # after a decline the agency no longer handles the report: back to the queues then
        still_handling = report_get(viewer=viewer(request), tracking_id=access.report.tracking_id).is_handler
    except NotFound:
        still_handling = False
    if not still_handling:
        return redirect("web:console")
    return redirect("web:workspace", tracking_id=access.report.tracking_id)


@staff_required
@require_POST
def reveal_identity(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """A national verifier opens an anonymous reporter's identity; the look is audited."""
    access = _load_staff(request, tracking_id)
    if not access.viewer.is_verifier:
        return forbidden(request)
    r = workspace_view(access, reveal_identity=True)
    return render(request, "web/fragments/identity.html", {"r": r, "report": access.report})


@staff_required
@require_GET
def suggestions(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """The router's top agencies for the route form (empty until `lapor.routing` exists)."""
    access = _load_staff(request, tracking_id)
    items: list[Any] = []
    if "route" in officer_actions(access):
        report = access.report
        suggest = optional("lapor.routing.suggest", "suggest")
        if suggest is not None:
            try:
                items = list(
                    suggest(
                        title=report.title,
                        body=report.body,
                        region=report.region_id,
                        category=report.category.code if report.category else None,
                        limit=3,
                    )
                )
            except Exception:  # an aid, never a blocker
                logger.exception("routing suggestions failed")
        routable = set(
            Agency.objects.filter(code__in=[i.agency_code for i in items], active=True)
            .exclude(kind=Agency.Kind.NATIONAL_NODE)
            .values_list("code", flat=True)
        )
        items = [i for i in items if i.agency_code in routable]
    return render(request, "web/fragments/suggestions.html", {"items": items})


@staff_required
@require_GET
def merge_candidates(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """Reports that say the same thing, as merge targets (empty until `lapor.routing` exists)."""
    access = _load_staff(request, tracking_id)
    rows: list[dict[str, Any]] = []
    if "merge" in officer_actions(access):
        report, v = access.report, access.viewer
        similar_reports = optional("lapor.routing.duplicates", "similar_reports")
        found: list[Any] = []
        if similar_reports is not None:
            try:
                found = list(
                    similar_reports(
                        viewer=v,
                        title=report.title,
                        body=report.body,
                        region=report.region_id,
                        category=report.category.code if report.category else None,
                        exclude_tracking_id=report.tracking_id,
                        limit=5,
                    )
                )
            except Exception:
                logger.exception("similar_reports failed")
        ids = [item.tracking_id for item in found if item.tracking_id != report.tracking_id]
        visible = {
            r.tracking_id: r
            for r in summarized(
                reports_visible_to(viewer=v).filter(tracking_id__in=ids).exclude(status=Status.ARCHIVED)
            )
        }
        scores = {item.tracking_id: item.score for item in found}
        rows = [report_summary(visible[i]) | {"score": scores[i]} for i in ids if i in visible]
    return render(request, "web/fragments/merge_candidates.html", {"rows": rows})
