"""The deadline sweep (`lapor sweep`) over a database of open reports whose due moments lie around now.

    .venv/bin/python bench/generate.py --reports 1000000 --open-around-now --database-url …/lapor_bench_sweep
    .venv/bin/python bench/sweep.py --database-url …/lapor_bench_sweep

The generator spreads the current deadline of every open report from `--due-past-hours` before now to
`--due-spread-days` after it, so one sweep finds the work that fell due since the previous run (an hour
by default) among a million open reports. Runs the sweep, then runs it again at the same moment (the
second run finds nothing: the cost of looking alone), and saves the plans of the finding queries.
Prints one JSON object and appends it to bench/results/sweep.jsonl."""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import harness  # bench/, the script's own folder, is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lapor_bench_sweep"

FINDERS = {
    "auto_close": "SELECT id FROM reports_report WHERE status = 'responded' AND reply_due_at <= %s "
    "ORDER BY id",
    "archive": "SELECT id FROM reports_report WHERE status = 'on_hold' AND hold_expires_at <= %s ORDER BY id",
    "escalate": "SELECT id FROM reports_report WHERE next_escalation_at <= %s ORDER BY id",
    "remind": "SELECT id FROM reports_report WHERE remind_at <= %s ORDER BY id",
}


def run(args: argparse.Namespace) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lapor.reports.sweep import sweep

    call_command("migrate", verbosity=0)
    now = datetime.now(UTC)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM reports_report WHERE status IN "
            "('submitted', 'on_hold', 'routed', 'in_progress', 'responded')"
        )
        open_reports = cur.fetchone()[0]
        due: dict[str, int] = {}
        plans = []
        for name, sql in FINDERS.items():
            cur.execute(f"SELECT count(*) FROM ({sql}) found", [now])
            due[name] = cur.fetchone()[0]
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, [now])
            plans.append(f"-- {name}\n{sql}\n\n" + "\n".join(r[0] for r in cur.fetchall()) + "\n")
    folder = RESULTS / "explain" / f"sweep-{args.label}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "finders.txt").write_text("\n".join(plans))
    started = time.perf_counter()
    first = sweep(now=now)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = sweep(now=now)
    idle = time.perf_counter() - started
    handled = sum(first.values())
    return {
        "bench": "sweep",
        "scale": args.label,
        "open_reports": open_reports,
        "due_found": due,
        "done": first,
        "seconds": round(seconds, 2),
        "reports_per_s": round(handled / seconds, 1) if seconds else None,
        "second_run": second,
        "second_run_seconds": round(idle, 3),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "load_avg_1m": round(os.getloadavg()[0], 1),  # the machine is shared: context for the numbers
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--label", default="1m")
    args = parser.parse_args()
    result = run(args)
    harness.append_result("sweep", result)


if __name__ == "__main__":
    main()
