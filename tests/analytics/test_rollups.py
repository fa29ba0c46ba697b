"""Known scenarios played through the services at fixed moments; every KPI and rollup checked exactly."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lapor.analytics import rollups
from lapor.analytics.kpis import Scope, backlog_by_age, kpi_for, percentile
from lapor.analytics.models import Backlog, DurationBucket, Rollup
from lapor.analytics.periods import parse_period
from lapor.core.clock import frozen_at
from lapor.reports import services
from tests.factories import World, submit

WIB = ZoneInfo("Asia/Jakarta")
FEB = parse_period("2025-02")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 2, day, hour, tzinfo=WIB)


def scenario(world: World) -> dict[str, object]:
    """February 2025 has no holiday, so working days are Monday to Friday."""
    verifier, admin, pln, citizen = (
        world.viewer("verifier"),
        world.viewer("admin_pemda"),
        world.viewer("admin_pln"),
        world.viewer("citizen"),
    )
    reports: dict[str, object] = {}
    with frozen_at(at(3, 9)):
        r1, r2, r3 = (submit(world).report for _ in range(3))
    with frozen_at(at(4, 9)):
        r4 = submit(world, confidential=True).report
        services.report_route(report=r2, agency=world.pemda, actor=verifier)
        services.report_route(report=r4, agency=world.pemda, actor=verifier)
    with frozen_at(at(5, 9)):
        r5 = submit(world).report
        r6 = submit(world).report
        services.report_route(report=r1, agency=world.pemda, actor=verifier)
        services.report_decline(
            report=r2, actor=admin, reason="not_authority", message="Bukan kewenangan pemda."
        )
        services.report_route(report=r6, agency=world.pemda, actor=verifier)
        services.report_respond(report=r4, actor=admin, message="Sudah kami tangani di lapangan.")
    with frozen_at(at(6)):
        services.report_route(report=r2, agency=world.pln, actor=verifier)
        services.report_confirm(report=r4, actor=citizen, rating=3)
    with frozen_at(at(7)):
        services.report_reopen(report=r4, actor=citizen, message="Masih rusak lagi.")
    with frozen_at(at(10)):
        services.report_accept(report=r1, actor=admin)
        services.report_respond(report=r1, actor=admin, message="Perbaikan dijadwalkan minggu ini.")
        services.report_archive(report=r3, actor=verifier, reason="too_general")
        services.report_respond(report=r4, actor=admin, message="Sudah diperbaiki ulang dengan baik.")
    with frozen_at(at(11)):
        services.report_confirm(report=r4, actor=citizen, rating=4)
    with frozen_at(at(12)):
        services.report_confirm(report=r1, actor=citizen, rating=5)
    with frozen_at(at(13)):
        services.report_escalate(report=r6)
    with frozen_at(at(17)):
        services.report_respond(report=r2, actor=pln, message="Gardu sudah diperbaiki petugas.")
    with frozen_at(at(28)):
        services.report_auto_close(report=r2)
    reports.update(r1=r1, r2=r2, r3=r3, r4=r4, r5=r5, r6=r6)
    return reports


def test_percentile_is_nearest_rank() -> None:
    assert percentile({}, 0.5) is None
    assert percentile({0: 2, 1: 1, 2: 1, 5: 1}, 0.5) == 1
    assert percentile({0: 2, 1: 1, 2: 1, 5: 1}, 0.9) == 5
    assert percentile({3: 1, 1: 1}, 0.5) == 1
    assert percentile({3: 1, 1: 1}, 0.9) == 3


def test_kpis_of_a_known_month(world: World) -> None:
    scenario(world)
    national = kpi_for(period=FEB, scope=Scope(agency="")).as_dict()
    assert national["received"] == 6
    assert national["verified"] == 5  # r1 2 days, r2 1, r3 5 (archived), r4 0, r6 0; r5 still waiting
    assert national["verified_on_time"] == 4
    assert national["archived"] == 1
    assert national["verification_median_days"] == 1
    assert national["verification_p90_days"] == 5
    assert national["verification_on_time_rate"] == 0.8

    pemda = kpi_for(period=FEB, scope=Scope(agency="pemda-34.04")).as_dict()
    assert pemda["routed"] == 4 and pemda["declined"] == 1 and pemda["expected"] == 3
    assert pemda["routing_accuracy"] == 0.75
    assert pemda["followed_up"] == 2 and pemda["followed_up_on_time"] == 2
    assert pemda["followup_rate"] == round(2 / 3, 4)
    assert pemda["followup_on_time_rate"] == 1.0
    assert (pemda["first_followup_median_days"], pemda["first_followup_p90_days"]) == (1, 3)
    assert pemda["closed"] == 2 and pemda["completion_rate"] == round(2 / 3, 4)
    assert (pemda["close_median_days"], pemda["close_p90_days"]) == (2, 5)
    assert pemda["reopened"] == 1 and pemda["reopen_rate"] == 0.5
    # r4's first rating (3) was withdrawn by the reopen: only current ratings count.
    assert pemda["rating_count"] == 2 and pemda["satisfaction_mean"] == 4.5
    assert pemda["satisfaction_high_share"] == 1.0
    assert pemda["escalated"] == 1

    pln = kpi_for(period=FEB, scope=Scope(agency="pln")).as_dict()
    assert (pln["routed"], pln["followed_up"], pln["followed_up_on_time"], pln["closed"]) == (1, 1, 0, 1)
    assert pln["first_followup_median_days"] == 7  # routed Thu 6th, answered Mon 17th
    assert pln["close_median_days"] == 16  # auto-closed Fri 28th
    assert pln["satisfaction_mean"] is None

    everything = kpi_for(period=FEB).as_dict()
    assert everything["received"] == 6 and everything["routed"] == 5
    assert kpi_for(period=parse_period("2025-03")).as_dict()["received"] == 0


def test_backlog_by_age(world: World) -> None:
    scenario(world)
    assert dict(Backlog.objects.filter(count__gt=0).values_list("agency", "entered_on")) == {
        "": date(2025, 2, 5),  # r5, waiting for a verifier
        "pemda-34.04": date(2025, 2, 5),  # r6, routed and escalated, never answered
    }
    assert backlog_by_age(agency="pemda-34.04", today=date(2025, 2, 12)) == {
        "0-5": 1,
        "6-14": 0,
        "15-60": 0,
        ">60": 0,
    }
    assert backlog_by_age(today=date(2025, 2, 28))["15-60"] == 2


def test_rebuild_reproduces_live_rollups_and_verify_agrees(world: World) -> None:
    scenario(world)
    live = rollups.snapshot()
    assert rollups.verify() == []
    call_command("stats", "verify")
    rebuilt = rollups.rebuild()
    assert rebuilt == live == rollups.snapshot()


def test_verify_fails_when_a_rollup_drifts(world: World) -> None:
    scenario(world)
    row = Rollup.objects.filter(agency="pemda-34.04").exclude(routed=0).first()
    assert row is not None
    Rollup.objects.filter(pk=row.pk).update(routed=row.routed + 1)
    DurationBucket.objects.filter(agency="pln").delete()
    problems = rollups.verify()
    assert len(problems) >= 2
    with pytest.raises(CommandError):
        call_command("stats", "verify")
    call_command("stats", "rebuild")
    assert rollups.verify() == []
