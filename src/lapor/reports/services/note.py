"""An internal note: staff handling a report write down what they know or did, without changing its
status. Not a workflow move (nothing in `MOVES` changes), but it follows the same path: lock, check
that the actor handles the report, write one internal timeline event, announce it after commit."""

from django.db import transaction

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.errors import Forbidden, NotFound
from lapor.reports.access import can_view, capacities_on
from lapor.reports.events import announce
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.services._validate import required_text
from lapor.reports.workflow import Actor

__all__ = ["NOTE_ACTION", "report_note"]

NOTE_ACTION = "note"
# The most specific capacity writes the note, as in `transition.CAPACITY_ORDER`.
_STAFF_ORDER = (Actor.UNIT_OFFICER, Actor.AGENCY_ADMIN, Actor.VERIFIER)


def report_note(*, report: Report, actor: Viewer, note: str) -> TimelineEvent:
    """Add an internal note (visible to the staff handling the report only)."""
    with transaction.atomic():
        locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
        capacities = capacities_on(actor, locked)
        if not can_view(actor, locked, capacities):
            raise NotFound("Laporan tidak ditemukan.")
        acting = next((c for c in _STAFF_ORDER if c in capacities), None)
        if acting is None:
            raise Forbidden("Hanya petugas yang menangani laporan ini yang dapat menulis catatan.")
        text = required_text(note, field="note", minimum=2)
        event = TimelineEvent.objects.create(
            report=locked,
            action=NOTE_ACTION,
            actor=actor.user,
            actor_role=acting,
            from_status=locked.status,
            to_status=locked.status,
            agency=locked.agency,
            unit=locked.unit,
            note=text,
            visibility=TimelineEvent.Visibility.INTERNAL,
            created_at=clock.now(),
        )
        announce(event)
    return event
