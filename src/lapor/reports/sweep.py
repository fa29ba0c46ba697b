"""The deadline sweep: applies everything that is due at `now`, idempotently (DESIGN §6).

Work is found by indexed due moments stored at each transition; each report is handled in its own
transaction, so one failure never blocks the rest, and running twice at the same `now` does nothing
the second time (every step moves the moment it was found by)."""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from django.db.models import QuerySet

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.errors import ApplicationError
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.workflow import ArchiveReason, Status

__all__ = ["sweep"]

logger = logging.getLogger(__name__)
BATCH = 500


def _ids(qs: QuerySet[Report]) -> Iterable[int]:
    return qs.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)


def _each(qs: QuerySet[Report], step: Callable[[Report], object], counts: Counter[str], key: str) -> None:
    for pk in _ids(qs):
        report = Report.objects.select_related("agency__region", "category").get(pk=pk)
        try:
            if step(report) is not False:
                counts[key] += 1
        except ApplicationError as exc:  # the report moved on since we looked: nothing to do
            logger.info("sweep %s skipped %s: %s", key, report.tracking_id, exc.code)


def _escalate_all_due(report: Report) -> int:
    """Climb every level that is due now, one event each."""
    climbed = 0
    now = clock.now()
    while report.next_escalation_at is not None and report.next_escalation_at <= now:
        services.report_escalate(report=report)
        climbed += 1
    return climbed


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    counts: Counter[str] = Counter()
    with clock.frozen_at(now or clock.now()) as moment:
        _each(
            Report.objects.filter(status=Status.RESPONDED, reply_due_at__lte=moment),
            lambda r: services.report_auto_close(report=r),
            counts,
            "auto_closed",
        )
        _each(
            Report.objects.filter(status=Status.ON_HOLD, hold_expires_at__lte=moment),
            lambda r: services.report_archive(
                report=r,
                actor=Viewer.system(),
                reason=ArchiveReason.TOO_GENERAL,
                message="Informasi yang diminta tidak dilengkapi dalam batas waktu; laporan diarsipkan.",
            ),
            counts,
            "archived",
        )
        for pk in _ids(Report.objects.filter(next_escalation_at__lte=moment)):
            report = Report.objects.select_related("agency__region", "category").get(pk=pk)
            try:
                counts["escalations"] += _escalate_all_due(report)
            except ApplicationError as exc:
                logger.info("sweep escalation skipped %s: %s", report.tracking_id, exc.code)
        _each(
            Report.objects.filter(remind_at__lte=moment),
            lambda r: services.report_remind(report=r),
            counts,
            "reminders",
        )
    return {key: counts[key] for key in ("auto_closed", "archived", "escalations", "reminders")}
