"""`flush` wipes every table, the audit log included, so it alone may pass the append-only triggers:
on SQLite through `guard.unlocked()`, on PostgreSQL by disabling the triggers around its TRUNCATE.
Test runs use it between transactional tests; nothing else in the application deletes audit rows."""

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from lapor.audit import guard

_TABLES = ("audit_auditentry", "audit_audithead")


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            with guard.unlocked():
                return super().handle(**options)
        existing = set(connection.introspection.table_names())
        tables = [t for t in _TABLES if t in existing]
        self._triggers(connection, tables, "DISABLE")
        try:
            return super().handle(**options)
        finally:
            self._triggers(connection, tables, "ENABLE")

    @staticmethod
    def _triggers(connection: Any, tables: list[str], verb: str) -> None:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} {verb} TRIGGER USER")
