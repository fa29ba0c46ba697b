"""How much each read grows from 100k to 10M reports, measured in alternating passes.

    .venv/bin/python bench/growth.py --small postgres://…/lapor_bench_100000 \
        --large postgres://…/lapor_bench_10000000 [--passes 3] [--requests 200]

A p99 of 200 requests on this shared machine moves by a third from one pass to the next, so a ratio
of two passes taken minutes apart says more about the machine than about the read. This runs
`bench/reads.py` on the two databases in turn (small, large, small, large, …) with the same seed,
so a slow moment falls on both sizes alike, and compares the median of each size's p99s. Every pass
is kept: reads.py appends its rows to bench/results/reads.jsonl as usual, and this appends one JSON
object (each pass's p99, the medians, their ratio, the largest) to bench/results/growth.jsonl, which
`bench/summary.py` takes `read_growth_max` from."""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import harness  # bench/, the script's own folder, is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# The search index is built by the first pass at each size and synced by the later ones (unless the
# caller turned it off with BENCH_SEARCH_INDEX=0).
REUSE_INDEX = {"BENCH_SEARCH_INDEX": "reuse"} if os.environ.get("BENCH_SEARCH_INDEX") != "0" else {}


def one_pass(url: str, args: argparse.Namespace, *, first: bool) -> dict[str, float]:
    """endpoint -> p99 ms of one reads.py pass over `url`."""
    command = [sys.executable, str(ROOT / "bench" / "reads.py"), "--database-url", url]
    command += ["--requests", str(args.requests), "--seed", str(args.seed)]
    if args.only:
        command += ["--only", *args.only]
    env = {**os.environ, **({} if first else REUSE_INDEX)}
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {row["endpoint"]: float(row["p99_ms"]) for row in rows}


def growth(small: list[dict[str, float]], large: list[dict[str, float]]) -> dict[str, Any]:
    """Per endpoint: each pass's p99 at both sizes, the median of each, and large ÷ small. The
    floor (`/healthz`) is the client's own baseline, not a read of reports: shown, not counted."""
    reads: dict[str, Any] = {}
    for endpoint in small[0]:
        if not all(endpoint in p for p in small + large):
            continue
        p99_small = [p[endpoint] for p in small]
        p99_large = [p[endpoint] for p in large]
        median_small, median_large = statistics.median(p99_small), statistics.median(p99_large)
        reads[endpoint] = {
            "p99_ms_small": p99_small,
            "p99_ms_large": p99_large,
            "median_small": round(median_small, 2),
            "median_large": round(median_large, 2),
            "growth": round(median_large / median_small, 2) if median_small else None,
        }
    counted = {e: r["growth"] for e, r in reads.items() if not e.startswith("floor") and r["growth"]}
    worst = max(counted, key=counted.__getitem__) if counted else None
    return {"reads": reads, "growth_max": counted.get(worst) if worst else None, "growth_max_endpoint": worst}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", required=True, help="database URL of the 100k data set")
    parser.add_argument("--large", required=True, help="database URL of the 10M data set")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", nargs="*", help="endpoint names to run")
    args = parser.parse_args()
    small: list[dict[str, float]] = []
    large: list[dict[str, float]] = []
    loads = []
    for n in range(args.passes):
        for url, passes in ((args.small, small), (args.large, large)):
            passes.append(one_pass(url, args, first=n == 0))
            loads.append(round(os.getloadavg()[0], 1))
            print(f"pass {n + 1}/{args.passes} done: {url.rsplit('/', 1)[-1]}", file=sys.stderr, flush=True)
    result = {
        "bench": "growth",
        "date": harness.now_iso(),
        "machine": harness.machine(),
        "small": args.small.rsplit("/", 1)[-1],
        "large": args.large.rsplit("/", 1)[-1],
        "passes": args.passes,
        "requests": args.requests,
        "load_avg_1m_after_each": loads,
        **growth(small, large),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "growth.jsonl").open("a") as out:
        out.write(json.dumps(result) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
