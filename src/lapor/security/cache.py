"""Django's DatabaseCache with an atomic `incr`. The stock one reads then writes, so two gunicorn workers
counting the same client at once could both write n+1. Here the read and the write happen in one
transaction that holds the row (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the project opens
transactions IMMEDIATE, which takes the write lock at BEGIN), in two statements."""

import base64
import pickle  # noqa: S403  # nosec B403  # Django's own cache format; the values are counters we wrote
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

__all__ = ["AtomicDatabaseCache"]


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        made = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined]
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=db), connection.cursor() as cursor:
            if outermost and connection.vendor == "postgresql":
                # A counter lost in a crash costs nothing; waiting for the WAL flush costs every request.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            query = f"SELECT value, expires FROM {table} WHERE cache_key = %s{lock}"  # noqa: S608  # nosec B608  # table from settings, key bound
            cursor.execute(query, [made])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found.")
            value, expires = row
            for converter in converters:
                expires = converter(expires, expression, connection)
            if expires < tz_now():
                raise ValueError(f"Key '{key}' not found.")
            raw = base64.b64decode(connection.ops.process_clob(value).encode())
            current = pickle.loads(raw)  # noqa: S301  # nosec B301  # a row only this cache writes, as DatabaseCache does
            new = int(current) + delta
            encoded = base64.b64encode(pickle.dumps(new, self.pickle_protocol)).decode("latin1")
            # Only the value changes: the entry keeps its expiry.
            update = f"UPDATE {table} SET value = %s WHERE cache_key = %s"  # noqa: S608  # nosec B608  # as above
            cursor.execute(update, [encoded, made])
            return new
