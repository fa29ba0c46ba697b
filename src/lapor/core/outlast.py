"""Writing down what was already done outside the database, across a database restart.

A worker that has handed a message to a mail server or a webhook receiver must record that, or the end
of the message's lease hands it out again and the receiver gets it twice. If PostgreSQL restarts (or
fails over) between the two, the record is written again on a new connection instead of being lost."""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connection

__all__ = ["outlasting_restart"]

T = TypeVar("T")
logger = logging.getLogger(__name__)
PAUSE = 0.5  # seconds between attempts on a new connection


def outlasting_restart(write: Callable[[], T], *, within: float) -> T:
    """`write()`, run again on a new connection every PAUSE seconds while the database is unreachable,
    for up to `within` seconds (give it less than the lease it protects). `write` must be safe to run
    twice: one statement, or its own `transaction.atomic()`. Inside a caller's transaction there is
    nothing to reconnect, so the error is raised at once."""
    deadline = time.monotonic() + within
    while True:
        try:
            return write()
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() >= deadline:
                raise
            logger.warning("the database is unreachable: writing again on a new connection")
            connection.close()
            time.sleep(PAUSE)
