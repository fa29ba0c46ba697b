"""The deadline sweep on real dates: crossing Nyepi, Idul Fitri with its cuti bersama, and Christmas
into the new year. Each escalation level happens once; a second sweep at the same moment does nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from lapor.core import clock
from lapor.core.errors import Conflict
from lapor.reports import services
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.sweep import sweep
from lapor.reports.workflow import Status
from tests.factories import World, submit

WIB = ZoneInfo("Asia/Jakarta")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)  # type: ignore[misc]


def end_of(*args: int) -> datetime:
    return datetime(*args, 23, 59, 59, 999999, tzinfo=WIB)  # type: ignore[misc]


def events(report: Report, action: str) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(report=report, action=action))


@pytest.fixture
def idul_fitri_report(world: World) -> Report:
    # Filed Monday 16 March 2026; 18-24 March is Nyepi, Idul Fitri and their cuti bersama
    with clock.frozen_at(at(2026, 3, 16, 10)):
        return submit(world).report


def test_verification_deadline_crosses_the_holidays(idul_fitri_report: Report) -> None:
    # Day 1 Tue 17, then nothing until Wed 25 (day 2) and Thu 26 (day 3)
    assert idul_fitri_report.verify_due_at == end_of(2026, 3, 26)
    assert idul_fitri_report.remind_at == end_of(2026, 3, 25)
    assert idul_fitri_report.next_escalation_at == end_of(2026, 3, 26)


def test_escalation_levels_each_once_and_idempotent(idul_fitri_report: Report) -> None:
    report = idul_fitri_report
    assert sweep(now=at(2026, 3, 26, 22)) == {
        "auto_closed": 0,
        "archived": 0,
        "escalations": 0,
        "reminders": 1,
    }
    assert sweep(now=at(2026, 3, 26, 22))["reminders"] == 0  # reminded once

    # Breach: level 1 the moment Thursday is over
    assert sweep(now=at(2026, 3, 27, 0, 5))["escalations"] == 1
    report.refresh_from_db()
    assert report.escalation_level == 1
    # +2 working days from the breach: Fri 27, Mon 30 -> level 2 once Monday is over
    assert report.next_escalation_at == end_of(2026, 3, 30)
    assert sweep(now=at(2026, 3, 30, 23))["escalations"] == 0
    assert sweep(now=at(2026, 3, 31, 8))["escalations"] == 1
    report.refresh_from_db()
    assert report.escalation_level == 2
    # Level 3 (Ombudsman) is about the agency's side: an unrouted report stops at 2
    assert report.next_escalation_at is None
    before = TimelineEvent.objects.count()
    assert sweep(now=at(2026, 12, 31, 8)) == {
        "auto_closed": 0,
        "archived": 0,
        "escalations": 0,
        "reminders": 0,
    }
    assert TimelineEvent.objects.count() == before
    assert [e.data["level"] for e in events(report, "escalate")] == [1, 2]
    assert events(report, "escalate")[0].created_at == at(2026, 3, 27, 0, 5)  # stamped with the sweep's time


def test_routed_report_left_alone_climbs_to_the_ombudsman(world: World) -> None:
    # Routed Friday 18 December 2026: 24 Dec (cuti bersama) and 25 Dec (Christmas) do not count
    with clock.frozen_at(at(2026, 12, 18, 10)):
        report = submit(world).report
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    assert report.followup_due_at == end_of(2026, 12, 29)
    # One sweep far in the future applies every level that is due, one event each
    result = sweep(now=at(2027, 6, 1, 9))
    assert result["escalations"] == 3
    report.refresh_from_db()
    assert report.escalation_level == 3 and report.next_escalation_at is None
    levels = [(e.data["level"], e.reason) for e in events(report, "escalate")]
    assert levels == [(1, "deadline_breached"), (2, "escalated_to_parent"), (3, "ombudsman_referral")]
    assert sweep(now=at(2027, 6, 1, 9))["escalations"] == 0


def test_auto_close_after_the_reply_window(world: World) -> None:
    with clock.frozen_at(at(2026, 11, 2, 9)):
        report = submit(world).report
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
        services.report_respond(
            report=report, actor=world.viewer("admin_pemda"), message="Sudah diperbaiki kemarin."
        )
    assert report.reply_due_at == end_of(2026, 11, 16)  # 10 working days
    assert sweep(now=at(2026, 11, 16, 23))["auto_closed"] == 0
    assert sweep(now=at(2026, 11, 17, 0, 1))["auto_closed"] == 1
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.closed_at == at(2026, 11, 17, 0, 1)
    assert sweep(now=at(2026, 11, 17, 0, 1))["auto_closed"] == 0
    assert len(events(report, "auto_close")) == 1


def test_on_hold_expires_into_the_archive_and_the_clock_pauses(world: World) -> None:
    with clock.frozen_at(at(2026, 11, 2, 9)):  # Monday; verification due end of Thursday 5 Nov
        paused = submit(world).report
        held = submit(world).report
        services.report_hold(report=held, actor=world.viewer("verifier"), message="Mohon lampirkan foto.")
    with clock.frozen_at(at(2026, 11, 3, 9)):  # Tuesday: 2 of the 3 days remain (Wed, Thu)
        services.report_hold(report=paused, actor=world.viewer("verifier"), message="Di mana lokasinya?")
    with clock.frozen_at(at(2026, 11, 10, 9)):  # answered a week later: the clock resumes with 2 days
        services.report_provide_info(report=paused, actor=world.viewer("citizen"), message="Jl. Godean km 5")
    assert paused.verify_due_at == end_of(2026, 11, 12)

    assert held.hold_expires_at == end_of(2026, 11, 16)
    assert sweep(now=at(2026, 11, 17, 1))["archived"] == 1
    held.refresh_from_db()
    assert held.status == Status.ARCHIVED and held.archive_reason == "too_general"


def test_extension_once_with_a_public_reason(world: World) -> None:
    with clock.frozen_at(at(2026, 11, 2, 9)):
        report = submit(world).report
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    before = report.resolution_due_at
    services.report_extend(
        report=report, actor=world.viewer("admin_pemda"), working_days=5, message="Menunggu pengadaan aspal."
    )
    assert report.resolution_due_at is not None and before is not None and report.resolution_due_at > before
    with pytest.raises(Conflict):
        services.report_extend(
            report=report, actor=world.viewer("admin_pemda"), working_days=5, message="Sekali lagi ya."
        )
    event = events(report, "extend")[0]
    assert event.visibility == "public" and "aspal" in event.message


def test_sweep_command_with_now(idul_fitri_report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("sweep", "--now", "2026-03-27T00:05")
    assert '"escalations": 1' in capsys.readouterr().out
    call_command("sweep", "--now", "2026-03-27T00:05")
    assert '"escalations": 0' in capsys.readouterr().out


def test_deadlines_run_in_the_agency_timezone(world: World) -> None:
    from lapor.agencies.models import Agency
    from lapor.geo.models import Region

    sulsel = Region.objects.create(
        code="73", name="Sulawesi Selatan", level=1, kind="provinsi", timezone="Asia/Makassar"
    )
    makassar = Agency.objects.create(
        code="pemda-73",
        name="Pemerintah Provinsi Sulawesi Selatan",
        kind="province_gov",
        region=sulsel,
        timezone="Asia/Makassar",
    )
    # Thursday 23:30 WIB is already Friday 00:30 WITA: in WIB the five days would end on Thursday 12th
    with clock.frozen_at(at(2026, 11, 5, 23, 30)):
        report = submit(world).report
        services.report_route(report=report, agency=makassar, actor=world.viewer("verifier"))
    wita = ZoneInfo("Asia/Makassar")
    assert report.followup_due_at == datetime(2026, 11, 13, 23, 59, 59, 999999, tzinfo=wita)
    assert sweep(now=datetime(2026, 11, 13, 23, 30, tzinfo=wita))["escalations"] == 0
    assert sweep(now=datetime(2026, 11, 14, 0, 0, 1, tzinfo=wita))["escalations"] == 1
