"""Console intake pages: an officer records a walk-in or paper complaint on a citizen's behalf (the
citizen is the reporter: a guest with the access code printed for them), and the webhook deliveries
of the officer's agencies, with replay."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lapor.agencies.access import Viewer
from lapor.agencies.models import Category
from lapor.audit.services import audit_record
from lapor.core.errors import ApplicationError
from lapor.notifications.webhook_models import WebhookDelivery
from lapor.notifications.webhooks import webhook_replay
from lapor.reports import services
from lapor.reports.models import Kind
from lapor.web.context import viewer
from lapor.web.forms import apply_error
from lapor.web.views.common import page_of, staff_required

__all__ = ["WalkInForm", "walk_in", "webhook_deliveries", "webhook_replay_view"]


class WalkInForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Cara masuk"),
        choices=[("walk_in", gettext_lazy("Datang langsung")), ("paper", gettext_lazy("Surat"))],
    )
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=Kind.choices)
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=200, required=False)
    body = forms.CharField(label=gettext_lazy("Isi laporan"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), required=False)
    region = forms.CharField(
        label=gettext_lazy("Kode wilayah"),
        max_length=13,
        required=False,
        help_text=gettext_lazy("mis. 34.04"),
    )
    address = forms.CharField(label=gettext_lazy("Lokasi kejadian"), max_length=300, required=False)
    incident_date = forms.DateField(
        label=gettext_lazy("Tanggal kejadian"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reporter_name = forms.CharField(label=gettext_lazy("Nama pelapor"), max_length=150)
    reporter_phone = forms.CharField(label=gettext_lazy("Telepon pelapor"), max_length=32, required=False)
    reporter_email = forms.EmailField(label=gettext_lazy("Surel pelapor"), required=False)
    anonymous = forms.BooleanField(label=gettext_lazy("Rahasiakan identitas pelapor"), required=False)
    confidential = forms.BooleanField(
        label=gettext_lazy("Laporan rahasia (tidak dipublikasikan)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)  # nosec B101  # type narrowing of a declared field
        category.choices = [("", "—"), *((c.code, c.name) for c in Category.objects.all())]


@staff_required
@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest) -> HttpResponse:
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        draft = services.ReportDraft(
            body=d["body"],
            kind=d["kind"],
            title=d["title"],
            category=d["category"] or None,
            region=d["region"] or None,
            address=d["address"],
            incident_date=d["incident_date"],
            reporter_name=d["reporter_name"],
            reporter_phone=d["reporter_phone"],
            reporter_email=d["reporter_email"],
            anonymous=d["anonymous"],
            confidential=d["confidential"],
            channel=d["channel"],
        )
        try:
            with transaction.atomic():
                # The citizen is the reporter, not the officer: a guest report with its own access code.
                submitted = services.report_submit(draft=draft, actor=Viewer.public())
                # Who typed it in is a staff action, kept in the audit chain with the report.
                audit_record(
                    action="report.intake",
                    actor=request.user,  # type: ignore[arg-type]
                    target_type="report",
                    target_id=submitted.report.tracking_id,
                    payload={"channel": d["channel"]},
                )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return render(
                request,
                "web/console/intake_done.html",
                {"report": submitted.report, "access_code": submitted.access_code},
            )
    return render(request, "web/console/intake.html", {"form": form})


def _deliveries(v: Viewer) -> QuerySet[WebhookDelivery]:
    qs = WebhookDelivery.objects.select_related("subscription", "subscription__agency")
    if v.sees_everything:
        return qs
    return qs.filter(Q(subscription__owner=v.user) | Q(subscription__agency_id__in=v.admin_agency_ids))


@staff_required
@require_http_methods(["GET"])
def webhook_deliveries(request: HttpRequest) -> HttpResponse:
    qs = _deliveries(viewer(request))
    state = request.GET.get("state", "")
    if state in WebhookDelivery.State.values:
        qs = qs.filter(state=state)
    return render(
        request,
        "web/console/webhooks.html",
        {"page": page_of(request, qs), "state": state, "states": WebhookDelivery.State.choices},
    )


@staff_required
@require_POST
def webhook_replay_view(request: HttpRequest, pk: str) -> HttpResponse:
    staff = viewer(request)
    delivery = _deliveries(staff).filter(pk=pk).first()
    if delivery is None:
        raise Http404
    webhook_replay(deliveries=Q(pk=delivery.pk), actor=staff.user)
    messages.success(request, _("Pengiriman dijadwalkan ulang."))
    return redirect("web:webhook_deliveries")
