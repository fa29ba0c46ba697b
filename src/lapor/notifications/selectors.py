"""Reads of a person's own notifications: nobody reads anyone else's."""

from django.db.models import QuerySet

from lapor.core.models import User
from lapor.notifications.models import Notification, Preference

__all__ = ["inbox_of", "preference_of", "unread_count"]


def inbox_of(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("report")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preference_of(*, user: User) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)
