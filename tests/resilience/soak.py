"""`make soak` (not in CI): the load of the fault tests held steady for SOAK_MINUTES (30) on a throwaway
PostgreSQL + Redis, sampling the resident memory of the gunicorn workers and of `lapor worker` every
minute. Fails (exit 1) on any failed request, any filing not stored exactly once, an outbox left
undelivered, or memory growing more than SOAK_MAX_GROWTH_MB (40) per process between the first sample
after warm-up and the last. Prints one JSON document."""

import json
import os
import sys
import time
from typing import Any

from tests.resilience.cluster import Proc, Stack, check_filings, outbox_of, rss_mb, wait_for

MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
USERS = int(os.environ.get("SOAK_USERS", "12"))
MAX_GROWTH_MB = float(os.environ.get("SOAK_MAX_GROWTH_MB", "40"))
SAMPLE_EVERY = float(os.environ.get("SOAK_SAMPLE_SECONDS", "60"))
LOAD = "soak"


def sample(node: Proc, worker: Proc) -> dict[str, float]:
    """RSS in MB per process: each gunicorn worker, the worker loop and its task runner."""
    found: dict[str, float] = {}
    for pid in node.children():
        found[f"web:{pid}"] = round(rss_mb(pid), 1)
    for pid in worker.pids():
        found[f"worker:{pid}"] = round(rss_mb(pid), 1)
    return found


def minutes(since: float) -> float:
    return round((time.monotonic() - since) / 60, 1)


def growth(samples: list[dict[str, Any]]) -> dict[str, float]:
    """Per process seen from the warm sample to the last: how much its RSS grew."""
    warm = samples[1]["rss"] if len(samples) > 2 else samples[0]["rss"]
    last = samples[-1]["rss"]
    return {name: round(last[name] - warm[name], 1) for name in last if name in warm}


def main() -> int:
    result: dict[str, Any] = {"minutes": MINUTES, "users": USERS, "max_growth_mb": MAX_GROWTH_MB}
    problems: list[str] = []
    with Stack.running() as stack:
        stack.token = stack.officer_token()
        node = stack.start_node(workers=3)
        worker = stack.start_worker(f"{LOAD}-worker")
        started = time.monotonic()
        load = stack.locust(nodes=[node], users=USERS, seconds=MINUTES * 60, token=stack.token, name=LOAD)
        samples: list[dict[str, Any]] = []
        while load.popen.poll() is None:
            samples.append({"minute": minutes(started), "rss": sample(node, worker)})
            sys.stderr.write(json.dumps(samples[-1]) + "\n")
            deadline = time.monotonic() + SAMPLE_EVERY
            while load.popen.poll() is None and time.monotonic() < deadline:
                time.sleep(1)
        samples.append({"minute": minutes(started), "rss": sample(node, worker)})
        stats = stack.locust_stats(LOAD)
        result["requests"] = {s["name"]: s["num_requests"] for s in stats}
        result["failures"] = {s["name"]: s["num_failures"] for s in stats if s["num_failures"]}
        if result["failures"]:
            problems.append("failed requests")
        try:
            keys = check_filings(stack, LOAD)
            result["filings"] = len(keys)
            wait_for(
                lambda: all(row[1] == "sent" for row in outbox_of(stack.pg, keys)), timeout=180, what="outbox"
            )
        except (AssertionError, TimeoutError) as exc:
            problems.append(str(exc)[:2000])
        result["samples"] = samples
        result["growth_mb"] = growth(samples)
        grown = {name: mb for name, mb in result["growth_mb"].items() if mb > MAX_GROWTH_MB}
        if grown:
            problems.append(f"memory grew: {grown}")
        if not (node.alive() and worker.alive()):
            problems.append("a process died")
    result["problems"] = problems
    result["ok"] = not problems
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
