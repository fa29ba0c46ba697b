"""Rollups move with the timeline: inside the transaction of every event (ADR 0010), so a committed
event is always counted and a rolled-back one never is."""

from typing import Any

from django.dispatch import receiver

from lapor.analytics.facts import derive
from lapor.analytics.rollups import apply, dims_of, history_of, row_of
from lapor.reports.events import report_event_recorded
from lapor.reports.models import TimelineEvent


@receiver(report_event_recorded)
def on_report_event(sender: Any, event: TimelineEvent, **kwargs: Any) -> None:
    apply(derive(dims_of(event.report), history_of(event), row_of(event)))
