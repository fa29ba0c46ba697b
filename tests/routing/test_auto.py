"""Automatic routing on submission: off by default; above the configured confidence the system routes
through the normal service, and the timeline says so."""

from typing import Any

import pytest

from lapor.reports.models import Report, TimelineEvent
from lapor.reports.workflow import Actor, Status
from tests.factories import World, submit

pytestmark = pytest.mark.django_db


def _submitted(world: World, capture: Any) -> Report:
    with capture(execute=True):
        report = submit(world).report
    report.refresh_from_db()
    return report


def test_off_by_default(routed_world: World, django_capture_on_commit_callbacks: Any) -> None:
    report = _submitted(routed_world, django_capture_on_commit_callbacks)
    assert report.status == Status.SUBMITTED and report.agency is None


def test_confident_suggestion_is_routed_by_the_system(
    routed_world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LAPOR_AUTO_ROUTE_CONFIDENCE = 0.5
    report = _submitted(routed_world, django_capture_on_commit_callbacks)
    assert report.status == Status.ROUTED
    assert (report.agency, report.unit) == (routed_world.pemda, routed_world.unit_pu)
    event = TimelineEvent.objects.get(report=report, action="route")
    assert event.actor is None and event.actor_role == Actor.SYSTEM
    assert event.note.startswith("Disposisi otomatis oleh router (keyakinan ")
    assert "kategori roads_infrastructure → pemda-34.04" in event.note
    assert report.followup_due_at is not None


def test_below_the_threshold_the_verifier_decides(
    routed_world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LAPOR_AUTO_ROUTE_CONFIDENCE = 0.99
    report = _submitted(routed_world, django_capture_on_commit_callbacks)
    assert report.status == Status.SUBMITTED
    assert not TimelineEvent.objects.filter(report=report, action="route").exists()


def test_with_a_queue_the_filing_only_queues_the_routing_and_the_worker_routes(
    routed_world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from lapor.routing.auto import route_if_confident

    settings.LAPOR_AUTO_ROUTE_CONFIDENCE = 0.5
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = _submitted(routed_world, django_capture_on_commit_callbacks)
    assert report.status == Status.SUBMITTED  # the citizen's request did not run the router
    job = DBTaskResult.objects.get(task_path="lapor.routing.auto.route_if_confident")
    assert job.args_kwargs == {"args": [report.pk], "kwargs": {}}

    assert route_if_confident.call(report.pk) == "routed"  # what the worker runs
    report.refresh_from_db()
    assert report.status == Status.ROUTED and report.agency == routed_world.pemda
    assert route_if_confident.call(report.pk) == "left"  # run twice (a retried job): routed once
    assert TimelineEvent.objects.filter(report=report, action="route").count() == 1
