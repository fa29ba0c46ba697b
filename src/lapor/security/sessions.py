"""Officers' sessions are shorter than citizens': the cookie dies with the browser (shared computers in
offices and internet cafés) and the session ends after `LAPOR_STAFF_SESSION_SECONDS` whatever happens.
Django itself rotates the session key at sign-in, so a planted session id is worthless."""

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from lapor.agencies.access import viewer_for

__all__ = ["STAFF_UNTIL", "staff_session_expired"]

STAFF_UNTIL = "lapor_staff_until"


@receiver(user_logged_in, dispatch_uid="lapor_security_staff_session")
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if user.is_staff or user.is_superuser or viewer_for(user).is_staff_member:
        request.session.set_expiry(0)
        request.session[STAFF_UNTIL] = int(time.time()) + int(settings.LAPOR_STAFF_SESSION_SECONDS)


def staff_session_expired(request: HttpRequest) -> bool:
    until = request.session.get(STAFF_UNTIL)
    return until is not None and time.time() > float(until)
