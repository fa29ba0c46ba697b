"""Console configuration for agency admins: their agency's response templates, members and roles, and
units. National roles (verifiers, supervisors) are configured in the Django admin (`/admin/`)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lapor.agencies.models import Agency, Membership, Unit
from lapor.agencies.services import membership_add, membership_remove, unit_create
from lapor.core.errors import ApplicationError, NotFound
from lapor.web.context import viewer
from lapor.web.forms import MemberForm, TemplateForm, UnitForm, apply_error
from lapor.web.services import (
    response_template_create,
    response_template_delete,
    response_template_update,
    response_templates_for,
)
from lapor.web.views.common import forbidden, staff_required

__all__ = ["members", "template_delete", "template_edit", "templates"]


def _agencies(request: HttpRequest) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=viewer(request).admin_agency_ids))


@staff_required
@require_http_methods(["GET", "POST"])
def templates(request: HttpRequest) -> HttpResponse:
    v = viewer(request)
    if not v.admin_agency_ids:
        return forbidden(request, _("Halaman ini untuk admin instansi."))
    agencies = _agencies(request)
    choices = [(a.code, a.name) for a in agencies]
    form = TemplateForm(request.POST or None, agencies=choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        agency = next(a for a in agencies if a.code == d["agency"])
        try:
            response_template_create(actor=v, agency=agency, title=d["title"], body=d["body"])
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Templat disimpan."))
            return redirect("web:templates")
    return render(
        request,
        "web/console/templates.html",
        {"form": form, "templates": response_templates_for(viewer=v), "editing": None},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    v = viewer(request)
    existing = {t.pk: t for t in response_templates_for(viewer=v)}
    if pk not in existing:
        raise Http404
    current = existing[pk]
    choices = [(current.agency.code, current.agency.name)]
    initial = {"agency": current.agency.code, "title": current.title, "body": current.body}
    form = TemplateForm(request.POST or None, agencies=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            response_template_update(
                actor=v, pk=pk, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Templat diperbarui."))
            return redirect("web:templates")
    return render(
        request,
        "web/console/templates.html",
        {"form": form, "templates": list(existing.values()), "editing": current},
    )


@staff_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        response_template_delete(actor=viewer(request), pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("Templat dihapus."))
    return redirect("web:templates")


@staff_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    """The agency admin's own agency: who holds which role, and its units."""
    v = viewer(request)
    if not v.admin_agency_ids:
        return forbidden(request, _("Halaman ini untuk admin instansi."))
    agencies = _agencies(request)
    by_code = {a.code: a for a in agencies}
    units = list(Unit.objects.filter(agency__in=agencies).select_related("agency"))
    agency_choices = [(a.code, a.name) for a in agencies]
    unit_choices = [(u.code, f"{u.agency.short_name or u.agency.code} · {u.name}") for u in units]
    member_form = MemberForm(
        request.POST if "add_member" in request.POST else None, agencies=agency_choices, units=unit_choices
    )
    unit_form = UnitForm(request.POST if "add_unit" in request.POST else None, agencies=agency_choices)
    if request.method == "POST":
        try:
            if "add_member" in request.POST and member_form.is_valid():
                d = member_form.cleaned_data
                unit = next((u for u in units if u.code == d["unit"]), None)
                membership_add(
                    actor=v, agency=by_code[d["agency"]], username=d["username"], role=d["role"], unit=unit
                )
                messages.success(request, _("Peran diberikan."))
                return redirect("web:members")
            if "add_unit" in request.POST and unit_form.is_valid():
                d = unit_form.cleaned_data
                unit_create(actor=v, agency=by_code[d["agency"]], slug=d["slug"], name=d["name"])
                messages.success(request, _("Unit kerja ditambahkan."))
                return redirect("web:members")
            if "remove" in request.POST:
                membership_remove(actor=v, membership_id=int(request.POST["remove"]))
                messages.success(request, _("Peran dicabut."))
                return redirect("web:members")
        except NotFound as error:
            raise Http404(error.message) from error
        except ApplicationError as error:
            if "add_member" in request.POST:
                apply_error(member_form, error)
            elif "add_unit" in request.POST:
                apply_error(unit_form, error)
            else:
                messages.error(request, error.message)
        except ValueError:
            messages.error(request, _("Permintaan tidak valid."))
    rows = Membership.objects.filter(agency__in=agencies).select_related("user", "agency", "unit")
    return render(
        request,
        "web/console/members.html",
        {"memberships": rows, "units": units, "member_form": member_form, "unit_form": unit_form},
    )
