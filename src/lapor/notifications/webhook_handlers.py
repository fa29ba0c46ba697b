"""Webhooks hear every recorded report event inside its transaction, like the e-mail outbox."""

from typing import Any

from django.dispatch import receiver

from lapor.notifications.webhooks import webhooks_write
from lapor.reports.events import report_event_recorded
from lapor.reports.models import TimelineEvent


@receiver(report_event_recorded, dispatch_uid="notifications-webhooks")
def on_report_event(sender: Any, event: TimelineEvent, **kwargs: Any) -> None:
    webhooks_write(event)
