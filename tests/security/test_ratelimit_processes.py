"""The embedded mode for real: several processes (as `lapor serve` runs three gunicorn workers) count
into the same SQLite file through the settings' own `ratelimit` cache, and no increment is lost. And
the settings pick that database cache without Redis, Redis with REDIS_URL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROCESSES, EACH = 4, 25
HIT = """
import django; django.setup()
from lapor.security.ratelimit import Limit, hit
for _ in range({each}):
    d = hit(rule="race", who="ip:192.0.2.9", limit=Limit(100000, 3600), now=1800000100.0)
print(d.count)
"""
BACKEND = """
import django; django.setup()
from django.conf import settings
cache = settings.CACHES["ratelimit"]
print(cache["BACKEND"], cache.get("KEY_PREFIX", "-"))
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "LAPOR_TASKS"}}
    env.update(
        LAPOR_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="lapor.settings"
    )
    env.update(extra)
    return env


def _python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.own_processes
def test_processes_share_one_exact_count_in_the_embedded_database(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _python(BACKEND, env) == "lapor.security.cache.AtomicDatabaseCache -"
    subprocess.run(
        [sys.executable, "-m", "lapor.cli", "migrate", "security", "--noinput", "-v", "0"],
        env=env,
        check=True,
        timeout=120,
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", HIT.format(each=EACH)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
    assert _python(HIT.format(each=1), env) == str(PROCESSES * EACH + 1)


@pytest.mark.own_processes
def test_with_redis_the_counters_live_in_redis(tmp_path: Path) -> None:
    env = _env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/14")
    assert _python(BACKEND, env) == "django.core.cache.backends.redis.RedisCache lapor-rl"
