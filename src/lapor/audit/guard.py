"""The one sanctioned way past the SQLite DELETE triggers: `lapor flush`, which wipes the whole database.

SQLite has no way to switch a trigger off, so its DELETE triggers ask `lapor_audit_unlocked()`, a
function this process registers on each of its connections. Any other client (the `sqlite3` shell, a
script) does not have the function, so its DELETE fails too: the door opens only from inside this
process, where someone could drop the triggers anyway. PostgreSQL needs no such function: `flush`
disables the triggers for its TRUNCATE (it owns the tables), and nothing else may."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["register_sqlite_function", "unlocked"]

_unlocked: ContextVar[bool] = ContextVar("lapor_audit_unlocked", default=False)


def _is_unlocked() -> int:
    return int(_unlocked.get())


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("lapor_audit_unlocked", 0, _is_unlocked)


@contextmanager
def unlocked() -> Iterator[None]:
    token = _unlocked.set(True)
    try:
        yield
    finally:
        _unlocked.reset(token)
