"""Process-local copies of reference rows that every filing reads and an operator rarely changes
(regions, categories, agencies, SLA policy versions), so the hot path does not ask the database for
them each time (ADR 0024).

A copy is dropped when this process saves or deletes a row of its models, and at the latest `ttl`
seconds after it was read, which bounds how long another process (another web node or worker) can
serve an edit made elsewhere. Only rows that exist are remembered: an unknown key always asks the
database, so random keys cannot grow the cache."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

__all__ = ["Reference", "clear_all"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_ALL: list[Reference[object, object]] = []


class Reference(Generic[K, V]):
    def __init__(
        self, fetch: Callable[[K], V | None], *, models: tuple[type[Model] | str, ...], ttl: float
    ) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._rows: dict[K, V] = {}
        self._expires = 0.0
        for model in models:  # "app_label.Model" is resolved once the app registry is ready
            post_save.connect(self._drop, sender=model, weak=False)
            post_delete.connect(self._drop, sender=model, weak=False)
        _ALL.append(self)  # type: ignore[arg-type]

    def __call__(self, key: K) -> V | None:
        now = time.monotonic()
        if now >= self._expires:
            self._rows.clear()
            self._expires = now + self._ttl
        if (row := self._rows.get(key)) is not None:
            return row
        row = self._fetch(key)
        if row is not None:
            self._rows[key] = row
        return row

    def clear(self) -> None:
        """Forget the copy. Its life starts again at the next read, so a copy read after a clear
        lives its whole `ttl`, as the rule says (tests clear before each one: no copy can expire
        between two requests a test compares)."""
        self._rows.clear()
        self._expires = 0.0

    def _drop(self, **kwargs: object) -> None:
        self.clear()


def clear_all() -> None:
    """Forget every copy: for tests, whose rolled-back rows no signal announces."""
    for reference in _ALL:
        reference.clear()
