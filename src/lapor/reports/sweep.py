"""The deadline sweep: applies everything that is due at `now`, idempotently (DESIGN §6).

Work is found by indexed due moments stored at each transition; each report is handled in its own
transaction, so one failure never blocks the rest, and running twice at the same `now` does nothing
the second time (every step moves the moment it was found by). On PostgreSQL the due reports are
shared among a few threads (ADR 0024)."""

import contextvars
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.models import QuerySet

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.errors import ApplicationError
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.workflow import ArchiveReason, Status

__all__ = ["sweep"]

logger = logging.getLogger(__name__)

Step = Callable[[Report], int]


def _due(qs: QuerySet[Report]) -> list[int]:
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _handle(pk: int, step: Step, key: str) -> int:
    """One report in its own transaction (the service's): a report that moved on since it was found, or
    a failed transaction, is skipped and keeps its due moment, so the next sweep tries it again."""
    report = Report.objects.select_related("agency__region", "category").get(pk=pk)
    try:
        return step(report)
    except ApplicationError as exc:  # the report moved on since we looked: nothing to do
        logger.info("sweep %s skipped %s: %s", key, report.tracking_id, exc.code)
    except DatabaseError as exc:  # a deadlock or a lost connection: this one waits for the next sweep
        logger.warning("sweep %s failed for %s, left for the next run: %r", key, report.tracking_id, exc)
    return 0


def _threads() -> int:
    """Reports are independent, and a sweep waits on the database far more than it computes: on
    PostgreSQL several threads, each with its own connection, work through the due reports at once
    (LAPOR_SWEEP_THREADS). SQLite has one writer, so it is always one."""
    return max(1, settings.LAPOR_SWEEP_THREADS) if connection.vendor == "postgresql" else 1


def _each(qs: QuerySet[Report], step: Step, key: str) -> int:
    pks = _due(qs)
    threads = min(_threads(), len(pks))
    if threads <= 1:
        return sum(_handle(pk, step, key) for pk in pks)
    context = contextvars.copy_context()  # the sweep's frozen clock, in every thread

    def work(share: list[int]) -> int:
        try:
            return sum(_handle(pk, step, key) for pk in share)
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(threads, thread_name_prefix="sweep") as pool:
        shares = [pks[i::threads] for i in range(threads)]
        return sum(pool.map(lambda share: context.copy().run(work, share), shares))


def _counted(action: Callable[[Report], object]) -> Step:
    return lambda report: 0 if action(report) is False else 1


def _escalate_all_due(report: Report) -> int:
    """Climb every level that is due now, one event each."""
    climbed = 0
    now = clock.now()
    while report.next_escalation_at is not None and report.next_escalation_at <= now:
        services.report_escalate(report=report)
        climbed += 1
    return climbed


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    with clock.frozen_at(now or clock.now()) as moment:
        return {
            "auto_closed": _each(
                Report.objects.filter(status=Status.RESPONDED, reply_due_at__lte=moment),
                _counted(lambda r: services.report_auto_close(report=r)),
                "auto_closed",
            ),
            "archived": _each(
                Report.objects.filter(status=Status.ON_HOLD, hold_expires_at__lte=moment),
                _counted(
                    lambda r: services.report_archive(
                        report=r,
                        actor=Viewer.system(),
                        reason=ArchiveReason.TOO_GENERAL,
                        message="Informasi yang diminta tidak dilengkapi dalam batas waktu; "
                        "laporan diarsipkan.",
                    )
                ),
                "archived",
            ),
            "escalations": _each(
                Report.objects.filter(next_escalation_at__lte=moment), _escalate_all_due, "escalation"
            ),
            "reminders": _each(
                Report.objects.filter(remind_at__lte=moment),
                _counted(lambda r: services.report_remind(report=r)),
                "reminders",
            ),
        }
