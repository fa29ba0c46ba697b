"""Actions the system takes when a clock runs out (called by the sweep)."""

from django.utils import timezone

from lapor.agencies.access import Viewer
from lapor.core.errors import Conflict, Invalid
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.services.transition import Effect, transition
from lapor.reports.workflow import Action, Actor

__all__ = ["MAX_ESCALATION", "report_auto_close", "report_escalate"]

MAX_ESCALATION = 3


def report_auto_close(*, report: Report, actor: Viewer | None = None) -> TimelineEvent:
    """The reply window passed silently: the answer stands."""

    def apply(r: Report, acting: Actor) -> Effect:
        r.closed_at = timezone.now()
        r.reply_due_at = r.due_at = None
        return Effect(message="Laporan selesai otomatis karena tidak ada tanggapan dalam batas waktu.")

    return transition(report=report, action=Action.AUTO_CLOSE, actor=actor or Viewer.system(), apply=apply)


def report_escalate(*, report: Report, reason: str = "", actor: Viewer | None = None) -> TimelineEvent:
    """A deadline passed: one step up the ladder (1 agency admin, 2 parent + national, 3 Ombudsman)."""

    if len(reason) > 24:
        raise Invalid("Kode alasan eskalasi maksimal 24 karakter.", code="too_long", field="reason")

    def apply(r: Report, acting: Actor) -> Effect:
        if r.escalation_level >= MAX_ESCALATION:
            raise Conflict("Laporan sudah pada tingkat eskalasi tertinggi.", code="escalation_max")
        r.escalation_level += 1
        return Effect(reason=reason, internal=True, data={"level": r.escalation_level})

    return transition(report=report, action=Action.ESCALATE, actor=actor or Viewer.system(), apply=apply)
