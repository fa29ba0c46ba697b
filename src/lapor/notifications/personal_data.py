"""A person's data, whole: download it, delete the account, and purge old outbox rows (ADR 0018).

This sits in `notifications` because it is the lowest layer that sees both halves of a person's data:
the reports they filed (`reports`) and their inbox, preferences and messages (here). The report half
is `reports.services.personal_data`.

Deleting an account keeps the user row, deactivated and emptied, so the history that points at it
(timelines, the audit log) keeps its shape; everything that would die with the row (a CASCADE:
inbox, preferences, tokens, supports, second-factor devices, whatever a later app adds) is deleted,
and every SET_NULL reference is cut, as a real DELETE would do. Staff and integration accounts are
refused: their actions are accountable history, and an admin removes their memberships first."""

import uuid
from datetime import datetime
from typing import Any

from django.db import models, transaction

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.errors import Conflict, Invalid, Unauthenticated
from lapor.core.models import AuthToken, User
from lapor.notifications.models import Notification, OutboxMessage, Preference
from lapor.reports.models import Support
from lapor.reports.services.personal_data import reporter_release, reporter_reports_export

__all__ = ["FORMAT", "account_delete", "outbox_purge", "personal_data_export"]

FORMAT = "lapor.personal-data.v1"


def _user_of(viewer: Viewer) -> User:
    if viewer.user is None:
        raise Unauthenticated("Masuk terlebih dahulu.")
    return viewer.user


def personal_data_export(*, viewer: Viewer) -> dict[str, Any]:
    """Everything LAPOR holds about the signed-in person, as one JSON-ready dict."""
    user = _user_of(viewer)
    preference = Preference.objects.filter(user=user).first()
    return {
        "format": FORMAT,
        "generated_at": clock.now(),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "preferences": None
        if preference is None
        else {
            "email": preference.email,
            "sms": preference.sms,
            "in_app": preference.in_app,
            "language": preference.language,
        },
        "reports": reporter_reports_export(viewer=viewer),
        "supports": [
            {"tracking_id": s.report.tracking_id, "created_at": s.created_at}
            for s in Support.objects.filter(user=user).select_related("report").order_by("created_at", "id")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "report": n.report.tracking_id if n.report else None,
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
            for n in Notification.objects.filter(user=user)
            .select_related("report")
            .order_by("created_at", "id")
        ],
        "messages": [
            {
                "channel": m.channel,
                "address": m.address,
                "subject": m.subject,
                "state": m.state,
                "at": m.created_at,
            }
            for m in OutboxMessage.objects.filter(user=user).order_by("created_at")
        ],
        "api_tokens": [
            {"created_at": t.created_at, "expires_at": t.expires_at, "last_used_at": t.last_used_at}
            for t in AuthToken.objects.filter(user=user)
        ],
    }


def _references(user: User) -> list[tuple[models.ForeignObjectRel, models.QuerySet[Any]]]:
    """Every row anywhere that points at the user, with the relation that says what a DELETE does."""
    found = []
    for relation in User._meta.related_objects:
        if not relation.field.concrete or relation.many_to_many:
            continue
        rows = relation.related_model._default_manager.filter(**{relation.field.name: user})
        found.append((relation, rows))
    return found


def account_delete(*, viewer: Viewer, password: str) -> int:
    """Delete the signed-in person's account after checking their password; returns how many of their
    reports were de-identified. All or nothing: one transaction."""
    user = _user_of(viewer)
    if not password or not user.check_password(password):
        raise Invalid("Kata sandi salah.", code="wrong_password", field="password")
    if viewer.is_staff_member:
        raise Conflict(
            "Akun petugas tidak dapat dihapus sendiri; minta admin mencabut keanggotaan Anda dahulu.",
            code="staff_account",
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        references = _references(user)
        for relation, rows in references:
            if relation.on_delete is models.PROTECT and rows.exists():
                raise Conflict(
                    "Akun ini dipakai sebagai akun layanan atau petugas dan tidak dapat dihapus sendiri.",
                    code="staff_account",
                )
        released = reporter_release(user=user)
        OutboxMessage.objects.filter(user=user).delete()  # addresses and message bodies
        for relation, rows in references:
            if relation.on_delete is models.CASCADE:
                rows.delete()
            elif relation.on_delete is models.SET_NULL:
                rows.update(**{relation.field.name: None})
        user.groups.clear()
        user.user_permissions.clear()
        user.username = f"dihapus-{uuid.uuid4().hex[:16]}"
        user.first_name = user.last_name = user.email = user.phone = ""
        user.set_unusable_password()  # also ends every session: their auth hash no longer matches
        user.is_active = user.is_staff = user.is_superuser = False
        user.last_login = None
        user.save()
    return released


def outbox_purge(*, before: datetime, dry_run: bool = False) -> int:
    """Sent and failed messages older than `before`: their addresses and texts have done their job.
    Pending ones are never touched."""
    rows = OutboxMessage.objects.filter(
        created_at__lt=before, state__in=[OutboxMessage.State.SENT, OutboxMessage.State.FAILED]
    )
    if dry_run:
        return rows.count()
    return int(rows.delete()[0])
