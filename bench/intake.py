"""Intake throughput on PostgreSQL, beside the framework floor and the peer, in one run.

    python bench/intake.py                # prints one JSON document, appends it to results/intake.jsonl
    python bench/intake.py --no-peer      # LAPOR and the floor only

1. LAPOR: `POST /api/v1/reports` as a guest (JSON, every body unique: bench/lua/file_report.lua) under
   gunicorn (2 x cores + 1 sync workers) on a fresh database `lapor_bench_intake`, wrk with 16 connections.
   This is the real path: validation, deadlines, tracking id, identity, timeline, notification outbox,
   webhooks and rollups in the event's transaction, the on-commit listeners. By default as a national
   deployment runs it, through the intake journal (ADR 0033) with `lapor intake write-out --every 1`
   running beside the web workers: a run counts the reports written out, over the time until the last
   is written, and the CPU per filing includes the writer's. BENCH_JOURNAL=0 measures the direct path.
2. The floor: a `startproject`-default Django project (bench/floor) whose one view parses the same JSON and
   inserts one row, same gunicorn/wrk/PostgreSQL settings, database `floor_bench`. Its runs alternate
   with LAPOR's, so both see the same machine.
3. Reads: the tracking page (`/laporan/<id>/` of public reports) and the officer queue API (a verifier's
   `GET /api/v1/reports?status=submitted`, first page). With the 100k data set of bench/generate.py
   (database `lapor_bench`) when it is there; otherwise on the intake database (demo data plus what the
   intake runs filed), and the result says so (`reads_dataset`).
4. Memory: resident size of each gunicorn worker after the load, and of `lapor worker` after it has
   flushed the outbox the load left.
5. The peer (django-helpdesk, bench/peer.py): submission, ticket view and staff list at 100k tickets.

Knobs (environment): BENCH_RUNS=3 counted runs, BENCH_DUR=20 s each, BENCH_WARM=5, BENCH_CONC=16,
BENCH_WORKERS=2*cores+1, BENCH_PG=postgres://postgres@127.0.0.1:5432, BENCH_READS_DB=lapor_bench,
BENCH_READS_REDIS=redis://127.0.0.1:6379/14 (the reads server's cache; empty: embedded, local memory),
BENCH_WRITER_EVERY=1 (the writer's period, seconds), BENCH_GUNICORN_ARGS (added to every gunicorn, e.g.
--preload). Each run also reports PostgreSQL's CPU per request (`db_cpu_ms_per_req`) when it runs here.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import peer  # noqa: E402

INTAKE_DB = os.environ.get("BENCH_INTAKE_DB", "lapor_bench_intake")
FLOOR_DB = os.environ.get("BENCH_FLOOR_DB", "floor_bench")
READS_DB = os.environ.get("BENCH_READS_DB", "lapor_bench")
READS_REDIS = os.environ.get("BENCH_READS_REDIS", "redis://127.0.0.1:6379/14")
PORT_LAPOR, PORT_FLOOR, PORT_READS = 8091, 8092, 8093
# Intake through the journal and its writer (ADR 0033), as a national deployment runs; BENCH_JOURNAL=0:
# the direct path, every filing written while the citizen waits.
JOURNAL = os.environ.get("BENCH_JOURNAL", "1") != "0"
WORK = Path(os.environ.get("BENCH_WORK", Path(tempfile.gettempdir()) / "lapor-bench"))
LAPOR = str(harness.VENV_BIN / "lapor")


def lapor_env(db: str) -> dict[str, str]:
    var = WORK / f"var-{db}"
    var.mkdir(parents=True, exist_ok=True)
    return {
        "DATABASE_URL": f"{harness.PG}/{db}",
        "LAPOR_VAR_DIR": str(var),
        "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "LAPOR_LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
        # All load comes from one address: the per-address limiter (ADR 0017) would answer 429.
        "LAPOR_RATELIMIT_OFF": "1",
        "PYTHONPATH": str(harness.ROOT / "src"),
    }


def run(cmd: list[str], env: dict[str, str], **kw: object) -> str:
    out = subprocess.run(cmd, env={**os.environ, **env}, check=True, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    return str(out.stdout)


def prepare_intake_db() -> None:
    """A fresh database with the reference data and the demo (accounts, a few dozen reports)."""
    harness.recreate_db(INTAKE_DB)
    env = lapor_env(INTAKE_DB)
    run([LAPOR, "migrate", "--noinput"], env)
    run([LAPOR, "createcachetable"], env)
    run([LAPOR, "seed"], env)
    run([LAPOR, "seed", "--demo"], env)


def prepare_floor_db() -> dict[str, str]:
    harness.recreate_db(FLOOR_DB)
    env = {"FLOOR_DATABASE_URL": f"{harness.PG}/{FLOOR_DB}"}
    run(
        [sys.executable, str(harness.BENCH / "floor" / "manage.py"), "migrate", "--run-syncdb", "-v", "0"],
        env,
    )
    return env


def _count(db: str) -> int:
    try:
        return int(harness.psql(db, "SELECT count(*) FROM reports_report"))
    except (subprocess.CalledProcessError, ValueError):
        return 0


def reads_target() -> tuple[str, str]:
    """(database, description) for the reads at 100k: the generator's data set `lapor_bench` when it
    holds 100k now; else bench/generate.py loads 100k into our own database (it replaces the intake
    runs' reports, which have been counted by then); without the generator, the intake database as is."""
    if harness.db_exists(READS_DB) and 90_000 <= (n := _count(READS_DB)) < 150_000:
        return READS_DB, f"{READS_DB}: {n} reports (100000 requested) from bench/generate.py"
    generate = harness.BENCH / "generate.py"
    if generate.exists():
        url = f"{harness.PG}/{INTAKE_DB}"
        run(
            [sys.executable, str(generate), "--reports", "100000", "--database-url", url],
            lapor_env(INTAKE_DB),
        )
        return (
            INTAKE_DB,
            f"{INTAKE_DB}: {_count(INTAKE_DB)} reports (100000 requested) from bench/generate.py",
        )
    return (
        INTAKE_DB,
        f"{INTAKE_DB}: {_count(INTAKE_DB)} reports (demo + intake runs; bench/generate.py absent)",
    )


def read_fixtures(db: str, out: Path) -> dict[str, str]:
    """Paths of public report pages and a verifier's bearer token, made by Django in that database."""
    code = r"""
import django, json, sys
django.setup()
from lapor.agencies.models import Agency, Membership, Role
from lapor.core.models import AuthToken, User
from lapor.reports.models import Report
from lapor.reports.selectors import PUBLIC
m = Membership.objects.filter(role=Role.VERIFIER).select_related("user").first()
if m is None:
    user, _ = User.objects.get_or_create(username="bench-verifier", defaults={"email": "v@bench.invalid"})
    national = Agency.objects.get(code="lapor-nasional")
    m = Membership.objects.create(user=user, agency=national, role=Role.VERIFIER)
_, raw = AuthToken.issue(user=m.user)
ids = list(Report.objects.filter(PUBLIC).order_by("-pk").values_list("tracking_id", flat=True)[:2000])
json.dump({"token": raw, "ids": ids}, sys.stdout)
"""
    env = {**lapor_env(db), "DJANGO_SETTINGS_MODULE": "lapor.settings"}
    data = json.loads(run([sys.executable, "-c", code], env))
    if not data["ids"]:
        raise SystemExit(f"no public reports in {db} for the tracking page")
    tracking = out / "tracking_paths.txt"
    tracking.write_text("".join(f"/laporan/{tid}/\n" for tid in data["ids"]))
    queue = out / "queue_paths.txt"
    queue.write_text("/api/v1/reports?status=submitted\n")
    return {
        "token": data["token"],
        "tracking": str(tracking),
        "queue": str(queue),
        "n_public": str(len(data["ids"])),
    }


def worker_rss(env: dict[str, str], seconds: int = 20) -> dict[str, float]:
    """Start `lapor worker`, let it flush the outbox the load left, then read its resident size."""
    log = (WORK / "worker.log").open("w")
    # Its own process group: the task runner is a child of `lapor worker` and must stop with it.
    proc = subprocess.Popen(
        [LAPOR, "worker", "--sweep-every", "0"],
        env={**os.environ, **env},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        time.sleep(seconds)
        pids = harness.tree_pids(proc.pid)
        sizes = [harness.rss_mb(pid) for pid in pids]
        return {"worker_rss_mb_max": max(sizes), "worker_rss_mb_total": round(sum(sizes), 1)}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def check_intake(db: str, tag: str) -> int:
    """Reports the run filed, counted in the database (every 201 must be one row)."""
    return int(harness.psql(db, f"SELECT count(*) FROM reports_report WHERE title LIKE 'Laporan {tag}-%'"))


def pending(db: str) -> int:
    return int(harness.psql(db, "SELECT count(*) FROM reports_pendingfiling"))


@contextlib.contextmanager
def writer(env: dict[str, str], out: Path) -> Iterator[list[int]]:
    """With the journal (ADR 0033), the process that writes filings out, as the worker's relay would:
    its CPU is counted with the web workers', and a run's filings count only once written out."""
    if not JOURNAL:
        yield []
        return
    log = (out / "writer.log").open("w")
    proc = subprocess.Popen(
        [LAPOR, "intake", "write-out", "--every", os.environ.get("BENCH_WRITER_EVERY", "1")],
        env={**os.environ, **env},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        yield [proc.pid]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def drained(db: str, *, timeout: float = 180) -> None:
    """Wait until every accepted filing has been written out."""
    deadline = time.monotonic() + timeout
    while JOURNAL and pending(db) and time.monotonic() < deadline:
        time.sleep(0.1)


def intake_run(srv: harness.Server, tag: str, env: dict[str, str], writer_pids: list[int]) -> dict:
    """One counted run. With the journal, its rate is the reports written out (not the filings
    accepted) over the time from the first request until the last one is written out, and its CPU
    per filing includes the writer's."""
    pids = srv.worker_pids() + writer_pids
    before, db_before, started = harness.ticks(pids), harness.database_ticks(), time.monotonic()
    res = harness.wrk(
        srv.base, "file_report.lua", duration=harness.DUR, env={**env, "BENCH_TAG": tag}, pids=pids
    )
    drained(INTAKE_DB)
    elapsed, used = time.monotonic() - started, (harness.ticks(pids) - before) / harness.HZ
    res["rows_in_db"] = check_intake(INTAKE_DB, tag)
    if JOURNAL:
        res["accepted_rps"] = res["rps"]
        res["rps"] = round(res["rows_in_db"] / elapsed, 2)
        res["written_out_s_after_load"] = round(elapsed - harness.DUR, 2)
        res["server_cpu_ms_per_req"] = round(1000 * used / max(res["rows_in_db"], 1), 2)
        if db_before:
            res["db_cpu_ms_per_req"] = harness.database_ms_per(db_before, res["rows_in_db"])
    return res


def bench_writes(out: Path, floor_env: dict[str, str]) -> dict:
    lua = {"BENCH_LUA_DIR": str(harness.LUA)}
    lapor = {**lua, "BENCH_PATH": "/api/v1/reports"}
    floor = {**lua, "BENCH_PATH": "/rows"}
    env = {**lapor_env(INTAKE_DB), "LAPOR_INTAKE_JOURNAL": "1" if JOURNAL else ""}
    with (
        harness.gunicorn(
            "lapor.wsgi:application", env=env, port=PORT_LAPOR, probe="/healthz", log=out / "lapor.log"
        ) as srv,
        harness.gunicorn(
            "floorbench.wsgi:application",
            env=floor_env,
            port=PORT_FLOOR,
            probe="/rows",
            chdir=harness.BENCH / "floor",
            log=out / "floor.log",
        ) as flo,
        writer(env, out) as writer_pids,
    ):
        pids = srv.worker_pids() + flo.worker_pids() + writer_pids
        harness.wrk(srv.base, "file_report.lua", duration=harness.WARM, env={**lapor, "BENCH_TAG": "w"})
        drained(INTAKE_DB)
        harness.wrk(flo.base, "file_report.lua", duration=harness.WARM, env={**floor, "BENCH_TAG": "w"})
        harness.wait_idle(pids)
        intake_runs, floor_runs = [], []
        for r in range(harness.RUNS):  # alternate, so drift on a shared machine hits both alike
            tag = f"r{int(time.time())}x{r}"
            intake_runs.append(intake_run(srv, tag, lapor, writer_pids))
            harness.wait_idle(pids)
            floor_runs.append(
                harness.wrk(
                    flo.base,
                    "file_report.lua",
                    duration=harness.DUR,
                    env={**floor, "BENCH_TAG": tag},
                    pids=flo.worker_pids(),
                )
            )
            harness.wait_idle(pids)
        web_rss = [harness.rss_mb(pid) for pid in srv.worker_pids()]
        web_pss = [harness.pss_mb(pid) for pid in srv.worker_pids()]
        floor_rss = [harness.rss_mb(pid) for pid in flo.worker_pids()]
    return {
        "intake": harness.median_run(intake_runs),
        "floor": harness.median_run(floor_runs),
        "web_rss_mb_workers": web_rss,
        "web_rss_mb": max(web_rss),
        "web_pss_mb": max(web_pss),
        "floor_rss_mb": max(floor_rss),
    }


def reads_env(db: str) -> dict[str, str]:
    """The reads run as a national deployment does (docs/operations.md): with Redis for the cache, so
    one stored public page serves every worker (ADR 0025). BENCH_READS_REDIS="" runs them embedded."""
    env = lapor_env(db)
    if READS_REDIS:
        import redis

        redis.Redis.from_url(READS_REDIS).flushdb()  # no page stored by an earlier run
        env["REDIS_URL"] = READS_REDIS
    return env


def bench_reads(out: Path) -> dict:
    db, described = reads_target()
    fx = read_fixtures(db, out)
    lua = {"BENCH_LUA_DIR": str(harness.LUA)}
    with harness.gunicorn(
        "lapor.wsgi:application", env=reads_env(db), port=PORT_READS, probe="/healthz", log=out / "reads.log"
    ) as srv:
        pids = srv.worker_pids()
        primed_s = harness.prime(srv.base, fx["tracking"])
        tracking = harness.measure(
            srv.base, "get_paths.lua", env={**lua, "BENCH_PATHS": fx["tracking"]}, pids=pids
        )
        queue = harness.measure(
            srv.base,
            "get_paths.lua",
            env={**lua, "BENCH_PATHS": fx["queue"], "BENCH_HEADER": f"Authorization: Bearer {fx['token']}"},
            pids=pids,
        )
        rss = [harness.rss_mb(pid) for pid in srv.worker_pids()]
    return {
        "reads_dataset": described,
        "reads_db": db,
        "reads_cache": "redis" if READS_REDIS else "local memory (embedded)",
        "tracking": tracking,
        "queue": queue,
        "tracking_pages": int(fx["n_public"]),
        "tracking_primed_s": primed_s,
        "web_rss_mb_after_reads": max(rss),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-peer", action="store_true", help="skip django-helpdesk")
    parser.add_argument("--no-reads", action="store_true", help="skip the tracking page and queue API")
    args = parser.parse_args()
    harness.require_wrk()
    WORK.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="intake-", dir=WORK))
    result: dict = {"bench": "intake", "date": harness.now_iso(), "machine": harness.machine()}
    result["settings"] = {
        "gunicorn_workers": harness.WORKERS,
        "wrk_connections": harness.CONC,
        "runs": harness.RUNS,
        "duration_s": harness.DUR,
        "database": "postgresql",
        "intake_path": "journal and writer (ADR 0033)" if JOURNAL else "direct",
    }
    started = time.monotonic()
    prepare_intake_db()
    writes = bench_writes(out, prepare_floor_db())
    result.update(writes)
    result["worker"] = worker_rss(lapor_env(INTAKE_DB))  # before the reads may replace the reports
    if not args.no_reads:
        result.update(bench_reads(out))
    if not args.no_peer:
        result["peer"] = peer.measure()
    intake_rps, floor_rps = writes["intake"]["rps"], writes["floor"]["rps"]
    ratios: dict[str, float | None] = {"intake_vs_floor": round(intake_rps / floor_rps, 3)}
    p = result.get("peer") or {}
    if p.get("submit_rps"):
        ratios["intake_vs_peer_submit"] = round(intake_rps / p["submit_rps"], 2)
    if p.get("view_rps") and "tracking" in result:
        ratios["tracking_vs_peer_view"] = round(result["tracking"]["rps"] / p["view_rps"], 2)
    if p.get("list_rps_100k") and "queue" in result:
        ratios["queue_vs_peer_list"] = round(result["queue"]["rps"] / p["list_rps_100k"], 1)
    result["ratios"] = ratios
    result["elapsed_s"] = round(time.monotonic() - started, 1)
    result["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    harness.append_result("intake", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
