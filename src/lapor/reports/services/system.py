"""What the system does when a clock runs out (called by the sweep): auto-close, escalate, remind."""

from django.db import transaction

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.errors import Conflict, Invalid
from lapor.reports.clock import MAX_LEVEL
from lapor.reports.events import announce_deadline
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.services.transition import Effect, transition
from lapor.reports.workflow import Action, Actor

__all__ = ["ESCALATION_MESSAGES", "MAX_ESCALATION", "report_auto_close", "report_escalate", "report_remind"]

MAX_ESCALATION = MAX_LEVEL
# Escalations are public on purpose: a missed deadline is visible to the reporter and to everyone.
ESCALATION_MESSAGES = {
    1: ("deadline_breached", "Batas waktu terlewati; admin instansi telah diingatkan."),
    2: (
        "escalated_to_parent",
        "Belum ditindaklanjuti: diteruskan ke instansi induk dan verifikator nasional.",
    ),
    3: (
        "ombudsman_referral",
        "Laporan belum selesai dalam batas waktu; Anda dapat meneruskannya ke Ombudsman Republik Indonesia.",
    ),
}


def report_auto_close(*, report: Report, actor: Viewer | None = None) -> TimelineEvent:
    """The reply window passed silently: the answer stands."""

    def apply(r: Report, acting: Actor) -> Effect:
        r.closed_at = clock.now()
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
        code, message = ESCALATION_MESSAGES[r.escalation_level]
        due = r.due_at.isoformat() if r.due_at else None
        return Effect(
            reason=reason or code, message=message, data={"level": r.escalation_level, "due_at": due}
        )

    return transition(report=report, action=Action.ESCALATE, actor=actor or Viewer.system(), apply=apply)


def report_remind(*, report: Report) -> bool:
    """Announce, once, that the current deadline is one working day away. False if nothing was due."""
    with transaction.atomic():
        locked = Report.objects.select_for_update(of=("self",)).select_related("agency").get(pk=report.pk)
        if locked.remind_at is None or locked.remind_at > clock.now():
            return False
        locked.remind_at = None
        locked.save(update_fields=["remind_at", "updated_at"])
        announce_deadline(locked)
    report.remind_at = None
    return True
