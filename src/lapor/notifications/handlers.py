"""Subscriptions to the report's signals. Both run inside the transaction of the change they report,
so the outbox commits (or rolls back) with it."""

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from lapor.notifications.audience import for_deadline, for_event
from lapor.notifications.outbox import notify
from lapor.reports.events import deadline_approaching, report_event_recorded
from lapor.reports.models import Report, TimelineEvent


@receiver(report_event_recorded)
def on_report_event(sender: Any, event: TimelineEvent, **kwargs: Any) -> None:
    notify(
        recipients=for_event(event),
        report=event.report,
        cause=f"event{event.pk}",
        extra={"message": event.message, "level": event.data.get("level")},
    )


@receiver(deadline_approaching)
def on_deadline(sender: Any, report: Report, due_at: datetime | None, **kwargs: Any) -> None:
    stamp = due_at.isoformat() if due_at else "none"
    notify(recipients=for_deadline(report), report=report, cause=f"due{report.pk}:{report.status}:{stamp}")
