"""The limiter itself, on the database cache of the embedded mode and on the real Redis: it counts
exactly under concurrency, refuses past the limit with a Retry-After, and the sliding window does not
let a burst through twice at a window boundary."""

import threading
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection

from lapor.security.ratelimit import Limit, hit

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0  # a window boundary for 60-second windows (divisible by 60)


def test_refuses_past_the_limit_with_retry_after(limiter: str) -> None:
    limit = Limit(3, 60)
    decisions = [hit(rule="t", who="ip:10.0.0.1", limit=limit, now=T0 + 10 + i) for i in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.count for d in decisions] == [1, 2, 3, 4]
    assert decisions[-1].retry_after > 0
    # Someone else is not affected.
    assert hit(rule="t", who="ip:10.0.0.2", limit=limit, now=T0 + 15).allowed
    # Nor is another rule.
    assert hit(rule="other", who="ip:10.0.0.1", limit=limit, now=T0 + 15).allowed


def test_sliding_window_carries_the_previous_window_over(limiter: str) -> None:
    limit = Limit(4, 60)
    for i in range(4):
        assert hit(rule="t", who="a", limit=limit, now=T0 + 50 + i).allowed
    # Just after the boundary a fixed window would start again from zero; this one still counts
    # most of the burst a few seconds ago.
    late = hit(rule="t", who="a", limit=limit, now=T0 + 61)
    assert not late.allowed
    # The Retry-After it gives is enough: one request at that moment is allowed again.
    assert hit(rule="t", who="b", limit=limit, now=T0 + 1).allowed  # unrelated caller, sanity
    again = hit(rule="t", who="a", limit=limit, now=T0 + 61 + late.retry_after)
    assert again.allowed


@pytest.mark.parametrize("start", [5.0, 42.5])
def test_retry_after_is_when_a_request_is_allowed_again(limiter: str, start: float) -> None:
    limit = Limit(2, 60)
    # Two callers with the same history; one probes just before Retry-After, the other just after.
    for who in ("early", "late"):
        hit(rule="t", who=who, limit=limit, now=T0 - 30)
        decisions = [hit(rule="t", who=who, limit=limit, now=T0 + start) for _ in range(3)]
        assert not decisions[-1].allowed
    wait = decisions[-1].retry_after
    assert not hit(rule="t", who="early", limit=limit, now=T0 + start + wait - 1.5).allowed
    assert hit(rule="t", who="late", limit=limit, now=T0 + start + wait + 0.01).allowed


@pytest.mark.django_db(transaction=True)
def test_counts_exactly_when_many_callers_hit_at_once(limiter: str) -> None:
    if limiter == "database" and connection.vendor == "sqlite":
        # The test database is SQLite in shared-memory mode, which has table locks and no busy timeout;
        # the embedded mode's file database is covered by test_ratelimit_processes.py instead.
        pytest.skip("covered for SQLite by test_ratelimit_processes.py")
    threads, each = 6, 15
    limit = Limit(10_000, 3600)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(each):
                hit(rule="race", who="ip:192.0.2.1", limit=limit, now=T0 + 100)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert not errors
    final = hit(rule="race", who="ip:192.0.2.1", limit=limit, now=T0 + 100)
    assert final.count == threads * each + 1  # no increment lost


def test_database_cache_incr_keeps_the_expiry_and_refuses_missing_keys(database_limiter: Any) -> None:
    cache = caches["ratelimit"]
    assert cache.add("k", 1, timeout=60)
    assert not cache.add("k", 5, timeout=60)
    assert cache.incr("k") == 2 and cache.incr("k", 3) == 5
    assert cache.get("k") == 5
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("old", 1, timeout=-1)  # already expired
    with pytest.raises(ValueError):
        cache.incr("old")
