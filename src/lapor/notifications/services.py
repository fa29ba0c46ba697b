"""Writes a person makes to their own notifications."""

from collections.abc import Iterable

from django.conf import settings

from lapor.core import clock
from lapor.core.errors import Invalid
from lapor.core.models import User
from lapor.notifications.models import Notification, Preference

__all__ = ["notifications_mark_read", "preference_update"]


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all, with ids=None) of the user's own notifications read; returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())


def preference_update(*, user: User, email: bool, sms: bool, in_app: bool, language: str) -> Preference:
    if language not in dict(settings.LANGUAGES):
        raise Invalid("Bahasa tidak dikenal.", code="invalid_choice", field="language")
    preference, _ = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms, "in_app": in_app, "language": language}
    )
    return preference
