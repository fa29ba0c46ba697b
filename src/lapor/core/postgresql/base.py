"""PostgreSQL as Django ships it, with a health check that costs no round trip (ADR 0029).

Django's `CONN_HEALTH_CHECKS` sends `SELECT 1` before the first query of every request that reuses a
connection: one more round trip per request, about a tenth of a filing's time under load. A connection
the server has ended (a restart, a failover, an idle timeout, PgBouncer going away) has something to
read while it should be idle: the server's last message or the end of the stream. Asking the socket,
without waiting, finds that. Whatever it finds, the connection is replaced before the request uses it,
as Django's check would; a healthy connection never has input waiting, because every result is read
in full and nothing here LISTENs."""

import select

from django.db.backends.postgresql import base

__all__ = ["DatabaseWrapper"]


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_enabled: bool  # Django's own attributes, which its type stubs leave out
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if self.connection.closed or self.connection.broken or _has_input(self.connection.fileno()):
            self.close()
        self.health_check_done = True


def _has_input(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))
