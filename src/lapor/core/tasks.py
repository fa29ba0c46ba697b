"""Whether a worker runs beside this process. Work written to a table for the worker (the outbox,
webhook deliveries, the intake journal) needs one; the immediate backend (tests, scripts) has none,
so its writers do the work themselves. And `run_every`, the loop of a dedicated process beside the
workers (`lapor intake write-out --every`, `lapor search sync --every`)."""

import gc
import time
from collections.abc import Callable
from typing import NoReturn

from django.conf import settings
from django.db import close_old_connections

__all__ = ["by_worker", "run_every"]


def by_worker() -> bool:
    """Whether a worker relays new rows; if not (the immediate backend), the writer enqueues on commit."""
    return settings.TASK_MODE != "immediate"


def run_every(seconds: float, step: Callable[[], object]) -> NoReturn:
    """`step`, then again every `seconds`, until the process is stopped. The period runs from the start
    of each step: a step that took most of it is followed sooner, one that took longer at once."""
    first = True
    while True:
        started = time.monotonic()
        close_old_connections()  # no request cycle here drops a connection the database closed
        step()
        if first:  # what the first round loaded lives on: later collections skip it (ADR 0034)
            gc.freeze()
            first = False
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
