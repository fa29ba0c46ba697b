"""What the report announces after a change commits. Listeners (notifications, analytics, routing)
subscribe here; the report never imports them (DESIGN §3: the report never knows who listens)."""

from django.db import transaction
from django.dispatch import Signal

from lapor.reports.models import TimelineEvent

__all__ = ["announce", "report_event"]

# Sent with `event` (a TimelineEvent, already committed).
report_event = Signal()


def announce(event: TimelineEvent) -> None:
    transaction.on_commit(lambda: report_event.send(sender=TimelineEvent, event=event), robust=True)
