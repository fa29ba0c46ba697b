"""`/akun/data/`: a person downloads everything LAPOR holds about them, or deletes their account
(password required). The work is done by `notifications.personal_data` (ADR 0018)."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lapor.core import clock
from lapor.core.errors import ApplicationError
from lapor.notifications.personal_data import account_delete, personal_data_export
from lapor.web.context import viewer

__all__ = ["data_delete", "data_download", "data_page"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Saya mengerti bahwa akun saya dihapus dan tidak dapat dipulihkan."),
    )


def _render(request: HttpRequest, form: DeleteAccountForm, status: int = 200) -> HttpResponse:
    return render(request, "web/accounts/personal_data.html", {"form": form}, status=status)


@login_required
@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    return _render(request, DeleteAccountForm())


@never_cache
@login_required
@require_GET
def data_download(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(viewer=viewer(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"lapor-data-saya-{clock.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["POST"])
def data_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=422)
    try:
        account_delete(viewer=viewer(request), password=form.cleaned_data["password"])
    except ApplicationError as error:
        form.add_error("password" if error.field == "password" else None, error.message)
        return _render(request, form, status=error.status)
    logout(request)
    messages.success(request, _("Akun Anda sudah dihapus. Laporan Anda tetap tercatat tanpa identitas Anda."))
    return redirect("web:home")
