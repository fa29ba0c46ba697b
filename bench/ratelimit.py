"""Cost of one rate-limit check (`lapor.security.ratelimit.hit`) on each cache it can run on: the
embedded mode's database table (a SQLite file in WAL mode, as `lapor serve` uses it), PostgreSQL when
DATABASE_URL is given, and Redis; against a per-process LocMem baseline measured in the same run (fast,
but wrong for several workers: ADR 0017).

    .venv/bin/python bench/ratelimit.py [--hits 2000] [--database-url postgres://…/lapor_bench]

Prints one JSON object and appends it to bench/results/ratelimit.jsonl."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REDIS = "redis://127.0.0.1:6379/14"


def _setup(database_url: str | None) -> None:
    os.environ["LAPOR_VAR_DIR"] = tempfile.mkdtemp(prefix="lapor-bench-rl-")
    os.environ.pop("REDIS_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lapor.settings"
    sys.path.insert(0, str(ROOT / "src"))
    subprocess.run(
        [sys.executable, "-m", "lapor.cli", "migrate", "security", "--noinput", "-v", "0"],
        check=True,
        env=os.environ | {"PYTHONPATH": str(ROOT / "src")},
    )
    import django

    django.setup()


def _measure(hits: int) -> dict[str, float]:
    from lapor.security.ratelimit import Limit, hit

    limit = Limit(10_000_000, 3600)
    times: list[float] = []
    for i in range(hits):
        start = time.perf_counter()
        hit(rule="bench", who=f"ip:10.0.{i % 50}.1", limit=limit)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 3),
        "mean_ms": round(statistics.fmean(times), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    _setup(args.database_url)
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import override_settings

    backends = {
        "locmem_baseline": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"},
        f"database_{connection.vendor}": settings.CACHES["ratelimit"],
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"lapor-bench-rl-{uuid.uuid4().hex[:8]}",
        },
    }
    out: dict[str, object] = {
        "bench": "ratelimit",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "hits": args.hits,
    }
    for name, backend in backends.items():
        with override_settings(CACHES={**settings.CACHES, "ratelimit": backend}):  # re-reads CACHES
            out[name] = _measure(args.hits)
            if name == "redis":
                client = caches["ratelimit"]._cache.get_client(write=True)  # type: ignore[attr-defined]
                for key in client.scan_iter(match=f"{backend['KEY_PREFIX']}:*"):
                    client.delete(key)
    base = out["locmem_baseline"]["p50_ms"]  # type: ignore[index]
    for name in backends:
        if name != "locmem_baseline":
            out[name]["x_baseline_p50"] = round(out[name]["p50_ms"] / base, 1)  # type: ignore[index]
    line = json.dumps(out)
    print(line)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "ratelimit.jsonl").open("a") as results:
        results.write(line + "\n")


if __name__ == "__main__":
    main()
