"""Our one rate limiter: a sliding-window counter over Django's cache (ADR 0017).

Each (rule, caller) has a counter per fixed window, created with the atomic `cache.add` and bumped with
the atomic `cache.incr`. The estimate weighs the previous window by how much of it still overlaps the
last `window` seconds, so a burst straddling a window boundary is not let through twice. The cache is
the `ratelimit` alias: Redis when REDIS_URL is set, otherwise a database table shared by every process
of `lapor serve` (a per-process LocMem would multiply every limit by the number of workers)."""

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches

__all__ = ["Decision", "Limit", "hit", "limit_for"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    requests: int
    window: int  # seconds


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int  # the caller's estimated requests in the last `window` seconds, this one included
    limit: Limit
    retry_after: int  # seconds; 0 when allowed


def limit_for(rule: str, scope: str) -> Limit | None:
    """`LAPOR_RATE_LIMITS[rule][scope]` as (requests, seconds); None switches the limit off."""
    pair = settings.LAPOR_RATE_LIMITS.get(rule, {}).get(scope)
    if not pair:
        return None
    requests, window = pair
    return Limit(int(requests), int(window))


def _cache() -> BaseCache:
    return caches[settings.LAPOR_RATELIMIT_CACHE]


def _bump(cache: BaseCache, key: str, timeout: int) -> int:
    """incr first: after a window's first request that is the only write (add, then incr, costs more)."""
    for _attempt in range(3):
        try:
            return int(cache.incr(key))
        except ValueError:
            if cache.add(key, 1, timeout=timeout):
                return 1
            # Someone else created it between our incr and add: count on theirs.
    return int(cache.incr(key))


def _retry_after(limit: Limit, previous: int, current: int, elapsed: float) -> int:
    """Seconds until one more request would be allowed, if the caller sends nothing meanwhile."""
    w, room = limit.window, limit.requests - 1
    if previous and current <= room:
        # Still in this window: previous * (1 - (elapsed + t) / w) + current <= room.
        t = w * (1 - (room - current) / previous) - elapsed
        if t < w - elapsed:
            return max(1, math.ceil(t))
    # In the next window this window's count becomes `previous`: current * (1 - t2 / w) <= room.
    t2 = w * (1 - room / current) if current > room else 0.0
    return max(1, math.ceil(w - elapsed + t2))


def hit(*, rule: str, who: str, limit: Limit, now: float | None = None) -> Decision:
    """Count one request by `who` under `rule` and say whether it may go on."""
    now = time.time() if now is None else now
    w = limit.window
    slot = int(now // w)
    elapsed = now - slot * w
    ident = hashlib.sha256(who.encode()).hexdigest()[:32]  # bounded, safe key whatever `who` holds
    base = f"rl:{rule}:{w}:{ident}"
    cache = _cache()
    try:
        current = _bump(cache, f"{base}:{slot}", timeout=2 * w + 1)
        previous = int(cache.get(f"{base}:{slot - 1}") or 0)
    except Exception as exc:  # the counters' store (Redis) is down: serve uncounted, never fail every request
        logger.warning("rate-limit counters unavailable (%r); %s not counted", exc, rule)
        return Decision(True, 0, limit, 0)
    estimate = previous * (1 - elapsed / w) + current
    count = math.ceil(estimate)
    if estimate <= limit.requests:
        return Decision(True, count, limit, 0)
    return Decision(False, count, limit, _retry_after(limit, previous, current, elapsed))
