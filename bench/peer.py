"""The peer: django-helpdesk, measured by its own scripts in ../shared/bench/helpdesk (never copied into
this repository). The folder is copied to a writable work directory, `setup.sh postgres` builds its venv
and loads 100k tickets once, and `run.sh postgres` measures submission, ticket view and staff list with
the same gunicorn and wrk settings as ours.

    python bench/peer.py          # prints one JSON document, appends it to results/peer.jsonl

Env: PEER_SRC (default ../shared/bench/helpdesk), BENCH_WORK (default /tmp/lapor-bench), BENCH_RUNS,
BENCH_DUR, PEER_DUR_LIST (default 30 s: one staff list request takes seconds), PEER_DRAIN=machine to keep
the peer's own wait for an idle machine (see DRAIN below).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

SRC = Path(os.environ.get("PEER_SRC", harness.ROOT.parent / "shared" / "bench" / "helpdesk"))
WORK = Path(os.environ.get("BENCH_WORK", Path(tempfile.gettempdir()) / "lapor-bench"))
HERE = WORK / "helpdesk"
VENV = WORK / ".venv-helpdesk"


# The peer's tools/drain.py waits after every run until the whole machine is under 20% busy, up to
# 240 s. A shared machine never is, so every run would wait the full 240 s. In our copy it waits, as our
# own runs do (harness.wait_idle), until the server's processes are quiet: same purpose, same rule for
# both sides.
DRAIN = '''"""Written by LAPOR's bench/peer.py: wait until the peer's gunicorn is quiet (max argv[1] s)."""
import os, sys, time


def ticks():
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"hdbench.wsgi" not in f.read():
                    continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total


limit = float(sys.argv[1]) if len(sys.argv) > 1 else 240
t0, last = time.monotonic(), ticks()
while time.monotonic() - t0 < limit:
    time.sleep(1)
    now = ticks()
    if now - last <= 2:
        print(f"drained in {time.monotonic() - t0:.1f}s (server quiet)")
        break
    last = now
else:
    print(f"drain time-out after {limit:.0f}s (server still busy)")
'''


def _copy() -> None:
    """A writable copy of the peer's scripts (its folder may be read-only); state and results stay."""
    HERE.mkdir(parents=True, exist_ok=True)
    for item in SRC.iterdir():
        target = HERE / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)
    for path in [HERE, *HERE.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    if os.environ.get("PEER_DRAIN", "server") == "server":
        (HERE / "tools" / "drain.py").write_text(DRAIN)


def _seeded() -> bool:
    if not (VENV / "bin" / "python").exists() or not harness.db_exists("hdbench"):
        return False
    try:
        return int(harness.psql("hdbench", "SELECT count(*) FROM helpdesk_ticket")) >= 100_000
    except (subprocess.CalledProcessError, ValueError):
        return False


def _median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if key in r]
    return round(statistics.median(values), 2) if values else None


def measure() -> dict:
    if not SRC.exists():
        return {"skipped": f"peer benchmark not found at {SRC}"}
    harness.require_wrk()
    _copy()
    if not _seeded():
        subprocess.run(["bash", str(HERE / "setup.sh"), "postgres"], check=True, cwd=WORK)
    before = set((HERE / "results").glob("*-postgres")) if (HERE / "results").exists() else set()
    env = {
        **os.environ,
        "RUNS": str(harness.RUNS),
        "DUR": str(harness.DUR),
        "WARM": str(harness.WARM),
        "DUR_LIST": os.environ.get("PEER_DUR_LIST", "30"),
        "CONC": str(harness.CONC),
        "WORKERS": str(harness.WORKERS),
    }
    subprocess.run(["bash", str(HERE / "run.sh"), "postgres"], check=True, cwd=WORK, env=env)
    new = sorted(set((HERE / "results").glob("*-postgres")) - before)
    if not new:
        return {"skipped": "run.sh wrote no results"}
    scenarios = json.loads((new[-1] / "summary.json").read_text())
    out: dict = {"results_dir": str(new[-1])}
    for name, runs in scenarios.items():
        out[name] = {
            "runs": len(runs),
            "rps": _median(runs, "rps"),
            "p50_ms": _median(runs, "p50_ms"),
            "p99_ms": _median(runs, "p99_ms"),
            "rps_runs": [round(r["rps"], 2) for r in runs],
        }
    out["submit_rps"] = out.get("submit", {}).get("rps")
    out["view_rps"] = out.get("public_view", {}).get("rps")
    # The staff list as the browser gets it: the page is a shell, its rows come from the JSON request.
    out["list_rps_100k"] = out.get("staff_list_json", {}).get("rps")
    return out


def main() -> int:
    result = {"bench": "peer", "date": harness.now_iso(), "machine": harness.machine(), **measure()}
    harness.append_result("peer", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
