"""The public portal: file a report (`/`), the confirmation, the public list and search, tracking."""

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lapor.agencies.access import Viewer
from lapor.core.errors import ApplicationError, NotFound
from lapor.core.ids import normalize_tracking_id
from lapor.core.keyset import NEWEST_FIRST
from lapor.reports import services
from lapor.reports.journal import report_or_filing
from lapor.reports.presenters import report_summary, summarized
from lapor.reports.selectors import ReportFilters, reports_listed, reports_visible_to
from lapor.reports.workflow import Actor, Status
from lapor.web.context import access_code_for, is_htmx, optional, remember_access_code, viewer
from lapor.web.deadlines import deadline_words, report_zone
from lapor.web.forms import ATTACHMENT_TYPES, AccessCodeForm, ReportFilterForm, ReportForm, attachment_limits
from lapor.web.views.common import (
    find_agency,
    find_region,
    list_page,
    query_without_page,
    resolve_typed,
)

__all__ = ["confirmation", "home", "report_list", "similar", "track"]

logger = logging.getLogger(__name__)
LATEST = 5
# Statuses the public list can filter on: the public never sees unverified or archived reports.
PUBLIC_STATUSES = [Status.ROUTED, Status.IN_PROGRESS, Status.RESPONDED, Status.CLOSED]


def _form_context(request: HttpRequest, form: ReportForm, **extra: Any) -> dict[str, Any]:
    data = form.data if form.is_bound else {}
    latest = summarized(reports_visible_to(viewer=Viewer.public()))[:LATEST]
    return {
        "form": form,
        "selected_region": find_region(data.get("region") or form.initial.get("region")),
        "selected_agency": find_agency(data.get("target_agency")),
        "limits": attachment_limits(),
        "accept": ATTACHMENT_TYPES,
        "map_tiles": settings.LAPOR_MAP_TILE_URL,
        "map_attribution": settings.LAPOR_MAP_ATTRIBUTION,
        "reports": [report_summary(r) for r in latest],
        **extra,
    }


def _render_form(request: HttpRequest, form: ReportForm, **extra: Any) -> HttpResponse:
    template = "web/fragments/report_form.html" if is_htmx(request) else "web/home.html"
    return render(request, template, _form_context(request, form, **extra))


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for the htmx-posted form (a full page load, not a swap)."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """File a report in one page, signed in or as a guest."""
    who = viewer(request)
    if request.method != "POST":
        return _render_form(request, ReportForm(signed_in=who.is_authenticated))
    data = request.POST.copy()
    data["region"] = resolve_typed(data.get("region"), data.get("region_q"), kind="region") or ""
    data["target_agency"] = (
        resolve_typed(data.get("target_agency"), data.get("target_agency_q"), kind="agency") or ""
    )
    form = ReportForm(data, signed_in=who.is_authenticated)
    files = request.FILES.getlist("attachments")
    if not form.is_valid():
        return _render_form(request, form, attachment_error=_("Pilih ulang lampiran Anda.") if files else "")
    d = form.cleaned_data
    draft = services.ReportDraft(
        body=d["body"],
        kind=d["kind"],
        title=d["title"],
        incident_date=d["incident_date"],
        region=d["region"] or None,
        address=d["address"],
        lat=d["lat"],
        lon=d["lon"],
        category=d["category"] or None,
        target_agency=d["target_agency"] or None,
        anonymous=d["anonymous"],
        confidential=d["confidential"],
        reporter_name=d["reporter_name"],
        reporter_email=d["reporter_email"] or "",
        reporter_phone=d["reporter_phone"],
        channel="web",
    )
    try:
        submitted = services.report_file(draft=draft, actor=who, files=files)
    except ApplicationError as error:
        if error.field == "attachments":
            return _render_form(request, form, attachment_error=error.message)
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render_form(request, form, attachment_error=_("Pilih ulang lampiran Anda.") if files else "")
    tracking_id = submitted.report.tracking_id
    if submitted.access_code:
        remember_access_code(request, tracking_id, submitted.access_code)
        # Shown once, on the confirmation page; the session keeps it so the guest need not retype it.
        request.session["lapor_new_code"] = {"tracking_id": tracking_id, "code": submitted.access_code}
    return _done(request, reverse("web:confirmation", args=[tracking_id]))


@require_GET
def confirmation(request: HttpRequest, tracking_id: str) -> HttpResponse:
    who = viewer(request)
    try:
        access = report_or_filing(
            viewer=who, tracking_id=tracking_id, access_code=access_code_for(request, tracking_id)
        )
    except NotFound:
        return redirect("web:report", tracking_id=tracking_id)
    if Actor.REPORTER not in access.capacities:
        return redirect("web:report", tracking_id=tracking_id)
    new = request.session.get("lapor_new_code") or {}
    code = new.get("code") if new.get("tracking_id") == access.report.tracking_id else None
    report = access.report
    return render(
        request,
        "web/confirmation.html",
        {
            "report": report,
            "access_code": code,
            "verify_due": deadline_words(report.verify_due_at, tz=report_zone(report)),
        },
    )


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """ "Dukung laporan ini?": public reports like the one being typed (htmx, after the body)."""
    title = request.GET.get("title", "")[:200]
    body = request.GET.get("body", "")[:2000]
    candidates: list[dict[str, Any]] = []
    if len(body.strip()) >= 20:
        candidates = _similar_public(
            viewer(request),
            title=title,
            body=body,
            region=request.GET.get("region") or None,
            category=request.GET.get("category") or None,
        )
    return render(request, "web/fragments/similar.html", {"candidates": candidates})


def _similar_public(viewer_: Viewer, **text: Any) -> list[dict[str, Any]]:
    similar_reports = optional("lapor.routing.duplicates", "similar_reports")
    if similar_reports is None:
        return []
    try:
        found = similar_reports(viewer=viewer_, limit=5, **text)
    except Exception:  # the router is an aid: never let it break filing
        logger.exception("similar_reports failed")
        return []
    ids = [item.tracking_id for item in found]
    # Whatever the router returns, a citizen is shown public reports only.
    public = {
        r.tracking_id: r
        for r in summarized(reports_visible_to(viewer=Viewer.public()).filter(tracking_id__in=ids))
    }
    return [report_summary(public[i]) for i in ids if i in public]


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Public reports with search, filters and pagination; confidential ones never appear."""
    form = ReportFilterForm(request.GET or None, statuses=PUBLIC_STATUSES)
    filters = ReportFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = ReportFilters(
            q=d["q"] or None,
            kind=d["kind"] or None,
            category=d["category"] or None,
            status=d["status"] or None,
            agency=resolve_typed(d["agency"], d["agency_q"], kind="agency"),
            region=resolve_typed(d["region"], d["region_q"], kind="region"),
        )
    # The public list is the public's view, whoever is signed in: no own or handled reports mixed in.
    # Page numbers stop at COUNT_CAP rows, so the search index may answer them (ADR 0035).
    public = Viewer.public()
    listed = list_page(
        request,
        lambda: reports_listed(viewer=public, filters=filters, indexed=True),
        NEWEST_FIRST,
        everything=reports_visible_to(viewer=public, filters=filters),
    )
    context = {
        "form": form,
        "listed": listed,
        "page": listed.page,
        "reports": [report_summary(r) | {"obj": r} for r in listed.rows],
        "query": query_without_page(request),
        "selected_region": find_region(filters.region),
        "selected_agency": find_agency(filters.agency),
    }
    return render(request, "web/report_list.html", context)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Find a report by its tracking ID; a guest adds the access code to act on their own report."""
    tracking_id = (request.POST.get("tracking_id") or request.GET.get("tracking_id") or "").strip()
    code_form = AccessCodeForm(request.POST or None)
    error = ""
    if tracking_id:
        canonical = normalize_tracking_id(tracking_id)
        if canonical is None:
            error = _("Nomor laporan tidak valid. Periksa kembali, misalnya LPR-7K3M9Q2X.")
        elif request.method == "POST" and code_form.is_valid():
            code = code_form.cleaned_data["access_code"]
            try:
                access = report_or_filing(viewer=viewer(request), tracking_id=canonical, access_code=code)
            except NotFound:
                access = None
            if access is not None and Actor.REPORTER in access.capacities:
                remember_access_code(request, canonical, code)
                messages.success(request, _("Kode akses benar. Anda dapat menindaklanjuti laporan Anda."))
                return redirect("web:report", tracking_id=canonical)
            error = _("Nomor laporan atau kode akses tidak cocok.")
        else:
            return redirect("web:report", tracking_id=canonical)
    return render(
        request, "web/track.html", {"tracking_id": tracking_id, "code_form": code_form, "error": error}
    )
