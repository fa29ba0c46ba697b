"""The pure working-day functions: no database, table-driven, plus a property test for the inverse."""

import ast
import calendar as stdlib_calendar
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lapor.workdays.calendar as workdays_calendar
from lapor.workdays.calendar import (
    WorkingCalendar,
    add_working_days,
    holidays_for_years,
    resolve_zone,
    working_days_between,
)
from tests.workdays.helpers import WIB, WIT, WITA, at, end_of

NATIONAL = WorkingCalendar(days_off=frozenset(holidays_for_years(range(2023, 2030))))


@pytest.mark.parametrize(
    ("start", "days", "due", "why"),
    [
        ("2026-03-06 16:00", 3, "2026-03-11", "Friday afternoon + 3 = Wednesday: the weekend does not count"),
        ("2026-03-09 00:00", 1, "2026-03-10", "the day of filing never counts, however early"),
        ("2026-03-09 23:59", 5, "2026-03-16", "a full week crosses one weekend"),
        ("2026-03-07 12:00", 1, "2026-03-09", "filed on Saturday: day 1 is Monday"),
        ("2026-03-08 12:00", 1, "2026-03-09", "filed on Sunday: day 1 is Monday"),
        ("2026-03-06 16:00", 0, "2026-03-06", "days=0 is the end of the start's own day"),
        ("2026-03-21 09:00", 0, "2026-03-21", "days=0 even on a holiday"),
        # Idul Fitri 2026: 03-18 cuti Nyepi, 03-19 Nyepi, 03-20 cuti, 03-21/22 Idul Fitri, 03-23/24 cuti.
        ("2026-03-18 10:00", 1, "2026-03-25", "Nyepi, Idul Fitri and their cuti bersama"),
        ("2026-03-13 10:00", 3, "2026-03-25", "Mon 16 and Tue 17 count, then nothing until the 25th"),
        ("2026-03-17 10:00", 1, "2026-03-25", "the eve of the long break"),
        ("2026-03-24 10:00", 1, "2026-03-25", "filed on the last cuti bersama"),
        ("2026-03-16 10:00", 3, "2026-03-26", "Tue 17 before the break, Wed 25 and Thu 26 after"),
        # Christmas 2026: 12-24 cuti bersama, 12-25 Natal; 2027-01-01 Tahun Baru.
        ("2026-12-23 10:00", 1, "2026-12-28", "cuti bersama, Christmas, then the weekend"),
        ("2026-12-22 10:00", 5, "2026-12-31", "23, 28, 29, 30, 31"),
        ("2026-12-22 10:00", 6, "2027-01-04", "into January over New Year's Day and a weekend"),
        ("2026-12-31 16:00", 1, "2027-01-04", "New Year's Eve + 1"),
    ],
)
def test_add_working_days_national(start: str, days: int, due: str, why: str) -> None:
    assert add_working_days(at(start), days, calendar=NATIONAL, tz="Asia/Jakarta") == end_of(due), why


# 2026-03-05 16:30 UTC is Thursday 23:30 in WIB but already Friday 00:30 in WITA and 01:30 in WIT.
THURSDAY_NIGHT_IN_WIB = datetime.fromisoformat("2026-03-05T16:30:00+00:00")


@pytest.mark.parametrize(
    ("tz", "zone", "due"),
    [
        ("WIB", WIB, "2026-03-06"),  # Thursday filing: Friday is day 1
        ("WITA", WITA, "2026-03-09"),  # Friday filing: Monday is day 1
        ("WIT", WIT, "2026-03-09"),
        ("Asia/Jayapura", WIT, "2026-03-09"),  # IANA names work as well as the abbreviations
        ("wit", WIT, "2026-03-09"),
    ],
)
def test_the_local_date_of_the_zone_decides(tz: str, zone: object, due: str) -> None:
    result = add_working_days(THURSDAY_NIGHT_IN_WIB, 1, calendar=NATIONAL, tz=tz)
    assert result == end_of(due, resolve_zone(tz))
    assert result.tzinfo == zone and result.time() == time.max  # returned in the zone, at the day's end


def test_extra_working_days_win_over_weekend_and_days_off() -> None:
    decree = WorkingCalendar(
        days_off=frozenset({date(2026, 3, 9)}),
        extra_working_days=frozenset({date(2026, 3, 7), date(2026, 3, 9)}),
    )
    assert decree.is_working_day(date(2026, 3, 7))  # a Saturday made a working day
    assert decree.is_working_day(date(2026, 3, 9))  # a day off cancelled
    assert not decree.is_working_day(date(2026, 3, 8))
    assert add_working_days(at("2026-03-06 10:00"), 1, calendar=decree, tz="WIB") == end_of("2026-03-07")


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        add_working_days(datetime(2026, 3, 6, 10), 1, calendar=NATIONAL, tz="WIB")  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        working_days_between(datetime(2026, 3, 6), at("2026-03-09 10:00"), calendar=NATIONAL, tz="WIB")  # noqa: DTZ001
    with pytest.raises(ValueError, match=">= 0"):
        add_working_days(at("2026-03-06 10:00"), -1, calendar=NATIONAL, tz="WIB")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-09 10:00", "2026-03-09 10:00", 0),
        ("2026-03-09 10:00", "2026-03-09 17:00", 0),  # same local day
        ("2026-03-10 10:00", "2026-03-09 10:00", 0),  # end before start
        ("2026-03-06 16:00", "2026-03-09 08:00", 1),  # over a weekend
        ("2026-03-13 10:00", "2026-03-25 09:00", 3),  # over Nyepi and Idul Fitri
        ("2026-12-22 10:00", "2027-01-04 09:00", 6),  # over Christmas and New Year
    ],
)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    assert working_days_between(at(start), at(end), calendar=NATIONAL, tz="WIB") == expected


def test_working_days_between_counts_in_the_given_zone() -> None:
    friday_evening_wib = at("2026-03-06 23:30")  # already Saturday in WIT
    monday = at("2026-03-09 12:00")
    assert working_days_between(friday_evening_wib, monday, calendar=NATIONAL, tz="WIB") == 1
    assert working_days_between(friday_evening_wib, monday, calendar=NATIONAL, tz="WIT") == 1
    thursday_night_wib = THURSDAY_NIGHT_IN_WIB
    assert working_days_between(thursday_night_wib, monday, calendar=NATIONAL, tz="WIB") == 2
    assert working_days_between(thursday_night_wib, monday, calendar=NATIONAL, tz="WIT") == 1


@given(
    start=st.datetimes(
        min_value=datetime(2024, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive; timezones= makes them aware)
        max_value=datetime(2028, 9, 30),  # noqa: DTZ001
        timezones=st.sampled_from([WIB, WITA, WIT]),
    ),
    days=st.integers(min_value=0, max_value=40),
    tz=st.sampled_from(["WIB", "WITA", "WIT"]),
)
def test_working_days_between_inverts_add_working_days(start: datetime, days: int, tz: str) -> None:
    due = add_working_days(start, days, calendar=NATIONAL, tz=tz)
    assert working_days_between(start, due, calendar=NATIONAL, tz=tz) == days
    assert due >= start
    if days:
        assert NATIONAL.is_working_day(due.date())  # a deadline never lands on a day off
        assert add_working_days(start, days - 1, calendar=NATIONAL, tz=tz) < due


def test_holidays_for_years_has_national_holidays_and_cuti_bersama_in_indonesian() -> None:
    days = holidays_for_years([2026])
    assert days[date(2026, 3, 19)] == "Hari Suci Nyepi"
    assert days[date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert days[date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert days[date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert days[date(2026, 12, 25)] == "Hari Raya Natal"
    assert list(days) == sorted(days)
    assert all(day.year == 2026 for day in days)
    days.clear()  # callers get a copy; the cached source is untouched
    assert date(2026, 12, 25) in holidays_for_years([2026])


def test_the_pure_module_imports_no_django() -> None:
    tree = ast.parse(Path(workdays_calendar.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"django", "lapor"}}


def test_stdlib_calendar_is_not_shadowed() -> None:
    import lapor.workdays.management.commands.calendar  # noqa: F401

    assert stdlib_calendar.__name__ == "calendar"
    assert stdlib_calendar.monthrange(2026, 2) == (6, 28)
    assert stdlib_calendar.isleap(2028)
    assert date(2026, 1, 1) + timedelta(days=stdlib_calendar.monthrange(2026, 1)[1]) == date(2026, 2, 1)
