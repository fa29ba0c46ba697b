"""The bell: a person's in-app notifications, and the channels and language they want."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lapor.core.models import User
from lapor.notifications.selectors import inbox_of, preference_of
from lapor.notifications.services import notifications_mark_read, preference_update
from lapor.web.forms import PreferenceForm
from lapor.web.views.common import page_of

__all__ = ["inbox", "mark_all_read", "settings_page"]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # nosec B101  # type narrowing under @login_required
    return request.user


@login_required
@require_GET  # a page, not a form: a POST here is refused rather than rendered
def inbox(request: HttpRequest) -> HttpResponse:
    page = page_of(request, inbox_of(user=_user(request)))
    return render(request, "web/accounts/notifications.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=_user(request))
    messages.success(request, _("%(n)d notifikasi ditandai sudah dibaca.") % {"n": count})
    return redirect("web:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = preference_of(user=user)
    form = PreferenceForm(
        request.POST or None,
        initial={
            "email": current.email,
            "sms": current.sms,
            "in_app": current.in_app,
            "language": current.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        preference_update(user=user, **form.cleaned_data)
        messages.success(request, _("Pengaturan notifikasi disimpan."))
        return redirect("web:notification_settings")
    return render(request, "web/accounts/notification_settings.html", {"form": form})
