"""What the report announces. Listeners (notifications, analytics, routing) subscribe here; the report
never imports them (DESIGN §3: the report never knows who listens).

- `report_event_recorded` is sent INSIDE the transaction that wrote the event: a listener that must
  commit with it (the notification outbox, rollups) writes there, and its failure undoes the change.
- `report_event` is sent after the commit, for work that may be lost or retried (enqueueing tasks).
- `deadline_approaching` is sent inside the sweep's transaction, one working day before a deadline.
"""

from django.db import transaction
from django.dispatch import Signal

from lapor.reports.models import Report, TimelineEvent

__all__ = ["announce", "announce_deadline", "deadline_approaching", "report_event", "report_event_recorded"]

report_event_recorded = Signal()  # event: TimelineEvent
report_event = Signal()  # event: TimelineEvent
deadline_approaching = Signal()  # report: Report, due_at: datetime


def announce(event: TimelineEvent) -> None:
    report_event_recorded.send(sender=TimelineEvent, event=event)
    transaction.on_commit(lambda: report_event.send(sender=TimelineEvent, event=event), robust=True)


def announce_deadline(report: Report) -> None:
    deadline_approaching.send(sender=Report, report=report, due_at=report.due_at)
