"""Work queues (reports.queues): per role, only visible reports, counts in one query, stored due dates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.core.errors import Forbidden, NotFound
from lapor.core.keyset import bounded_count
from lapor.reports import services
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.queues import queue_counts, queue_reports, queues_for
from lapor.reports.selectors import reports_visible_to
from lapor.reports.workflow import Status
from tests.factories import World, report_in

pytestmark = pytest.mark.django_db


def test_queues_follow_roles(world: World) -> None:
    assert [q.key for q in queues_for(world.viewer("verifier"))] == ["baru", "ditunda", "dikembalikan"]
    assert [q.key for q in queues_for(world.viewer("officer_pu"))] == ["unit"]
    assert queues_for(world.viewer("citizen")) == []
    with pytest.raises(NotFound):
        queue_reports(viewer=world.viewer("officer_pu"), key="baru")


def test_counts_match_contents(world: World) -> None:
    report_in(world, Status.ROUTED)
    report_in(world, Status.IN_PROGRESS)
    report_in(world, Status.RESPONDED)
    admin = world.viewer("admin_pemda")
    counts = queue_counts(viewer=admin)
    for key, (count, exact) in counts.items():
        assert exact and queue_reports(viewer=admin, key=key).count() == count
    assert counts["masuk"] == (1, True) and counts["diproses"] == (1, True) and counts["dijawab"] == (1, True)


def test_overdue_and_escalated_come_from_stored_dates(world: World) -> None:
    late = report_in(world, Status.IN_PROGRESS)
    Report.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    report_in(world, Status.IN_PROGRESS)
    services.report_escalate(report=late)
    assert list(queue_reports(viewer=world.viewer("admin_pemda"), key="terlambat-instansi")) == [late]
    assert list(queue_reports(viewer=world.viewer("supervisor"), key="eskalasi")) == [late]
    assert list(queue_reports(viewer=world.viewer("province_supervisor"), key="terlambat")) == [late]


def test_direct_intake_reports_reach_the_agency_incoming_queue(world: World) -> None:
    from tests.factories import submit

    addressed = submit(world, target_agency="kemensos").report
    assert list(queue_reports(viewer=world.viewer("admin_kemensos"), key="masuk")) == [addressed]


def test_sorting_by_deadline_puts_the_most_urgent_first(world: World) -> None:
    first, second = report_in(world, Status.SUBMITTED), report_in(world, Status.SUBMITTED)
    Report.objects.filter(pk=second.pk).update(due_at=timezone.now())
    assert list(queue_reports(viewer=world.viewer("verifier"), key="baru"))[0] == second
    assert list(queue_reports(viewer=world.viewer("verifier"), key="baru", sort="terlama"))[0] == first


def test_internal_note_service(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    event = services.report_note(report=report, actor=world.viewer("officer_pu"), note="Survei besok")
    assert event.visibility == TimelineEvent.Visibility.INTERNAL and event.actor_role == "unit_officer"
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    with pytest.raises(Forbidden):
        services.report_note(report=report, actor=world.viewer("supervisor"), note="Tidak boleh")
    with pytest.raises(Forbidden):  # it sees the public report, but does not handle it
        services.report_note(report=report, actor=world.viewer("admin_pln"), note="Tidak boleh")
    secret = report_in(world, Status.IN_PROGRESS, confidential=True)
    with pytest.raises(NotFound):
        services.report_note(report=secret, actor=world.viewer("admin_pln"), note="Tidak boleh")


@pytest.mark.parametrize(
    "name", ["admin_pemda", "officer_pu", "province_supervisor", "supervisor", "verifier"]
)
def test_a_queue_tests_visibility_by_the_part_it_lies_in_and_holds_what_the_whole_test_gives(
    world: World, name: str
) -> None:
    """An agency's queue asks "is it this agency's?" alone (an index reads that), not "public, or the
    viewer's own, or this agency's" (each row read to test it), and holds exactly the same reports."""
    for status in (Status.ROUTED, Status.IN_PROGRESS, Status.RESPONDED):
        report_in(world, status)
        report_in(world, status, confidential=True)
    viewer, now = world.viewer(name), timezone.now()
    for queue in queues_for(viewer):
        whole = reports_visible_to(viewer=viewer).filter(queue.q(viewer, now))
        narrowed = queue_reports(viewer=viewer, key=queue.key, now=now)
        assert sorted(r.pk for r in narrowed) == sorted(r.pk for r in whole), queue.key
        assert queue_counts(viewer=viewer, now=now)[queue.key] == bounded_count(whole), queue.key
        if queue.within:
            where = str(narrowed.query).split(" WHERE ", 1)[1]
            assert "confidential" not in where, queue.key  # the public part is not asked
