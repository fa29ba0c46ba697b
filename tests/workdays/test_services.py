"""calendar_for: the holiday source plus national and provincial overrides, cached until one changes."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lapor.geo.models import Region
from lapor.sla.deadlines import due_after
from lapor.workdays import services
from lapor.workdays.models import DayOverride
from lapor.workdays.services import calendar_for, days_off_in_year, window_years
from tests.workdays.helpers import at

MONDAY = at("2026-03-02 10:00")  # + 1 working day = end of Tuesday 2026-03-03, unless overridden
TUESDAY = date(2026, 3, 3)


@pytest.fixture
def provinces(db: None) -> dict[str, Region]:
    yogya = Region.objects.create(
        code="34", name="DI Yogyakarta", level=1, kind="provinsi", timezone="Asia/Jakarta"
    )
    bali = Region.objects.create(code="51", name="Bali", level=1, kind="provinsi", timezone="Asia/Makassar")
    sleman = Region.objects.create(
        code="34.04", name="Sleman", level=2, kind="kabupaten", parent=yogya, timezone="Asia/Jakarta"
    )
    return {"34": yogya, "51": bali, "34.04": sleman}


def due(province_code: str | None = None) -> date:
    return due_after(MONDAY, 1, tz="WIB", province_code=province_code).date()


def test_without_overrides_the_calendar_is_the_holiday_source(db: None) -> None:
    calendar = calendar_for()
    assert not calendar.is_working_day(date(2026, 3, 20))  # cuti bersama
    assert not calendar.is_working_day(date(2029, 1, 1))  # the window reaches three years ahead
    assert calendar.is_working_day(TUESDAY)
    assert calendar_for() is calendar  # cached
    assert window_years(date(2026, 6, 1)) == range(2024, 2030)


def test_a_national_day_off_shifts_every_deadline(provinces: dict[str, Region]) -> None:
    assert due() == TUESDAY
    DayOverride.objects.create(date=TUESDAY, name="Libur nasional tambahan")
    assert due() == date(2026, 3, 4)
    assert due("34") == due("51") == date(2026, 3, 4)


def test_a_provincial_day_off_affects_only_that_province(provinces: dict[str, Region]) -> None:
    DayOverride.objects.create(date=TUESDAY, name="Hari jadi provinsi", province=provinces["34"])
    assert due("34") == date(2026, 3, 4)
    assert due("34.04") == date(2026, 3, 4)  # a regency follows its province
    assert due("51") == TUESDAY
    assert due() == TUESDAY


def test_extra_working_days_and_the_province_wins_over_the_nation(provinces: dict[str, Region]) -> None:
    DayOverride.objects.create(date=date(2026, 3, 20), is_working_day=True, name="Cuti bersama dibatalkan")
    DayOverride.objects.create(date=date(2026, 3, 7), is_working_day=True, name="Sabtu kerja")
    DayOverride.objects.create(date=TUESDAY, name="Libur nasional tambahan")
    DayOverride.objects.create(
        date=TUESDAY, is_working_day=True, name="Tetap bekerja", province=provinces["51"]
    )
    national, bali = calendar_for(), calendar_for(province_code="51")
    assert national.is_working_day(date(2026, 3, 20)) and national.is_working_day(date(2026, 3, 7))
    assert not national.is_working_day(TUESDAY)
    assert bali.is_working_day(TUESDAY)


def test_the_cache_is_invalidated_when_an_override_changes(provinces: dict[str, Region]) -> None:
    assert due() == TUESDAY  # cached now
    override = DayOverride.objects.create(date=TUESDAY, name="Libur")
    assert due() == date(2026, 3, 4)
    override.is_working_day = True
    override.save()
    assert due() == TUESDAY
    override.is_working_day = False
    override.save()
    assert due() == date(2026, 3, 4)
    override.delete()
    assert due() == TUESDAY


@pytest.mark.django_db(transaction=True)
def test_committed_changes_replace_the_shared_version(provinces: dict[str, Region]) -> None:
    cached = calendar_for()
    assert calendar_for() is cached
    DayOverride.objects.create(date=TUESDAY, name="Libur")  # autocommit: invalidated on commit
    fresh = calendar_for()
    assert not fresh.is_working_day(TUESDAY)
    assert calendar_for() is fresh  # and cached again


def test_another_process_invalidating_is_seen_through_the_shared_token(provinces: dict[str, Region]) -> None:
    cached = calendar_for()
    cache.set(services._VERSION_KEY, "set-by-another-worker", timeout=None)
    assert calendar_for() is cached  # the token is re-read only every few seconds...
    services._token = (0.0, "")  # ...as if they had passed
    assert calendar_for() is not cached


def test_a_rolled_back_change_leaves_nothing_stale(provinces: dict[str, Region]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        DayOverride.objects.create(date=TUESDAY, name="Libur")
        assert due() == date(2026, 3, 4)  # the transaction sees its own change
        raise RuntimeError("rollback")
    assert due() == TUESDAY


def test_days_off_in_year_names_every_day_off_including_overrides(provinces: dict[str, Region]) -> None:
    DayOverride.objects.create(date=TUESDAY, name="Hari jadi provinsi", province=provinces["34"])
    DayOverride.objects.create(date=date(2026, 3, 20), is_working_day=True, name="Cuti bersama dibatalkan")
    national = days_off_in_year(year=2026)
    assert date(2026, 3, 20) not in national and TUESDAY not in national
    assert national[date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert days_off_in_year(year=2026, province_code="34")[TUESDAY] == "Hari jadi provinsi"
    assert list(national) == sorted(national)


def test_one_override_per_date_and_scope(provinces: dict[str, Region]) -> None:
    DayOverride.objects.create(date=TUESDAY, name="Nasional")
    DayOverride.objects.create(date=TUESDAY, name="Provinsi", province=provinces["34"])
    with pytest.raises(IntegrityError), transaction.atomic():
        DayOverride.objects.create(date=TUESDAY, name="Nasional lagi")
    with pytest.raises(IntegrityError), transaction.atomic():
        DayOverride.objects.create(date=TUESDAY, name="Provinsi lagi", province=provinces["34"])


def test_only_provinces_may_have_overrides(provinces: dict[str, Region]) -> None:
    with pytest.raises(ValidationError, match="provinsi"):
        DayOverride(date=TUESDAY, name="Hari jadi kabupaten", province=provinces["34.04"]).full_clean()
    DayOverride(date=TUESDAY, name="Hari jadi provinsi", province=provinces["34"]).full_clean()
