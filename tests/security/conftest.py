"""The rate-limit cache under test: the database table of the embedded mode, or the real Redis at
127.0.0.1:6379 (database 14, a key prefix of our own, so nobody else's keys are ever touched)."""

import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/14"
DATABASE_CACHE = {
    "BACKEND": "lapor.security.cache.AtomicDatabaseCache",
    "LOCATION": "lapor_ratelimit_cache",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}


def _use(settings: Any, backend: dict[str, Any]) -> None:
    settings.CACHES = {**settings.CACHES, "ratelimit": backend}


@pytest.fixture
def database_limiter(settings: Any) -> None:
    _use(settings, DATABASE_CACHE)


def _redis_reachable() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.fixture
def redis_limiter(settings: Any) -> Iterator[None]:
    if not _redis_reachable() and not os.environ.get("LAPOR_REQUIRE_REDIS"):
        pytest.skip("no Redis service on 127.0.0.1:6379")
    prefix = f"lapor-test-rl-{uuid.uuid4().hex[:12]}"
    _use(
        settings,
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    )
    yield
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["database", "redis"])
def limiter(request: pytest.FixtureRequest) -> str:
    """Runs a test once on each cache the limiter meets in production."""
    request.getfixturevalue(f"{request.param}_limiter")
    return str(request.param)
