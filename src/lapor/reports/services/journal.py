"""The intake journal (ADR 0033): a filing is accepted into one row while the citizen waits, and the
worker writes it out in batches through the same code as a bulk filing. Nothing accepted is lost (the
row is durable before the answer, and stays until its report is written in the same transaction that
deletes it); nothing is written twice (the tracking id and (channel, external_ref) are unique across
the rows and the reports)."""

import logging
from collections.abc import Sequence
from contextlib import nullcontext
from functools import cache
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Field

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.ids import new_tracking_id
from lapor.core.models import User, hash_secret
from lapor.reports.attachments import CleanFile
from lapor.reports.journal import draft_json, report_of
from lapor.reports.models import PendingFiling, Receipt, Report, ReporterIdentity
from lapor.reports.services.bulk import write_reports
from lapor.reports.services.submit import (
    ReportDraft,
    Submitted,
    _checked,
    _existing,
    report_submit,
)
from lapor.sla.policy import SlaPolicy

__all__ = ["filings_write_out", "report_file"]

logger = logging.getLogger(__name__)

# A row that failed this often waits for an operator (`lapor intake status`); a batch is retried first.
MAX_ATTEMPTS = 5
_TRACKING_ID_DRAWS = 5


def report_file(
    *, draft: ReportDraft, actor: Viewer, files: Sequence[UploadedFile | CleanFile] = ()
) -> Submitted:
    """`report_submit`, or, with the journal in use and nothing attached, the same checks and then
    one row. Files must be checked and stored while the citizen waits, so they keep the direct path."""
    if files or not PendingFiling.in_use():
        return report_submit(draft=draft, actor=actor, files=files)
    if (found := _existing(draft)) is not None:
        return Submitted(report=found, access_code=None, created=False)
    _resolved, identity, access_code = _checked(draft, actor)  # resolved again at write-out
    return _accept(draft, identity, actor, access_code)


def _accept(
    draft: ReportDraft, identity: ReporterIdentity, actor: Viewer, access_code: str | None
) -> Submitted:
    """Store a validated filing as one row: one statement, in autocommit. The row is refused when a
    report already holds its tracking id (drawn again) or its (channel, external_ref) (the stored one
    is answered). The row's values go straight into the statement: a model instance, and an unsaved
    report as the answer, cost a tenth of the acceptance for nothing."""
    now = clock.now()
    row: dict[str, Any] = {
        "channel": draft.channel,
        "external_ref": draft.external_ref or None,
        "reporter_id": actor.user.pk if actor.user else None,
        "access_code_digest": hash_secret(access_code) if access_code else "",
        "draft": draft_json(draft, identity),
        "accepted_at": now,
    }
    for _ in range(_TRACKING_ID_DRAWS):
        row["tracking_id"] = new_tracking_id()
        try:
            # A savepoint only inside a transaction (tests, a channel's own); a request runs in autocommit.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                inserted = _insert_unless_reported(row)
        except IntegrityError:
            inserted = False  # the journal holds this tracking id or (channel, external_ref)
        if inserted:
            return Submitted(report=Receipt(row["tracking_id"]), access_code=access_code)
        if (found := _existing(draft)) is not None:
            return Submitted(report=found, access_code=None, created=False)
    raise IntegrityError("no free tracking id after several draws")


@cache
def _insert_sql(same_ref: bool) -> tuple[str, tuple[Field[Any, Any], ...]]:
    """INSERT ... SELECT ... WHERE NOT EXISTS: the reports are checked in the same statement. Table and
    column names are our models'; every value is a parameter."""
    columns = tuple(f for f in PendingFiling._meta.concrete_fields if not f.primary_key)
    reports = Report._meta.db_table
    unless = f"NOT EXISTS (SELECT 1 FROM {reports} WHERE tracking_id = %s)"  # noqa: S608  # nosec B608
    if same_ref:
        unless += f" AND NOT EXISTS (SELECT 1 FROM {reports} WHERE channel = %s AND external_ref = %s)"  # noqa: S608  # nosec B608
    names, marks = ", ".join(str(f.column) for f in columns), ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {PendingFiling._meta.db_table} ({names}) SELECT {marks} WHERE {unless}"  # noqa: S608  # nosec B608
    return sql, columns


def _insert_unless_reported(row: dict[str, Any]) -> bool:
    """`row`: the journal row's values by attribute name; a column not given takes its default."""
    sql, columns = _insert_sql(bool(row["external_ref"]))
    params = [
        f.get_db_prep_save(row[f.attname] if f.attname in row else f.get_default(), connection)
        for f in columns
    ]
    params.append(row["tracking_id"])
    if row["external_ref"]:
        params += [row["channel"], row["external_ref"]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def filings_write_out(*, limit: int = 500, reporter: User | None = None) -> int:
    """Write out what the journal holds, oldest first, in batches of `limit`, each in one
    transaction with the deletion of its rows. Two workers take disjoint rows (SKIP LOCKED on
    PostgreSQL). Returns the number of reports written. With `reporter`, only that account's
    filings, waiting for any a worker is writing: an account being deleted has every filing of
    theirs become a report first, so that it is de-identified with the rest, not lost."""
    total = 0
    while True:
        with transaction.atomic():
            due = PendingFiling.objects.filter(attempts__lt=MAX_ATTEMPTS)
            if reporter is None:
                due = due.select_for_update(skip_locked=True)
            else:
                due = due.filter(reporter=reporter).select_for_update()
            rows = list(due.order_by("id")[:limit])
            written = _write_batch(rows) if rows else 0
        total += written
        if len(rows) < limit:
            return total


def _write_batch(rows: list[PendingFiling]) -> int:
    policies: dict[str, SlaPolicy] = {}
    try:
        with transaction.atomic():
            write_reports([report_of(row, policies=policies) for row in rows], bulk=False)
            PendingFiling.objects.filter(pk__in=[row.pk for row in rows]).delete()
            return len(rows)
    except Exception as exc:  # noqa: BLE001  # a row clashes or cannot be read: find it, one by one
        logger.info("writing out %d filings at once failed (%r): one by one", len(rows), exc)
    written = 0
    for row in rows:
        try:
            with transaction.atomic():
                write_reports([report_of(row, policies=policies)], bulk=False)
                row.delete()
                written += 1
        except Exception as exc:  # noqa: BLE001  # kept for the next round, and the operator after a few
            if (
                row.external_ref
                and Report.objects.filter(channel=row.channel, external_ref=row.external_ref).exists()
            ):
                row.delete()  # a retry filed the same push with attachments, directly: that report is it
                continue
            logger.warning("could not write out filing %s: %r", row.tracking_id, exc)
            PendingFiling.objects.filter(pk=row.pk).update(
                attempts=row.attempts + 1, last_error=repr(exc)[:500]
            )
    return written
