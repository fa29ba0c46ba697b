"""Deadlines on the working-day calendar of a province, in an agency's zone. Called once per transition;
the result is stored, so dashboards compare stored timestamps and never recompute per row."""

from datetime import datetime

from lapor.workdays import calendar as workdays_calendar
from lapor.workdays.services import calendar_for

__all__ = ["due_after", "reminder_before", "working_days_between"]


def due_after(start: datetime, working_days: int, *, tz: str, province_code: str | None = None) -> datetime:
    """End of the `working_days`-th working day after `start`'s local date (see add_working_days)."""
    return workdays_calendar.add_working_days(
        start, working_days, calendar=calendar_for(province_code=province_code), tz=tz
    )


def working_days_between(start: datetime, end: datetime, *, tz: str, province_code: str | None = None) -> int:
    """Working days used between two moments, e.g. time spent on hold, to extend a paused clock."""
    return workdays_calendar.working_days_between(
        start, end, calendar=calendar_for(province_code=province_code), tz=tz
    )


def reminder_before(due: datetime, *, tz: str, province_code: str | None = None) -> datetime:
    """One working day before a deadline: the end of the previous working day."""
    return workdays_calendar.previous_working_day_end(
        due, calendar=calendar_for(province_code=province_code), tz=tz
    )
