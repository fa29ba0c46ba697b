"""The reporter's actions: provide information, reply, confirm with a rating, reopen."""

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.errors import Conflict, Invalid
from lapor.reports.clock import days_left, due_in, policy_of
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.services._validate import optional_text, required_text
from lapor.reports.services.transition import Effect, transition
from lapor.reports.workflow import Action, Actor

__all__ = ["MAX_REOPENS", "report_confirm", "report_provide_info", "report_reopen", "report_reply"]

MAX_REOPENS = 2


def report_provide_info(
    *, report: Report, actor: Viewer, message: str, access_code: str | None = None
) -> TimelineEvent:
    """The reporter answers the verifier; the verification clock resumes with the days it had left."""

    def apply(r: Report, acting: Actor) -> Effect:
        text = required_text(message, field="message", minimum=5)
        now = clock.now()
        remaining = 1
        if r.hold_started_at and r.verify_due_at:
            remaining = max(1, days_left(r, start=r.hold_started_at, end=r.verify_due_at))
        r.verify_due_at = due_in(r, remaining, start=now)
        r.due_at = r.verify_due_at
        r.hold_started_at = r.hold_expires_at = None
        return Effect(message=text)

    return transition(
        report=report, action=Action.PROVIDE_INFO, actor=actor, apply=apply, access_code=access_code
    )


def report_reply(
    *, report: Report, actor: Viewer, message: str, access_code: str | None = None
) -> TimelineEvent:
    """The reporter disputes or adds to the answer; the agency owes a new one."""

    def apply(r: Report, acting: Actor) -> Effect:
        text = required_text(message, field="message", minimum=5)
        now = clock.now()
        r.followup_due_at = due_in(r, policy_of(r).followup_days, start=now)
        r.reply_due_at = None
        r.due_at = r.followup_due_at
        return Effect(message=text)

    return transition(report=report, action=Action.REPLY, actor=actor, apply=apply, access_code=access_code)


def report_confirm(
    *, report: Report, actor: Viewer, rating: int | None, comment: str = "", access_code: str | None = None
) -> TimelineEvent:
    """The reporter accepts the answer and rates it 1-5."""

    def apply(r: Report, acting: Actor) -> Effect:
        if rating is None or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise Invalid(
                "Penilaian wajib diisi dengan angka 1 sampai 5.", code="invalid_rating", field="rating"
            )
        r.rating = rating
        r.rating_comment = optional_text(comment, field="comment")
        r.closed_at = clock.now()
        r.reply_due_at = r.due_at = None
        return Effect(message=r.rating_comment, data={"rating": rating})

    return transition(report=report, action=Action.CONFIRM, actor=actor, apply=apply, access_code=access_code)


def report_reopen(
    *, report: Report, actor: Viewer, message: str, access_code: str | None = None
) -> TimelineEvent:
    """Within the reopen window and at most twice: the problem came back or was never solved."""

    def apply(r: Report, acting: Actor) -> Effect:
        text = required_text(message, field="message", minimum=5)
        now = clock.now()
        if r.reopen_count >= MAX_REOPENS:
            raise Conflict("Laporan sudah dibuka kembali dua kali.", code="reopen_limit")
        if r.closed_at and now > due_in(r, policy_of(r).reopen_window_days, start=r.closed_at):
            raise Conflict(
                "Batas waktu untuk membuka kembali laporan sudah lewat.", code="reopen_window_passed"
            )
        r.reopen_count += 1
        r.closed_at = None
        r.rating, r.rating_comment = None, ""
        r.followup_due_at = due_in(r, policy_of(r).followup_days, start=now)
        r.due_at = r.followup_due_at
        return Effect(message=text)

    return transition(report=report, action=Action.REOPEN, actor=actor, apply=apply, access_code=access_code)
