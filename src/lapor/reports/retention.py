"""Retention: reporters of reports that ended long ago are forgotten (ADR 0018).

A report is due when it has been closed for more than `LAPOR_RETENTION_DAYS` (or archived that long
ago, by the time of its archiving event: archived is terminal) and still identifies its reporter.
Work goes in chunks, each in its own transaction, so a large first run neither holds locks for long
nor loses what it did when interrupted; a second run finds nothing left to do."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from lapor.core import clock
from lapor.reports.models import Attachment, Report, ReporterIdentity, TimelineEvent
from lapor.reports.services.personal_data import reporter_deidentify
from lapor.reports.workflow import Actor, Status

__all__ = ["RetentionResult", "retention_cutoff", "retention_due", "retention_run"]


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    due: int
    deidentified: int
    dry_run: bool


def retention_cutoff(*, now: datetime | None = None, days: int | None = None) -> datetime:
    keep = settings.LAPOR_RETENTION_DAYS if days is None else days
    return (now or clock.now()) - timedelta(days=keep)


def retention_due(*, cutoff: datetime) -> QuerySet[Report]:
    archived_long_ago = Exists(
        TimelineEvent.objects.filter(report=OuterRef("pk"), to_status=Status.ARCHIVED, created_at__lt=cutoff)
    )
    ended = Q(status=Status.CLOSED, closed_at__lt=cutoff) | (Q(status=Status.ARCHIVED) & archived_long_ago)
    identifies = (
        Q(reporter__isnull=False)
        | ~Q(access_code_digest="")
        | Exists(ReporterIdentity.objects.filter(report=OuterRef("pk")))
        | Exists(Attachment.objects.filter(report=OuterRef("pk"), uploaded_by_role=Actor.REPORTER))
        | Exists(
            TimelineEvent.objects.filter(
                report=OuterRef("pk"), actor_role=Actor.REPORTER, actor__isnull=False
            )
        )
    )
    return Report.objects.filter(ended & identifies)


def retention_run(
    *, now: datetime | None = None, days: int | None = None, dry_run: bool = False, chunk: int = 200
) -> RetentionResult:
    cutoff = retention_cutoff(now=now, days=days)
    due = retention_due(cutoff=cutoff)
    total = due.count()
    if dry_run:
        return RetentionResult(cutoff=cutoff, due=total, deidentified=0, dry_run=True)
    done, last = 0, 0
    while True:
        ids = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        with transaction.atomic():
            for report in Report.objects.filter(pk__in=ids).order_by("pk"):
                done += reporter_deidentify(report=report)
        last = ids[-1]
    return RetentionResult(cutoff=cutoff, due=total, deidentified=done, dry_run=False)
