"""Deadlines of one report: its frozen SLA policy, in the timezone and holiday calendar of the agency
handling it (the national node's, WIB, before routing). `schedule` derives, from the stored due
moments, when the sweep must next look at the report, so the sweep finds its work by index alone."""

from datetime import datetime

from django.conf import settings

from lapor.core import clock
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from lapor.sla.deadlines import due_after, reminder_before, working_days_between
from lapor.sla.policy import SlaPolicy

__all__ = ["days_left", "due_in", "policy_of", "schedule"]

# Statuses whose clock belongs to the verifiers or the agency: a breach climbs the escalation ladder.
ESCALATING = frozenset({Status.SUBMITTED, Status.ROUTED, Status.IN_PROGRESS})
# Statuses where only the agency's side can be "unresolved" for the Ombudsman referral (level 3).
HANDLED = frozenset({Status.ROUTED, Status.IN_PROGRESS})
MAX_LEVEL = 3


def policy_of(report: Report) -> SlaPolicy:
    return SlaPolicy.from_dict(report.sla_policy)


def _zone(report: Report) -> tuple[str, str | None]:
    agency = report.agency
    if agency is None:
        return settings.LAPOR_NATIONAL_TIMEZONE, None
    province = agency.region.province_code if agency.region_id and agency.region else None
    return agency.timezone, province


def due_in(report: Report, working_days: int, *, start: datetime) -> datetime:
    tz, province = _zone(report)
    return due_after(start, working_days, tz=tz, province_code=province)


def days_left(report: Report, *, start: datetime, end: datetime) -> int:
    tz, province = _zone(report)
    return working_days_between(start, end, tz=tz, province_code=province)


def next_escalation(report: Report) -> datetime | None:
    """Breach of the current deadline -> level 1; `escalation_step_days` later -> level 2; still
    unresolved `referral_days` after filing -> level 3 (DESIGN §6)."""
    if report.status not in ESCALATING or report.due_at is None or report.escalation_level >= MAX_LEVEL:
        return None
    if report.escalation_level == 0:
        return report.due_at
    policy = policy_of(report)
    if report.escalation_level == 1:
        return due_in(report, policy.escalation_step_days, start=report.due_at)
    if report.status in HANDLED:
        return due_in(report, policy.referral_days, start=report.created_at)
    return None


def schedule(report: Report) -> None:
    """Recompute the sweep's two look-up moments after any change of status or due moment. A reminder
    moment already past is not set again, so a deadline is reminded of once whatever happens after."""
    report.next_escalation_at = next_escalation(report)
    report.remind_at = None
    if report.due_at is not None and report.status != Status.ARCHIVED:
        tz, province = _zone(report)
        moment = reminder_before(report.due_at, tz=tz, province_code=province)
        if moment > clock.now():
            report.remind_at = moment
