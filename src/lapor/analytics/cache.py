"""A short-lived shared cache of the public statistics (ADR 0022). Safe to share: the statistics are
the same for every viewer (counts from the rollups, nothing per person). A minute or five of delay is
harmless for monthly and yearly rates, while recomputing them on every page view sums thousands of
rollup cells. `invalidate` (called by `lapor stats rebuild`) starts a new generation of keys, so a
rebuilt rollup is never hidden behind an old answer."""

import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

__all__ = ["cached", "invalidate"]

T = TypeVar("T")
GENERATION_KEY = "lapor:stats:generation"


def _seconds() -> int:
    return int(getattr(settings, "LAPOR_STATS_CACHE_SECONDS", 300))


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing cached under one
        cache.add(GENERATION_KEY, 1, timeout=None)


def cached(name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Cache a keyword-only selector's result per arguments; errors are never cached."""

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> T:
            if _seconds() <= 0:
                return fn(**kwargs)
            args = ":".join(f"{k}={kwargs[k]!r}" for k in sorted(kwargs))
            digest = hashlib.sha256(args.encode()).hexdigest()[:32]  # any cache backend takes the key
            key = f"lapor:stats:{_generation()}:{name}:{digest}"
            value = cache.get(key)
            if value is None:
                value = fn(**kwargs)
                cache.set(key, value, timeout=_seconds())
            return value

        return wrapper

    return decorate
