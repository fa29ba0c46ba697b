"""Working-day arithmetic, pure: no ORM, no clock, no settings. Everything it needs comes in as arguments,
so a deadline is a function of (start, days, calendar, zone) and can be computed once and stored.

Working days follow the published LAPOR! rule: Monday to Friday, minus national holidays and cuti bersama,
counted in the agency's own zone (WIB, WITA or WIT). A deadline is the *end* of its last working day, so
"3 working days" from Friday afternoon means "until Wednesday is over", never a fractional day.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "ZONE_ALIASES",
    "ZONE_LABELS",
    "WorkingCalendar",
    "add_working_days",
    "holidays_for_years",
    "previous_working_day_end",
    "resolve_zone",
    "working_days_between",
]

# People say "WIB"; the tz database says "Asia/Jakarta". Accept both so callers can pass either
# a geo.Region.timezone value or what an officer typed.
ZONE_ALIASES: MappingProxyType[str, str] = MappingProxyType(
    {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
)

# ...and the other way round, to print a moment the way people read it.
ZONE_LABELS: MappingProxyType[str, str] = MappingProxyType(
    {zone: label for label, zone in ZONE_ALIASES.items()}
)

_SATURDAY = 5


@dataclass(frozen=True)
class WorkingCalendar:
    """Which dates are working days. Frozen and hashable so it can be cached and shared freely.

    `extra_working_days` wins over both the weekend and `days_off`: a decree that makes a Saturday (or a
    cancelled cuti bersama) a working day must count even if the holiday source still lists it.
    """

    days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() < _SATURDAY and day not in self.days_off


@lru_cache(maxsize=16)
def resolve_zone(tz: str) -> ZoneInfo:
    """An IANA name, or WIB/WITA/WIT, as a ZoneInfo (unknown names raise ZoneInfoNotFoundError)."""
    return ZoneInfo(ZONE_ALIASES.get(tz.upper(), tz))


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    # A naive datetime would silently mean "server time"; deadlines must never depend on that.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: working-day arithmetic needs aware datetimes")
    return moment.astimezone(zone).date()


def add_working_days(start: datetime, days: int, *, calendar: WorkingCalendar, tz: str) -> datetime:
    """The end (23:59:59.999999 local) of the `days`-th working day after `start`'s local date in `tz`.

    Day 1 is the first working day *after* the start date, so the day of filing never counts however early
    it was; `days=0` is the end of the start's own day (even when that day is not a working day).
    """
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    zone = resolve_zone(tz)
    day = _local_date(start, zone)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return datetime.combine(day, time.max, tzinfo=zone)


def working_days_between(start: datetime, end: datetime, *, calendar: WorkingCalendar, tz: str) -> int:
    """How many working days d satisfy start's local date < d <= end's local date (0 if end <= start).

    The inverse of `add_working_days`: it measures how much of a clock was used, e.g. while a report sat
    on hold, so the deadline can be pushed back by exactly that many working days.
    """
    zone = resolve_zone(tz)
    first, last = _local_date(start, zone), _local_date(end, zone)
    if end <= start:
        return 0
    return sum(calendar.is_working_day(first + timedelta(days=i)) for i in range(1, (last - first).days + 1))


@lru_cache(maxsize=8)
def _indonesian_holidays(years: tuple[int, ...]) -> MappingProxyType[date, str]:
    # "public" = national holidays; "government" = cuti bersama (collective leave set by ministerial decree).
    found = holidays.Indonesia(years=years, categories=("public", "government"), language="id")
    return MappingProxyType(dict(sorted(found.items())))


def holidays_for_years(years: Iterable[int]) -> dict[date, str]:
    """National holidays and cuti bersama for `years`, with their Indonesian names, sorted by date.

    The source is the `holidays` package (kept current by upgrading it), never year lists in our code;
    additions and regional days off come from the DayOverride table instead.
    """
    return dict(_indonesian_holidays(tuple(sorted(set(years)))))


def previous_working_day_end(moment: datetime, *, calendar: WorkingCalendar, tz: str) -> datetime:
    """End of the last working day before `moment`'s local date: when a "due tomorrow" reminder goes out."""
    zone = resolve_zone(tz)
    day = _local_date(moment, zone) - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time.max, tzinfo=zone)
