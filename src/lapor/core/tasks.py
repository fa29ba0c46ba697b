"""Whether a worker runs beside this process. Work written to a table for the worker (the outbox,
webhook deliveries, the intake journal) needs one; the immediate backend (tests, scripts) has none,
so its writers do the work themselves."""

from django.conf import settings

__all__ = ["by_worker"]


def by_worker() -> bool:
    """Whether a worker relays new rows; if not (the immediate backend), the writer enqueues on commit."""
    return settings.TASK_MODE != "immediate"
