"""Intake counted in instructions, not seconds: what a filing costs LAPOR's Python against the floor's,
the same on a quiet machine and a loaded one (valgrind's callgrind counts instructions, docs/performance.md).

    python bench/instructions.py          # prints one JSON document, appends it to results/instructions.jsonl

Each figure is a difference of two runs of one script under callgrind, one filing `SMALL` times and
one `LARGE` times, divided by the difference: Python's and Django's start-up cancels out.

- `accept`: `POST /api/v1/reports` through Django's test client, as the journal accepts it (ADR
  0033), on a fresh database `lapor_bench_instr` (migrated, seeded).
- `write_out`: one write-out batch of `SMALL` or `LARGE` filings (`reports.services.journal`).
- `floor`: the floor's one-row view (bench/floor) through the same client, database `floor_bench_instr`.

Each process is warmed first, and LAPOR's heap is then frozen as `lapor.wsgi` freezes a web worker's.
The journal is emptied before the warm-up. Otherwise a run's warm-up would write out what the run
before it left there, and that would be counted as the run's own work.

It measures instructions only. Under load, five workers on two cores also wait on memory, the kernel
and PostgreSQL, which `bench/intake.py` measures. Needs valgrind (Debian: `apt-get install valgrind`)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import harness  # bench/, the script's own folder, is on sys.path

SMALL, LARGE = 20, 220
DB, FLOOR_DB = "lapor_bench_instr", "floor_bench_instr"
WORK = Path(tempfile.gettempdir()) / "lapor-bench"

_BODY = """
TEXT = "Jalan berlubang di depan pasar sudah tiga bulan tidak diperbaiki dan membahayakan pengendara."
def body(i):
    return json.dumps({"title": f"Laporan {tag}-{i}", "body": TEXT, "region": ["34.04", "32.73"][i % 2],
                       "reporter_name": "Warga Uji", "reporter_email": f"warga{i}@example.invalid"})
"""

# Run as `python -c`, with the count and a tag as arguments; each warms every path first.
LAPOR = f"""
import gc, json, sys, django
django.setup()
from django.db import transaction
from django.test import Client
from lapor.reports.models import PendingFiling
from lapor.reports.services.journal import _write_batch, filings_write_out
phase, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
{_BODY}
client = Client(HTTP_HOST="127.0.0.1")
def file(i):
    response = client.post("/api/v1/reports", body(i), content_type="application/json")
    assert response.status_code == 201, response.content
PendingFiling.objects.all().delete()  # what an earlier run left: the warm-up must not write it out
for i in range(30):
    file(100_000 + i)
filings_write_out()
PendingFiling.objects.all().delete()
gc.freeze()  # as lapor.wsgi does once a worker has loaded everything
for i in range(n if phase == "accept" else {LARGE}):
    file(i)
if phase == "write_out":
    with transaction.atomic():
        assert _write_batch(list(PendingFiling.objects.order_by("id")[:n])) == n
"""

FLOOR = f"""
import json, sys, django
django.setup()
from django.test import Client
n, tag = int(sys.argv[2]), sys.argv[3]
{_BODY}
client = Client(HTTP_HOST="127.0.0.1")
for i in range(30 + n):
    assert client.post("/rows", body(i), content_type="application/json").status_code == 201
"""


def _count(code: str, args: list[str], env: dict[str, str]) -> int:
    """Instructions callgrind counted for `python -c code args`."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code, *args],
        env={**os.environ, **env, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    raise RuntimeError(done.stderr[-2000:])


def _per_filing(code: str, phase: str, env: dict[str, str]) -> int:
    tag = os.urandom(4).hex()
    small = _count(code, [phase, str(SMALL), f"{tag}s"], env)
    large = _count(code, [phase, str(LARGE), f"{tag}l"], env)
    return round((large - small) / (LARGE - SMALL))


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    var = WORK / f"var-{DB}"
    var.mkdir(parents=True, exist_ok=True)
    lapor = {
        "DATABASE_URL": f"{harness.PG}/{DB}",
        "DJANGO_SETTINGS_MODULE": "lapor.settings",
        "LAPOR_VAR_DIR": str(var),
        "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "LAPOR_LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
        "LAPOR_RATELIMIT_OFF": "1",
        "LAPOR_INTAKE_JOURNAL": "1",
        "PYTHONPATH": str(harness.ROOT / "src"),
    }
    floor = {
        "FLOOR_DATABASE_URL": f"{harness.PG}/{FLOOR_DB}",
        "DJANGO_SETTINGS_MODULE": "floorbench.settings",
        "PYTHONPATH": str(harness.BENCH / "floor"),
    }
    harness.recreate_db(DB)
    harness.recreate_db(FLOOR_DB)
    lapor_cli = str(harness.VENV_BIN / "lapor")
    for command in (["migrate", "--noinput"], ["createcachetable"], ["seed"]):
        subprocess.run([lapor_cli, *command], env={**os.environ, **lapor}, check=True, capture_output=True)
    manage = [sys.executable, str(harness.BENCH / "floor" / "manage.py"), "migrate", "--run-syncdb"]
    subprocess.run(manage, env={**os.environ, **floor}, check=True, capture_output=True)
    accept = _per_filing(LAPOR, "accept", lapor)
    write_out = _per_filing(LAPOR, "write_out", lapor)
    floor_request = _per_filing(FLOOR, "floor", floor)
    result = {
        "bench": "instructions",
        "date": harness.now_iso(),
        "machine": harness.machine(),
        "method": f"callgrind, ({LARGE} - {SMALL} filings) / {LARGE - SMALL}, Django's test client",
        "accept_instructions": accept,
        "write_out_instructions": write_out,
        "floor_instructions": floor_request,
        # What one filing costs in all against the floor's one request: half the floor's rate would
        # need this at most 2 if every instruction cost the same (under load they do not).
        "filing_vs_floor": round((accept + write_out) / floor_request, 2),
        "accept_vs_floor": round(accept / floor_request, 2),
    }
    harness.append_result("instructions", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
