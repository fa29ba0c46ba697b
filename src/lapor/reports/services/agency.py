"""The handling agency's actions: accept, forward to a unit, decline ("bukan wewenang"), respond."""

from django.conf import settings

from lapor.agencies.access import Viewer
from lapor.agencies.models import Unit
from lapor.core import clock
from lapor.core.errors import Conflict, Invalid
from lapor.reports.clock import due_in, policy_of
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.services._validate import choice, optional_text, required_text
from lapor.reports.services.transition import Effect, transition
from lapor.reports.workflow import DECLINE_REASONS, Action, Actor
from lapor.sla.deadlines import due_after

__all__ = [
    "MAX_EXTENSION_DAYS",
    "report_accept",
    "report_decline",
    "report_extend",
    "report_forward",
    "report_respond",
]

MAX_EXTENSION_DAYS = 60

FLAG_AFTER_DECLINES = 2


def report_accept(*, report: Report, actor: Viewer, message: str = "") -> TimelineEvent:
    def apply(r: Report, acting: Actor) -> Effect:
        return Effect(message=optional_text(message, field="message"))

    return transition(report=report, action=Action.ACCEPT, actor=actor, apply=apply)


def report_forward(*, report: Report, unit: Unit, actor: Viewer, note: str = "") -> TimelineEvent:
    """Hand the report to one of the agency's units; the agency stays answerable for it."""

    def apply(r: Report, acting: Actor) -> Effect:
        if unit.agency_id != r.agency_id:
            raise Invalid("Unit kerja bukan bagian dari instansi ini.", code="invalid_unit", field="unit")
        r.unit = unit
        return Effect(note=optional_text(note, field="note"), data={"unit": unit.code})

    return transition(report=report, action=Action.FORWARD, actor=actor, apply=apply)


def report_decline(
    *, report: Report, actor: Viewer, reason: str, message: str = "", note: str = ""
) -> TimelineEvent:
    """Not ours: back to the verifiers for re-routing. Counts against routing accuracy, not the agency."""

    def apply(r: Report, acting: Actor) -> Effect:
        code = choice(reason, field="reason", allowed=DECLINE_REASONS)
        declined_by, declined_unit = r.agency, r.unit
        now = clock.now()
        r.agency, r.unit = None, None
        r.decline_count += 1
        r.flagged = r.decline_count >= FLAG_AFTER_DECLINES
        national = settings.LAPOR_NATIONAL_TIMEZONE
        r.verify_due_at = due_after(now, policy_of(r).verify_days, tz=national)
        r.followup_due_at = r.resolution_due_at = None
        r.due_at = r.verify_due_at
        return Effect(
            reason=code,
            message=optional_text(message, field="message"),
            note=optional_text(note, field="note"),
            agency=declined_by,
            unit=declined_unit,
            data={"declined_by": declined_by.code if declined_by else None},
        )

    return transition(report=report, action=Action.DECLINE, actor=actor, apply=apply)


def report_respond(*, report: Report, actor: Viewer, message: str, note: str = "") -> TimelineEvent:
    """Post a follow-up (tindak lanjut); the reporter's reply window opens."""

    def apply(r: Report, acting: Actor) -> Effect:
        text = required_text(message, field="message", minimum=10)
        now = clock.now()
        r.first_response_at = r.first_response_at or now
        r.reply_due_at = due_in(r, policy_of(r).reply_window_days, start=now)
        r.due_at = r.reply_due_at
        return Effect(message=text, note=optional_text(note, field="note"))

    return transition(report=report, action=Action.RESPOND, actor=actor, apply=apply)


def report_extend(*, report: Report, actor: Viewer, working_days: int | None, message: str) -> TimelineEvent:
    """Once per report, the agency may push its resolution deadline back, telling the reporter why."""

    def apply(r: Report, acting: Actor) -> Effect:
        if r.resolution_extended:
            raise Conflict("Batas penyelesaian sudah pernah diperpanjang.", code="extension_used")
        if not isinstance(working_days, int) or not 1 <= working_days <= MAX_EXTENSION_DAYS:
            raise Invalid(
                f"Perpanjangan 1 sampai {MAX_EXTENSION_DAYS} hari kerja.",
                code="invalid_days",
                field="working_days",
            )
        text = required_text(message, field="message", minimum=10)
        previous = r.resolution_due_at
        r.resolution_due_at = due_in(r, working_days, start=previous or clock.now())
        r.resolution_extended = True
        return Effect(
            message=text,
            data={
                "working_days": working_days,
                "from": previous.isoformat() if previous else None,
                "to": r.resolution_due_at.isoformat(),
            },
        )

    return transition(report=report, action=Action.EXTEND, actor=actor, apply=apply)
