"""`lapor retention`: reporters of reports that ended more than LAPOR_RETENTION_DAYS ago are forgotten;
recent and open reports keep theirs; a dry run changes nothing; a second run finds nothing; chunks
of any size reach the same end. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import io
import json
import os
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.management.commands import worker
from lapor.notifications.models import OutboxMessage
from lapor.reports import services
from lapor.reports.models import Attachment, Report, ReporterIdentity, TimelineEvent
from lapor.reports.retention import retention_run
from lapor.reports.workflow import Status
from tests.factories import BODY, World, report_in

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=800)


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return dict(json.loads(out.getvalue().strip().splitlines()[-1]))


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, format="PNG")
    return SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")


def identifies(report: Report) -> bool:
    report.refresh_from_db()
    return bool(
        report.reporter_id
        or report.access_code_digest
        or ReporterIdentity.objects.filter(report=report).exists()
        or Attachment.objects.filter(report=report, uploaded_by_role="reporter").exists()
        or TimelineEvent.objects.filter(report=report, actor_role="reporter", actor__isnull=False).exists()
    )


@pytest.fixture
def reports(world: World) -> dict[str, Report]:
    with clock.frozen_at(clock.now() - LONG_AGO):
        old_closed = report_in(world, Status.CLOSED)
        guest = services.report_submit(
            draft=services.ReportDraft(body=BODY, reporter_name="Tamu Lama", reporter_email="tamu@contoh.id"),
            actor=Viewer.public(),
            files=[photo()],
        )
        services.report_archive(report=guest.report, actor=world.viewer("verifier"), reason="too_general")
        old_open = report_in(world, Status.IN_PROGRESS)  # open for ages: still being handled, kept
        OutboxMessage.objects.create(
            dedupe_key="lama:email:tamu@contoh.id",
            channel="email",
            address="tamu@contoh.id",
            subject="Laporan lama",
            body="...",
            state=OutboxMessage.State.SENT,
            created_at=clock.now(),
        )
    recent_closed = report_in(world, Status.CLOSED)
    return {
        "old_closed": old_closed,
        "old_guest_archived": guest.report,
        "guest_code": guest.access_code,  # type: ignore[dict-item]
        "old_open": old_open,
        "recent_closed": recent_closed,
    }


def test_dry_run_counts_and_changes_nothing(reports: dict[str, Any]) -> None:
    result = run("--dry-run")
    assert result["dry_run"] is True and result["reports_due"] == 2 and result["reports_deidentified"] == 0
    assert result["messages_purged"] == 1
    assert identifies(reports["old_closed"]) and identifies(reports["old_guest_archived"])
    assert OutboxMessage.objects.filter(dedupe_key="lama:email:tamu@contoh.id").exists()


def test_retention_forgets_only_long_ended_reports_and_is_idempotent(
    reports: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    guest = reports["old_guest_archived"]
    code = reports["guest_code"]
    assert (
        Client().get(f"/api/v1/reports/{guest.tracking_id}", headers={"X-Access-Code": code}).status_code
        == 200
    )
    file_path = Attachment.objects.get(report=guest).file.path

    with django_capture_on_commit_callbacks(execute=True):
        first = run()
    assert first["reports_due"] == 2 and first["reports_deidentified"] == 2 and first["messages_purged"] == 1
    assert not identifies(reports["old_closed"]) and not identifies(guest)
    assert identifies(reports["old_open"]) and identifies(reports["recent_closed"])
    assert not Attachment.objects.filter(report=guest).exists()
    assert not os.path.exists(file_path)
    # The guest's code no longer opens anything; the report itself is still there, as it was.
    assert (
        Client().get(f"/api/v1/reports/{guest.tracking_id}", headers={"X-Access-Code": code}).status_code
        == 404
    )
    guest.refresh_from_db()
    assert guest.status == Status.ARCHIVED and guest.body == BODY
    closed = reports["old_closed"]
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED and closed.rating == 5 and closed.events.count() >= 5

    second = run()
    assert (
        second["reports_due"] == 0 and second["reports_deidentified"] == 0 and second["messages_purged"] == 0
    )


def test_the_setting_and_the_option_set_the_period(reports: dict[str, Any], settings: Any) -> None:
    settings.LAPOR_RETENTION_DAYS = 900
    assert run("--dry-run")["reports_due"] == 0
    assert run("--dry-run", "--days", "30")["reports_due"] == 2
    settings.LAPOR_RETENTION_DAYS = 1
    assert run("--dry-run")["reports_due"] == 2  # the recent one closed today: not yet a day ago


def test_small_chunks_reach_the_same_end(world: World) -> None:
    with clock.frozen_at(clock.now() - LONG_AGO):
        many = [report_in(world, Status.CLOSED) for _ in range(5)]
    result = retention_run(chunk=2)
    assert result.due == 5 and result.deidentified == 5
    assert not any(identifies(report) for report in many)


def test_bad_options_are_refused(world: World) -> None:
    with pytest.raises(CommandError):
        run("--days", "0")
    with pytest.raises(CommandError):
        run("--chunk", "0")


def test_the_worker_runs_retention_daily() -> None:
    assert get_commands()["retention"] == "lapor.notifications"
    source = open(worker.__file__, encoding="utf-8").read()
    assert '(["retention"], 86400)' in source
