"""A short-lived shared cache of the public statistics (ADR 0022). Safe to share: the statistics are
the same for every viewer (counts from the rollups, nothing per person). A minute or five of delay is
harmless for monthly and yearly rates, while recomputing them on every page view sums thousands of
rollup cells. `invalidate` (called by `lapor stats rebuild`) starts a new generation of keys, so a
rebuilt rollup is never hidden behind an old answer."""

import functools
import hashlib
import inspect
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache

__all__ = ["Cached", "cached", "invalidate", "lifetime"]

T = TypeVar("T")
GENERATION_KEY = "lapor:stats:generation"


def lifetime() -> int:
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


class Cached(Generic[T]):
    """A keyword-only selector whose results are cached per arguments; errors are never cached.
    `put` stores a result computed elsewhere (the worker's batch, `analytics.warm`) under the key
    the selector itself would read."""

    def __init__(self, name: str, fn: Callable[..., T]) -> None:
        self.name, self.fn = name, fn
        self.signature = inspect.signature(fn)
        functools.update_wrapper(self, fn)

    def key(self, **kwargs: Any) -> str:
        bound = self.signature.bind(**kwargs)
        bound.apply_defaults()  # `f()` and `f(period=None)` are one entry
        args = ":".join(f"{k}={v!r}" for k, v in sorted(bound.arguments.items()))
        digest = hashlib.sha256(args.encode()).hexdigest()[:32]  # any cache backend takes the key
        return f"lapor:stats:{_generation()}:{self.name}:{digest}"

    def __call__(self, **kwargs: Any) -> T:
        if lifetime() <= 0:
            return self.fn(**kwargs)
        key = self.key(**kwargs)
        value = cache.get(key)
        if value is None:
            value = self.fn(**kwargs)
            cache.set(key, value, timeout=lifetime())
        return value

    def put(self, value: T, *, timeout: int, **kwargs: Any) -> None:
        cache.set(self.key(**kwargs), value, timeout=timeout)

    def refresh(self, *, timeout: int, **kwargs: Any) -> None:
        """Compute afresh and store, whatever the cache holds."""
        self.put(self.fn(**kwargs), timeout=timeout, **kwargs)


def cached(name: str) -> Callable[[Callable[..., T]], Cached[T]]:
    def decorate(fn: Callable[..., T]) -> Cached[T]:
        return Cached(name, fn)

    return decorate
