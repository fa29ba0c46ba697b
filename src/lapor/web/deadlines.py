"""Deadlines as people read them: in words, in the handling agency's timezone ("paling lambat Kamis,
4 Desember 2026"), and as a badge (on time / due today / overdue). The due moments themselves are
stored on the report at each transition (ADR 0003); nothing here recomputes them."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lapor.reports.models import Report
from lapor.workdays.calendar import ZONE_LABELS

__all__ = ["deadline_state", "deadline_words", "report_zone", "state_changes_at", "zone_of"]


def report_zone(report: Report) -> str:
    """The clock the report's deadlines run on: the handling agency's, else the national node's."""
    return zone_of(report.agency.timezone if report.agency is not None else None)


def zone_of(agency_timezone: str | None) -> str:
    """`report_zone` from the handling agency's time zone alone (None: no agency yet), for reads that
    fetch that one column instead of the report."""
    return agency_timezone if agency_timezone is not None else settings.LAPOR_NATIONAL_TIMEZONE


def deadline_state(due: datetime | None, *, tz: str, now: datetime | None = None) -> str | None:
    """ "overdue", "today" (due later on today's date in the report's timezone) or "on_time"."""
    if due is None:
        return None
    moment = now or timezone.now()
    if due < moment:
        return "overdue"
    zone = zoneinfo.ZoneInfo(tz)
    if timezone.localtime(due, zone).date() == timezone.localtime(moment, zone).date():
        return "today"
    return "on_time"


def state_changes_at(due: datetime | None, *, tz: str, now: datetime) -> datetime | None:
    """The first moment after `now` whose `deadline_state` differs: the due date's first moment
    ("today"), then the moment just past the due one ("overdue"); None when it never will (no
    deadline, or already overdue)."""
    if due is None or due < now:
        return None
    zone = zoneinfo.ZoneInfo(tz)
    due_day_starts = datetime.combine(timezone.localtime(due, zone).date(), time.min, zone)
    return due_day_starts if now < due_day_starts else due + timedelta(microseconds=1)


def deadline_words(due: datetime | None, *, tz: str) -> str:
    """ "paling lambat Kamis, 4 Desember 2026 pukul 23.59 WIB" in the active language."""
    if due is None:
        return ""
    local = timezone.localtime(due, zoneinfo.ZoneInfo(tz))
    return _("paling lambat %(day)s pukul %(time)s %(zone)s") % {
        "day": date_format(local, "l, j F Y"),
        "time": local.strftime("%H.%M"),
        "zone": ZONE_LABELS.get(tz, tz),
    }
