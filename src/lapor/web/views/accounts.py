"""Accounts: register, sign in (with the second step when two-step verification is on) and out, set up
two-step verification, reset a forgotten password, and "Laporan saya"."""

import time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login

from lapor.agencies.access import viewer_for
from lapor.core.errors import ApplicationError
from lapor.core.models import User
from lapor.reports.presenters import report_summary
from lapor.reports.selectors import ReportFilters, reports_visible_to
from lapor.security import twofactor
from lapor.web.context import viewer
from lapor.web.deadlines import deadline_state, deadline_words, report_zone
from lapor.web.forms import SignUpForm, apply_error
from lapor.web.views.common import page_of, safe_next

__all__ = [
    "LoginView",
    "PasswordResetCompleteView",
    "PasswordResetConfirmView",
    "PasswordResetDoneView",
    "PasswordResetView",
    "login_code",
    "my_reports",
    "signup",
    "two_factor",
]

PENDING = "lapor_2fa_pending"  # who passed the password step and still owes a code
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode verifikasi"),
        max_length=32,
        help_text=gettext_lazy("Enam angka dari aplikasi autentikator, atau salah satu kode pemulihan Anda."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class LoginView(auth_views.LoginView):
    template_name = "web/accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # Officers land in the console, citizens on their own reports.
        if viewer_for(self.request.user).is_staff_member:
            return reverse("web:console")
        return reverse("web:my_reports")

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not twofactor.is_enrolled(user):
            return super().form_valid(form)
        # The password was right; the session is only signed in once the code is right too.
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_redirect_url()
            or reverse("web:console" if viewer_for(user).is_staff_member else "web:my_reports"),
        }
        return redirect("web:login_code")


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending: dict[str, Any] = request.session.get(PENDING) or {}
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None, {}
    return User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first(), pending


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code. Also reached by someone
    already signed in without it (the admin login page), who is then asked for the code here."""
    signed_in = request.user.is_authenticated
    user, pending = (request.user, {}) if signed_in else _pending_user(request)
    if user is None or not isinstance(user, User):
        messages.info(request, _("Silakan masuk kembali."))
        return redirect("web:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify_code(user=user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("Kode tidak cocok atau sudah dipakai. Coba lagi."))
        else:
            if signed_in:
                otp_login(request, device)
                request.session.cycle_key()  # more privilege now: a new session id
            else:
                # django-otp marks the session verified when the user carries the device at login.
                user.otp_device = device  # type: ignore[attr-defined]
                login(request, user, backend=pending["backend"])
            request.session.pop(PENDING, None)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request, _("Anda masuk dengan kode pemulihan. Kode itu kini tidak berlaku lagi.")
                )
            target = pending.get("next") or safe_next(request) or reverse("web:my_reports")
            return redirect(target)
    return render(request, "web/accounts/login_code.html", {"form": form, "next": safe_next(request) or ""})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (QR code, then one code to confirm) or switch off two-step verification."""
    user = request.user
    assert isinstance(user, User)  # nosec B101  # type narrowing under @login_required
    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and form.is_valid():
        try:
            if action == "disable":
                twofactor.two_factor_disable(user=user, code=form.cleaned_data["code"])
                messages.success(request, _("Verifikasi dua langkah dimatikan."))
                return redirect("web:two_factor")
            device, codes = twofactor.two_factor_confirm(user=user, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            otp_login(request, device)
            request.session.cycle_key()
            # Shown once: the codes exist nowhere else in clear, and this page is never cached.
            context = {"codes": codes, "next": safe_next(request) or ""}
            return render(request, "web/accounts/two_factor_codes.html", context)
    required = twofactor.two_factor_required_for(user)
    if twofactor.is_enrolled(user):
        status: dict[str, Any] = {"enrolled": True, "required": required, "form": form}
        return render(request, "web/accounts/two_factor.html", status)
    enrolment = twofactor.two_factor_start(user=user)
    page: dict[str, Any] = {
        "enrolled": False,
        "required": required,
        "form": form,
        "secret": enrolment.secret_b32,
        # Our own SVG of the otpauth URL (paths only): safe to put in the page as markup.
        "qr": mark_safe(twofactor.qr_svg(enrolment.url)),  # noqa: S308  # nosec B308, B703  # our own SVG paths
        "next": safe_next(request) or "",
    }
    return render(request, "web/accounts/two_factor.html", page)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "web/accounts/password_reset.html"
    email_template_name = "web/accounts/password_reset_email.txt"
    subject_template_name = "web/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "web/accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "web/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/accounts/password_reset_complete.html"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:my_reports")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()  # a new account, not a domain model: Django's own form writes it
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Akun Anda sudah dibuat. Selamat datang!"))
        return redirect("web:my_reports")
    return render(request, "web/accounts/signup.html", {"form": form})


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """ "Laporan saya": every report the signed-in person filed, whatever its status."""
    qs = reports_visible_to(viewer=viewer(request), filters=ReportFilters(mine=True))
    page = page_of(request, qs)
    rows: list[dict[str, Any]] = []
    for report in page.object_list:
        tz = report_zone(report)
        rows.append(
            report_summary(report)
            | {
                "obj": report,
                "due_words": deadline_words(report.due_at, tz=tz),
                "due_state": deadline_state(report.due_at, tz=tz),
            }
        )
    return render(request, "web/accounts/my_reports.html", {"page": page, "rows": rows, "query": ""})
