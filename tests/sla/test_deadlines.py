"""sla.deadlines: the pure calendar functions applied to calendar_for(province_code=...)."""

from datetime import date

import pytest

from lapor.geo.models import Region
from lapor.sla.deadlines import due_after, working_days_between
from lapor.workdays.models import DayOverride
from tests.workdays.helpers import WIT, at, end_of

pytestmark = pytest.mark.django_db


def test_due_after_uses_holidays_and_the_agency_zone() -> None:
    assert due_after(at("2026-03-13 10:00"), 3, tz="WIB") == end_of("2026-03-25")
    assert due_after(at("2026-03-13 10:00", WIT), 3, tz="Asia/Jayapura") == end_of("2026-03-25", WIT)


def test_a_provincial_day_off_moves_only_that_provinces_deadlines() -> None:
    papua = Region.objects.create(code="91", name="Papua", level=1, kind="provinsi", timezone="Asia/Jayapura")
    DayOverride.objects.create(date=date(2026, 3, 3), name="Hari jadi Papua", province=papua)
    monday = at("2026-03-02 10:00", WIT)
    assert due_after(monday, 1, tz="WIT", province_code="91") == end_of("2026-03-04", WIT)
    assert due_after(monday, 1, tz="WIT") == end_of("2026-03-03", WIT)


def test_working_days_between_measures_a_pause_that_due_after_can_add_back() -> None:
    on_hold, resumed = at("2026-03-13 10:00"), at("2026-03-25 09:00")
    paused = working_days_between(on_hold, resumed, tz="WIB")
    assert paused == 3  # Mon 16, Tue 17 and Wed 25, the day it resumed on
    assert due_after(on_hold, paused, tz="WIB") == end_of("2026-03-25")
