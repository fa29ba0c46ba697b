"""Accounts: register, sign in and out, reset a forgotten password, and "Laporan saya"."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lapor.agencies.access import viewer_for
from lapor.reports.presenters import report_summary
from lapor.reports.selectors import ReportFilters, reports_visible_to
from lapor.web.context import viewer
from lapor.web.deadlines import deadline_state, deadline_words, report_zone
from lapor.web.forms import SignUpForm
from lapor.web.views.common import page_of

__all__ = [
    "LoginView",
    "PasswordResetCompleteView",
    "PasswordResetConfirmView",
    "PasswordResetDoneView",
    "PasswordResetView",
    "my_reports",
    "signup",
]


class LoginView(auth_views.LoginView):
    template_name = "web/accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # Officers land in the console, citizens on their own reports.
        if viewer_for(self.request.user).is_staff_member:
            return reverse("web:console")
        return reverse("web:my_reports")


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
