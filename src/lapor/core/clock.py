"""The current moment, overridable for a deterministic sweep (`lapor sweep --now`) and for tests.
Services ask here instead of `timezone.now()`, so a simulated run stamps what it does with its own time."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

__all__ = ["frozen_at", "now"]

_override: ContextVar[datetime | None] = ContextVar("lapor_now", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _override.set(moment)
    try:
        yield moment
    finally:
        _override.reset(token)
