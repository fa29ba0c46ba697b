"""The one path every workflow action takes: lock the row, look the move up in the workflow table,
check the actor's capacity, apply the action's effect, save, write the timeline event, announce it
after commit. Checks run in a fixed order so answers are predictable: 404 (cannot see), 409 (not
from this status), 403 (not yours to do), 422 (bad parameters)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency, Unit
from lapor.core import clock
from lapor.core.errors import Forbidden, NotFound
from lapor.reports.access import can_view, capacities_on
from lapor.reports.clock import schedule
from lapor.reports.events import announce
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.workflow import Action, Actor, Status, move_for

__all__ = ["Effect", "transition"]

# Preference when a person holds several capacities on one report: the most specific one acts.
CAPACITY_ORDER = (Actor.SYSTEM, Actor.REPORTER, Actor.UNIT_OFFICER, Actor.AGENCY_ADMIN, Actor.VERIFIER)


@dataclass
class Effect:
    """What an action records besides its status change."""

    message: str = ""
    note: str = ""
    reason: str = ""
    internal: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    # Set when the event concerns another agency than the report's own after the change (a decline).
    agency: Agency | None = None
    unit: Unit | None = None


def transition(
    *,
    report: Report,
    action: Action,
    actor: Viewer,
    apply: Callable[[Report, Actor], Effect],
    access_code: str | None = None,
) -> TimelineEvent:
    with transaction.atomic():
        locked = (
            Report.objects.select_for_update(of=("self",))
            .select_related("agency__region", "category")
            .get(pk=report.pk)
        )
        capacities = capacities_on(actor, locked, access_code=access_code)
        if not can_view(actor, locked, capacities):
            raise NotFound("Laporan tidak ditemukan.")
        move = move_for(action, Status(locked.status))
        acting = next((c for c in CAPACITY_ORDER if c in capacities and c in move.actors), None)
        if acting is None:
            raise Forbidden(
                "Anda tidak berwenang melakukan tindakan ini pada laporan ini.", code="forbidden_action"
            )
        from_status = locked.status
        effect = apply(locked, acting)
        if move.target is not None:
            locked.status = move.target
        schedule(locked)
        locked.save()
        event = TimelineEvent.objects.create(
            report=locked,
            action=action,
            actor=actor.user,
            actor_role=acting,
            from_status=from_status,
            to_status=locked.status,
            agency=effect.agency or locked.agency,
            unit=effect.unit or locked.unit,
            reason=effect.reason,
            message=effect.message,
            note=effect.note,
            visibility=TimelineEvent.Visibility.INTERNAL
            if effect.internal
            else TimelineEvent.Visibility.PUBLIC,
            data=effect.data,
            created_at=clock.now(),
        )
        announce(event)
    _refresh(report, locked)
    return event


def _refresh(stale: Report, fresh: Report) -> None:
    """Hand the caller's instance the committed state, so it never acts on what it saw before."""
    for f in Report._meta.concrete_fields:
        setattr(stale, f.attname, getattr(fresh, f.attname))
    stale._state.fields_cache = dict(fresh._state.fields_cache)
