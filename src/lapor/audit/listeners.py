"""Staff actions on reports reach the log by subscription, so `reports` never imports `audit` for them.

`report_event_recorded` is sent inside the transaction that wrote the timeline event, so the entry
commits or rolls back with the action. Only staff capacities are recorded: the reporter's own moves
and the sweep's are in the timeline already and are not an exercise of an officer's power. The
payload holds codes and ids, never the public message or the internal note (free text can carry a
reporter's name, and the log can never be edited)."""

from typing import Any

from django.dispatch import receiver

from lapor.audit.services import audit_record
from lapor.reports.events import report_event_recorded
from lapor.reports.models import TimelineEvent
from lapor.reports.workflow import Actor

__all__ = ["STAFF_CAPACITIES", "record_staff_action"]

STAFF_CAPACITIES = frozenset({Actor.VERIFIER, Actor.AGENCY_ADMIN, Actor.UNIT_OFFICER})


@receiver(report_event_recorded, dispatch_uid="lapor-audit-staff-action")
def record_staff_action(sender: Any, event: TimelineEvent, **kwargs: Any) -> None:
    if event.actor_role not in STAFF_CAPACITIES:
        return
    audit_record(
        action=f"report.{event.action}",
        actor=event.actor,
        target_type="report",
        target_id=event.report.tracking_id,
        payload={
            "event": event.pk,
            "role": event.actor_role,
            "from": event.from_status,
            "to": event.to_status,
            "agency": event.agency_id,
            "unit": event.unit_id,
            "reason": event.reason,
            "visibility": event.visibility,
        },
    )
