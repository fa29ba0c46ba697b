"""Deadlines of one report: its frozen SLA policy, in the timezone and holiday calendar of the agency
handling it (the national node's, WIB, before routing)."""

from datetime import datetime

from django.conf import settings

from lapor.reports.models import Report
from lapor.sla.deadlines import due_after, working_days_between
from lapor.sla.policy import SlaPolicy

__all__ = ["days_left", "due_in", "policy_of"]


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
