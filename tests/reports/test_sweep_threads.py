"""The sweep shared among threads on PostgreSQL (ADR 0024): every due report is handled exactly once,
whichever thread takes it, the counts add up, and a second sweep at the same moment finds nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from lapor.core import clock
from lapor.notifications.models import OutboxMessage
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.sweep import sweep
from tests.factories import World, build_world, submit

pytestmark = pytest.mark.django_db(transaction=True)  # the threads' connections must see the rows

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def committed_world(db: None) -> World:
    return build_world()


def test_threads_escalate_each_due_report_once(committed_world: World, settings: object) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the sweep uses threads on PostgreSQL only")
    settings.LAPOR_SWEEP_THREADS = 3  # type: ignore[attr-defined]
    with clock.frozen_at(datetime(2026, 3, 2, 10, tzinfo=WIB)):  # a Monday
        reports = [
            submit(committed_world, body=f"Jalan rusak di gang {n} belum diperbaiki").report for n in range(9)
        ]
    breach = datetime(2026, 3, 9, 0, 5, tzinfo=WIB)  # three working days later, and a bit

    first = sweep(now=breach)
    assert first["escalations"] == 9
    assert sweep(now=breach)["escalations"] == 0
    for report in reports:
        assert TimelineEvent.objects.filter(report=report, action="escalate").count() == 1
        assert Report.objects.get(pk=report.pk).escalation_level == 1
    # One notification per (event, recipient, channel): no thread wrote another's.
    keys = list(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))
