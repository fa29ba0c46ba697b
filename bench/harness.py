"""Shared pieces of the HTTP benchmarks: the machine, a gunicorn server, a wrk run, resident memory,
and the results folder. Standard library only, so every bench script runs with the project's venv.

Every wrk run uses the same settings as the peer benchmark (../shared/bench/helpdesk): one wrk thread,
16 connections, gunicorn with 2 x cores + 1 sync workers on 127.0.0.1 (BENCH_WORKERS, and BENCH_GUNICORN_ARGS
for anything else, apply to every server alike)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
LUA = BENCH / "lua"
VENV_BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
CONC = int(os.environ.get("BENCH_CONC", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
DUR = int(os.environ.get("BENCH_DUR", "20"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WARM = int(os.environ.get("BENCH_WARM", "5"))


def machine() -> dict[str, object]:
    """What the numbers were measured on (the summary keeps it beside them)."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram_gib = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "postgresql": postgresql_settings(),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def postgresql_settings() -> dict[str, str]:
    """The server's version and the settings that size its memory: every figure depends on them, and
    a stock installation's are small (docs/operations.md)."""
    sql = (
        "SELECT name, setting, unit FROM pg_settings WHERE name IN ('server_version', 'shared_buffers', "
        "'work_mem', 'effective_cache_size', 'max_parallel_workers')"
    )
    try:
        rows = psql("postgres", sql)
    except (OSError, subprocess.CalledProcessError):
        return {}
    found: dict[str, str] = {}
    for row in rows.splitlines():
        name, setting, unit = row.split("|")
        found[name] = _with_unit(setting, unit)
    return found


def _with_unit(setting: str, unit: str) -> str:
    """pg_settings counts memory in blocks of its unit ("8kB" × 16384): give it in MB."""
    if unit in ("8kB", "kB") and setting.isdigit():
        kib = int(setting) * (8 if unit == "8kB" else 1)
        return f"{kib // 1024} MB"
    return setting


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(
            "wrk is not installed: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`; "
            "`make bench` installs it with apt-get when it can."
        )
    return found


def psql(dbname: str, sql: str) -> str:
    """One statement through psql (so the harness needs no driver of its own)."""
    out = subprocess.run(
        ["psql", f"{PG}/{dbname}", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def recreate_db(name: str) -> None:
    psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql("postgres", f'CREATE DATABASE "{name}"')


def db_exists(name: str) -> bool:
    return psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    base: str

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []


@contextmanager
def gunicorn(
    app: str, *, env: Mapping[str, str], port: int, probe: str, chdir: Path | None = None, log: Path
) -> Iterator[Server]:
    """A gunicorn with WORKERS sync workers, up when `probe` answers, stopped on exit."""
    cmd = [
        str(VENV_BIN / "gunicorn"),
        app,
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    if chdir is not None:
        cmd += ["--chdir", str(chdir)]
    cmd += os.environ.get("BENCH_GUNICORN_ARGS", "").split()
    proc = subprocess.Popen(cmd, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + probe, timeout=5)  # noqa: S310 (a local URL)
                break
            except urllib.error.HTTPError:
                break  # it answered
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(f"gunicorn {app} exited: see {log}") from None
                time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn {app} did not come up: see {log}")
        yield Server(proc=proc, base=base)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wrk(
    base: str,
    script: str,
    *,
    duration: int,
    env: Mapping[str, str],
    conns: int = CONC,
    pids: list[int] | None = None,
) -> dict:
    """One wrk run; the Lua script prints a `RESULT {json}` line (rps, p50/p99 in ms, statuses). With the
    server's worker `pids`, also the server's CPU per request: the number noise on a shared machine
    moves least."""
    before = ticks(pids) if pids else 0
    db_before = database_ticks()
    cmd = [
        require_wrk(),
        "-t1",
        f"-c{conns}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(LUA / script),
        base,
    ]
    out = subprocess.run(
        cmd, env={**os.environ, **env}, capture_output=True, text=True, timeout=duration + 90, check=False
    )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
            if pids:
                used = (ticks(pids) - before) / HZ
                result["server_cpu_ms_per_req"] = round(1000 * used / max(result["requests"], 1), 2)
            if db_before:
                result["db_cpu_ms_per_req"] = database_ms_per(db_before, result["requests"])
            return result
    raise RuntimeError(f"wrk printed no RESULT line:\n{out.stdout}\n{out.stderr}")


HZ = os.sysconf("SC_CLK_TCK")


def _used(stat: str) -> int:
    """User + system CPU ticks from the text of a /proc/<pid>/stat (after the command's parentheses)."""
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def ticks(pids: list[int]) -> int:
    """CPU clock ticks (user + system) the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            total += _used(Path(f"/proc/{pid}/stat").read_text())
        except (OSError, IndexError):
            pass
    return total


def database_ticks() -> dict[int, int]:
    """CPU ticks so far of each PostgreSQL process on this machine (none when it runs elsewhere)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            found[int(stat.parent.name)] = _used(text)
    return found


def database_ms_per(before: dict[int, int], count: int) -> float:
    """PostgreSQL's CPU since `before` (from `database_ticks`), in ms per one of `count`: a backend
    started meanwhile counts from zero; one that ended meanwhile is missed (the servers here keep
    their connections)."""
    used = sum(now - before.get(pid, 0) for pid, now in database_ticks().items()) / HZ
    return round(1000 * used / max(count, 1), 2)


def wait_idle(pids: list[int], *, seconds: float = 60) -> None:
    """Let requests wrk abandoned at its stop finish before the next run (as the peer's drain does)."""
    deadline = time.monotonic() + seconds
    last = ticks(pids)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = ticks(pids)
        if now - last <= 2:
            return
        last = now


def median_run(runs: list[dict]) -> dict:
    """The run with the median throughput, with every run's rps beside it."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    middle = dict(ordered[len(ordered) // 2])
    middle["rps_runs"] = [round(r["rps"], 1) for r in runs]
    return middle


def prime(base: str, paths_file: str, *, threads: int = WORKERS) -> float:
    """Request every path once (as many at a time as the server has workers), so that pages kept whole
    (ADR 0025) are stored before the warm-up: the counted runs then measure the steady state, however
    slow the machine is at filling it. Returns the seconds it took."""
    paths = [line for line in Path(paths_file).read_text().splitlines() if line]
    started = time.monotonic()

    def get(path: str) -> None:
        with urllib.request.urlopen(base + path, timeout=60) as response:  # nosec B310  # our own server
            response.read()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(get, paths))
    return round(time.monotonic() - started, 1)


def measure(
    base: str, script: str, *, env: Mapping[str, str], pids: list[int], runs: int = RUNS, duration: int = DUR
) -> dict:
    """A warm-up, then `runs` counted runs; returns the median run."""
    wrk(base, script, duration=WARM, env=env)
    wait_idle(pids)
    counted = []
    for _ in range(runs):
        counted.append(wrk(base, script, duration=duration, env=env, pids=pids))
        wait_idle(pids)
    return median_run(counted)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (the interpreter, libraries) split between the processes
    that share them, the fairer number for "how many workers fit"."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def tree_pids(pid: int) -> list[int]:
    """pid and all its descendants."""
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += tree_pids(int(child))
    return found


def commit() -> str | None:
    """The checkout measured: its commit, "+changes" when src/ differs from it; None outside git."""
    git = ["git", "-C", str(ROOT)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        changed = subprocess.run([*git, "status", "--porcelain", "--", "src"], capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + ("+changes" if changed.stdout.strip() else "")


def append_result(name: str, result: Mapping[str, object]) -> Path:
    """Print the result as JSON and append it as one line to bench/results/<name>.jsonl."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.jsonl"
    result = {**result, "commit": result.get("commit") or commit()}
    line = json.dumps(result, ensure_ascii=False)
    with path.open("a") as fh:
        fh.write(line + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return path
