"""The intake path's statements (ADR 0023, 0028): what a filing without files no longer does, and that the
rollups it still writes, one upsert per table, count right. Counts of statements, never timings."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lapor.analytics.models import Backlog, Rollup, VolumeHour
from lapor.notifications.models import OutboxMessage
from lapor.reports.models import Report
from tests.api.helpers import post_json
from tests.factories import BODY, World, guest_report

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports"


def numbered(n: int) -> dict[str, object]:
    """A distinct guest filing per `n` (distinct text and receipt address)."""
    return guest_report(
        title=f"Jalan berlubang {n}", body=f"{BODY} ({n})", reporter_email=f"warga{n}@example.invalid"
    )


def file(n: int) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = post_json(Client(), REPORTS, numbered(n))
    assert response.status_code == 201, response.content
    return [q["sql"] for q in ctx.captured_queries]


def on(table: str, statements: list[str]) -> list[str]:
    return [s for s in statements if f'"{table}"' in s]


def test_a_filing_without_files_neither_locks_its_report_nor_rereads_the_identity(world: World) -> None:
    statements = file(1)
    report_reads = [s for s in statements if 'FROM "reports_report"' in s]
    assert report_reads == [], report_reads  # no lock of the new row, no attachment quota to sum
    assert on("reports_attachment", statements) == []
    identity = [s for s in on("reports_reporteridentity", statements) if "nextval" not in s]
    assert len(identity) == 1 and identity[0].lstrip().upper().startswith("INSERT"), identity
    receipt = OutboxMessage.objects.get()  # the receipt still reaches the guest, from the identity written
    assert receipt.address == "warga1@example.invalid"


def test_rollups_take_one_upsert_per_table_in_one_round_trip_and_add_up(world: World) -> None:
    statements = file(1)
    tables = ("analytics_rollup", "analytics_backlog", "analytics_volumehour")
    for table in tables:
        written = on(table, statements)
        assert len(written) == 1, (table, written)
        assert written[0].count(f'INSERT INTO "{table}"') == 1 and "ON CONFLICT" in written[0].upper()
    # PostgreSQL gets the three upserts as one batch (ADR 0028, 0032); SQLite one by one
    batches = {statement for table in tables for statement in on(table, statements)}
    assert len(batches) == (1 if connection.vendor == "postgresql" else 3), batches
    file(2)  # the same cells again: the upsert adds, it does not overwrite
    received = Rollup.objects.filter(agency="", category="roads_infrastructure", province="34")
    assert sum(received.values_list("received", flat=True)) == 2
    assert Backlog.objects.get(agency="", category="roads_infrastructure", province="34").count == 2
    assert sum(VolumeHour.objects.filter(region="34.04").values_list("count", flat=True)) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes each statement at once")
def test_on_postgresql_a_filing_sends_every_write_in_one_round_trip(world: World) -> None:
    file(1)  # the first filing of this process reads the reference copies
    transaction_control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    statements = [s for s in file(2) if not s.startswith(transaction_control)]
    draw, writes = statements  # the keys the rows point at, then everything else (ADR 0032)
    assert draw.startswith("SELECT nextval"), statements
    tables = (
        "reports_report",
        "reports_reporteridentity",
        "reports_timelineevent",
        "notifications_outboxmessage",
        "analytics_rollup",
        "analytics_backlog",
        "analytics_volumehour",
    )
    assert [writes.count(f'INSERT INTO "{table}"') for table in tables] == [1] * len(tables), writes
    report = Report.objects.get(title="Jalan berlubang 2")
    assert report.identity.email == "warga2@example.invalid" and report.events.get().action == "submit"


def test_a_filing_reads_regions_categories_and_policies_from_the_process_copy(world: World) -> None:
    file(1)  # the first filing of this process reads them once
    statements = file(2)
    for table in ("geo_region", "agencies_category", "sla_policyversion"):
        assert on(table, statements) == [], table


def test_the_receipt_is_leased_when_written_and_enqueued_without_being_read_back(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        response = post_json(Client(), REPORTS, numbered(3))
    assert response.status_code == 201, response.content
    outbox = on("notifications_outboxmessage", [q["sql"] for q in ctx.captured_queries])
    # The tests' task backend runs the job at once: the statement after the INSERT is already the
    # delivery's claim, so the enqueue itself neither read the message back nor re-leased it.
    assert outbox[0].lstrip().upper().startswith("INSERT"), outbox
    claim = outbox[1].lstrip().upper()
    assert claim.startswith("SELECT") and '"NOTIFICATIONS_OUTBOXMESSAGE"."ID" =' in claim, outbox
    assert not any('"dedupe_key" IN' in statement for statement in outbox), outbox
    receipt = OutboxMessage.objects.get()
    assert receipt.state == OutboxMessage.State.SENT and receipt.attempts == 1


def test_with_the_database_task_backend_a_filing_writes_no_job_and_the_relay_hands_it_over_once(
    world: World, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from lapor.notifications.delivery import flush

    settings.TASK_MODE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    statements = file(4)  # the test's transaction never commits: no on-commit hook runs
    assert not any("django_tasks_database_dbtaskresult" in s for s in statements), statements
    receipt = OutboxMessage.objects.get()
    assert receipt.state == OutboxMessage.State.PENDING and receipt.next_attempt_at <= timezone.now()
    assert not DBTaskResult.objects.exists()

    assert flush() == 1  # the worker's relay: leased and enqueued together
    job = DBTaskResult.objects.get()
    assert job.args_kwargs == {"args": [str(receipt.pk), 0], "kwargs": {}}
    receipt.refresh_from_db()
    assert receipt.next_attempt_at > timezone.now()  # leased: the next relay leaves it to its job
    assert flush() == 0 and DBTaskResult.objects.count() == 1
