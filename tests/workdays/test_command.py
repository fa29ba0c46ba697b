"""`manage.py calendar holidays` and `manage.py calendar add`."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lapor.geo.models import Region
from lapor.workdays.models import DayOverride

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_holidays_lists_days_off_sorted_with_indonesian_names() -> None:
    DayOverride.objects.create(date=date(2026, 3, 3), name="Libur nasional tambahan")
    lines = run("holidays", "--year", "2026").splitlines()
    assert "2026-03-20  Cuti Bersama Hari Raya Idul Fitri" in lines
    assert "2026-12-25  Hari Raya Natal" in lines
    assert "2026-03-03  Libur nasional tambahan" in lines
    assert lines == sorted(lines)
    assert all(line.startswith("2026-") for line in lines)


def test_holidays_for_a_province_include_its_own_days_off() -> None:
    bali = Region.objects.create(code="51", name="Bali", level=1, kind="provinsi", timezone="Asia/Makassar")
    DayOverride.objects.create(date=date(2026, 3, 3), name="Hari jadi Bali", province=bali)
    assert "2026-03-03  Hari jadi Bali" in run("holidays", "--year", "2026", "--province", "51")
    assert "2026-03-03" not in run("holidays", "--year", "2026")


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (["--from", "2026-03-13T10:00", "--days", "3"], "2026-03-25T23:59:59.999999+07:00"),
        (["--from", "2026-03-13T10:00", "--days", "3", "--tz", "WIT"], "2026-03-25T23:59:59.999999+09:00"),
        (["--from", "2026-03-06T16:00", "--days", "0", "--tz", "wita"], "2026-03-06T23:59:59.999999+08:00"),
        # aware --from is converted: Thursday 23:00 WIB is already Friday in WIT
        (
            ["--from", "2026-03-05T23:00+07:00", "--days", "1", "--tz", "WIT"],
            "2026-03-09T23:59:59.999999+09:00",
        ),
        (["--from", "2026-03-05T23:00+07:00", "--days", "1"], "2026-03-06T23:59:59.999999+07:00"),
    ],
)
def test_add_prints_the_due_moment_in_the_zone(args: list[str], printed: str) -> None:
    assert run("add", *args).strip() == printed


@pytest.mark.parametrize(
    "args",
    [["--from", "not a date", "--days", "1"], ["--from", "2026-03-13T10:00", "--days", "-1"]],
)
def test_add_rejects_bad_input(args: list[str]) -> None:
    with pytest.raises(CommandError):
        run("add", *args)
