"""Writing messages: in-app entries and outbox rows, inside the caller's transaction; delivery can
only start once that transaction has committed (`delivery.write_new`)."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from lapor.core import batch
from lapor.notifications.audience import Recipient
from lapor.notifications.messages import render
from lapor.notifications.models import Notification, OutboxMessage, Preference
from lapor.reports.models import Report

__all__ = ["notify"]


# A guest: whatever they gave us. One unsaved instance, only read: a write-out notifies 500 guests.
_GUEST = Preference(email=True, sms=True, in_app=False, language="id")


def _preference(recipient: Recipient) -> Preference:
    if recipient.user is None:
        return _GUEST
    return Preference.objects.filter(user=recipient.user).first() or Preference(user=recipient.user)


def notify(
    *, recipients: Iterable[Recipient], report: Report, cause: str, extra: dict[str, Any] | None = None
) -> None:
    """`cause` makes each message unique (an event id, a reminder of one deadline), so writing the same
    notification twice is impossible and a retried sweep never sends it again."""
    outbox: list[OutboxMessage] = []
    inbox: list[Notification] = []
    for person in recipients:
        pref = _preference(person)
        email = person.user.email if person.user else person.email
        phone = person.user.phone if person.user else person.phone
        wants_in_app = pref.in_app and person.user is not None
        wants_sms = pref.sms and phone and settings.LAPOR_SMS_GATEWAY_URL
        if not (wants_in_app or (pref.email and email) or wants_sms):
            continue  # nothing would reach them: do not even render (bulk imports of paper letters)
        text = render(person.key, report=report, language=pref.language, extra=extra)
        who = f"u{person.user.pk}" if person.user else (email or phone)
        if wants_in_app:
            inbox.append(
                Notification(
                    user=person.user, report=report, kind=person.key, title=text.subject, body=text.body
                )
            )
        if pref.email and email:
            outbox.append(
                OutboxMessage(
                    dedupe_key=f"{cause}:email:{who}",
                    channel="email",
                    user=person.user,
                    address=email,
                    subject=text.subject,
                    body=text.body,
                )
            )
        if wants_sms:
            outbox.append(
                OutboxMessage(
                    dedupe_key=f"{cause}:sms:{who}",
                    channel="sms",
                    user=person.user,
                    address=phone,
                    subject=text.subject,
                    body=f"{text.subject}. {text.body}",
                )
            )
    batch.insert(*inbox)
    from lapor.notifications.delivery import write_new

    write_new(outbox)
