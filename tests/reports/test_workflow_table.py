"""Every (status, action) pair of the workflow table through the real services: the allowed ones
succeed and land where the table says; every other one answers 409 and changes nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from django.forms.models import model_to_dict

from lapor.core.errors import Conflict
from lapor.reports import services
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.workflow import MOVES, Action, Status
from tests.factories import World, report_in, submit

STATUSES = list(Status)
ACTIONS = list(Action)


def perform(world: World, report: Report, action: Action, *, everyone_as: str | None = None) -> Any:
    """Each action taken by someone entitled to it, with valid parameters (or all by `everyone_as`)."""
    v: Callable[[str], Any] = (lambda name: world.viewer(everyone_as)) if everyone_as else world.viewer
    match action:
        case Action.ROUTE:
            return services.report_route(report=report, agency=world.pemda, actor=v("verifier"))
        case Action.HOLD:
            return services.report_hold(report=report, actor=v("verifier"), message="Mohon lengkapi alamat.")
        case Action.PROVIDE_INFO:
            return services.report_provide_info(
                report=report, actor=v("citizen"), message="Alamatnya Jl. Godean km 5"
            )
        case Action.ARCHIVE:
            return services.report_archive(report=report, actor=v("verifier"), reason="too_general")
        case Action.MERGE:
            other = submit(world).report
            return services.report_merge(report=report, duplicate_of=other, actor=v("verifier"))
        case Action.ACCEPT:
            return services.report_accept(report=report, actor=v("admin_pemda"))
        case Action.FORWARD:
            return services.report_forward(report=report, unit=world.unit_pu, actor=v("admin_pemda"))
        case Action.DECLINE:
            return services.report_decline(report=report, actor=v("admin_pemda"), reason="not_authority")
        case Action.RESPOND:
            return services.report_respond(
                report=report, actor=v("admin_pemda"), message="Sudah kami perbaiki."
            )
        case Action.REPLY:
            return services.report_reply(
                report=report, actor=v("citizen"), message="Belum diperbaiki sama sekali."
            )
        case Action.CONFIRM:
            return services.report_confirm(report=report, actor=v("citizen"), rating=4)
        case Action.AUTO_CLOSE:
            return services.report_auto_close(report=report, actor=v("system") if everyone_as else None)
        case Action.REOPEN:
            return services.report_reopen(report=report, actor=v("citizen"), message="Jalannya rusak lagi.")
        case Action.EXTEND:
            return services.report_extend(
                report=report,
                actor=v("admin_pemda"),
                working_days=10,
                message="Menunggu anggaran perbaikan jalan.",
            )
        case Action.ESCALATE:
            return services.report_escalate(report=report, actor=v("system") if everyone_as else None)
    raise AssertionError(action)


def test_the_table_covers_every_action() -> None:
    assert set(MOVES) == set(Action)


@pytest.mark.parametrize("status", STATUSES, ids=str)
@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_every_status_action_pair(world: World, status: Status, action: Action) -> None:
    # Given a report in `status`
    report = report_in(world, status)
    before = model_to_dict(Report.objects.get(pk=report.pk))
    events_before = TimelineEvent.objects.filter(report=report).count()
    move = MOVES[action]

    if status in move.sources:
        # When an entitled actor takes an allowed action, it lands where the table says, with one event
        event = perform(world, report, action)
        report.refresh_from_db()
        assert report.status == (move.target or status)
        assert event.action == action and event.from_status == status and event.to_status == report.status
        assert TimelineEvent.objects.filter(report=report).count() == events_before + 1
    else:
        # When the action is not allowed from this status: 409 and nothing changed. (A verifier sees
        # every report, so the status check is what answers, whoever the action belongs to.)
        with pytest.raises(Conflict) as caught:
            perform(world, report, action, everyone_as="verifier")
        assert caught.value.status == 409
        assert model_to_dict(Report.objects.get(pk=report.pk)) == before
        assert TimelineEvent.objects.filter(report=report).count() == events_before
