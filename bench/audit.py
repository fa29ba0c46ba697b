"""Audit chain benchmark on PostgreSQL: what recording costs a staff action, how fast the chain
appends alone and from several threads, and how fast `verify` walks it.

    python bench/audit.py            # prints one JSON document

The cost of auditing is measured as an A/B in the same run: the same internal note written with the
audit listener connected and disconnected, in alternating blocks, since these machines are shared.
Uses its own database (`lapor_h_audit_bench`, recreated each run)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.harness import PG, recreate_db  # noqa: E402

DB = "lapor_h_audit_bench"
os.environ["DATABASE_URL"] = f"{PG}/{DB}"
os.environ.setdefault("LAPOR_VAR_DIR", tempfile.mkdtemp(prefix="lapor-bench-audit-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"

NOTES, BLOCK, APPENDS, THREADS = 200, 20, 1000, 4


def _per_call_ms(fn, n: int) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - started) * 1000 / n


def main() -> int:
    recreate_db(DB)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)

    from tests.factories import build_world, report_in

    from lapor.audit.listeners import record_staff_action
    from lapor.audit.models import AuditEntry
    from lapor.audit.services import audit_record
    from lapor.audit.verify import verify_chain
    from lapor.reports import services
    from lapor.reports.events import report_event_recorded
    from lapor.reports.workflow import Status

    world = build_world()
    report = report_in(world, Status.IN_PROGRESS)
    admin = world.viewer("admin_pemda")

    def note() -> None:
        services.report_note(report=report, actor=admin, note="Petugas sudah meninjau lokasi.")

    with_audit: list[float] = []
    without_audit: list[float] = []
    for _ in range(NOTES // BLOCK):
        with_audit.append(_per_call_ms(note, BLOCK))
        report_event_recorded.disconnect(dispatch_uid="lapor-audit-staff-action")
        try:
            without_audit.append(_per_call_ms(note, BLOCK))
        finally:
            report_event_recorded.connect(record_staff_action, dispatch_uid="lapor-audit-staff-action")

    def append() -> None:
        audit_record(action="bench.append", actor=None, target_type="bench", target_id="1")

    one_thread_ms = _per_call_ms(append, APPENDS)

    def writer() -> None:
        for _ in range(APPENDS // THREADS):
            append()
        connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(THREADS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threaded_s = time.perf_counter() - started

    started = time.perf_counter()
    outcome = verify_chain()
    verify_s = time.perf_counter() - started

    result = {
        "benchmark": "audit",
        "database": "postgresql",
        "note_ms_with_audit_median": round(statistics.median(with_audit), 3),
        "note_ms_without_audit_median": round(statistics.median(without_audit), 3),
        "audit_cost_ms_per_staff_action": round(
            statistics.median(with_audit) - statistics.median(without_audit), 3
        ),
        "append_ms_one_thread": round(one_thread_ms, 3),
        "appends_per_s_one_thread": round(1000 / one_thread_ms, 1),
        "appends_per_s_threads": round(APPENDS / threaded_s, 1),
        "threads": THREADS,
        "verify_entries": outcome.entries_checked,
        "verify_ok": outcome.ok,
        "verify_entries_per_s": round(outcome.entries_checked / verify_s, 1),
        "entries_total": AuditEntry.objects.count(),
        "loadavg": os.getloadavg(),
    }
    print(json.dumps(result))
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
