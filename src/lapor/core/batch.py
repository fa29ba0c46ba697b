"""Writes held back and sent together (ADR 0032).

A filing writes its report, the reporter's identity, the first event, a receipt and the rollups,
and reads none of them back before commit. Sent one by one, each statement is a round trip to
PostgreSQL. On a loaded machine the round trips cost more than the statements. Inside `held()`,
`insert()` and `execute()` hold their statements back. The held statements go to the database in
one round trip, in order, when the block ends or just before the connection runs any other
statement, so every read still sees every write before it. Many rows of one table go by COPY
instead, between the texts before and after them (a write-out's 500 reports). The primary keys the
rows need are drawn from their sequences up front, all in one query.

Only PostgreSQL holds statements back: statements joined by semicolons travel as one batch, run in
order, and the first error fails the batch. On SQLite each statement runs at once, so callers are
written one way for both. Rows inserted here send no model signals, as with `bulk_create`; `insert`
refuses a model with its own `save()` or a save receiver, so neither is ever skipped without notice.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from itertools import groupby
from threading import local
from typing import Any, TypeVar

from django.db import connection, connections, transaction
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from psycopg import ClientCursor

__all__ = ["Statement", "execute", "fold", "held", "insert"]

Statement = tuple[str, Sequence[Any]]
T = TypeVar("T")

_local = local()


class _Rows:
    """Rows of one table held by `insert`, as their values: one INSERT for all of them when sent, or
    a COPY when there are many. A filing's write-out announces 500 receipts one by one, and building
    each its own statement with Django's compiler cost a seventh of the write-out."""

    def __init__(self, key: tuple[type[Model], bool]) -> None:
        self.key, self.ignore_conflicts = key, key[1]
        self.table, self.columns = _names(key[0])
        self.values: list[list[Any]] = []

    @property
    def copied(self) -> bool:
        """COPY takes no ON CONFLICT, and costs round trips of its own: only for many plain rows."""
        return len(self.values) >= COPY_FROM and not self.ignore_conflicts

    def text(self, merge: Callable[[str, Sequence[Any]], str]) -> str:
        row = "(" + ", ".join(["%s"] * len(self.values[0])) + ")"
        rows = ", ".join(merge(row, values) for values in self.values)
        tail = " ON CONFLICT DO NOTHING" if self.ignore_conflicts else ""
        return f"INSERT INTO {self.table} ({self.columns}) VALUES {rows}{tail}"  # noqa: S608  # nosec B608

    def copy(self, cursor: Any) -> None:
        with cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
            for values in self.values:
                copy.write_row(values)


# From this many rows a table's held rows go by COPY, whose rows psycopg writes in C, where an INSERT
# has every value quoted one by one in Python: half the write-out's cost of its 500 reports.
COPY_FROM = 50


def _send(statements: Sequence[Statement | _Rows]) -> None:
    """The statements in order, in as few round trips as they allow: each run of them as one text,
    sent without parameters, so PostgreSQL gets it in one simple-protocol message; many rows of one
    table by COPY between. Each statement is merged with its values here, exactly as Django's
    client-side binding would; psycopg caches how each statement parses, where a long batch with all
    its values was parsed anew every time. Held rows are merged one row at a time for the same reason."""
    with connection.cursor() as cursor:
        merge = ClientCursor(cursor.connection).mogrify
        texts: list[str] = []

        def send_texts() -> None:
            if texts:
                cursor.execute("; ".join(texts))
                texts.clear()

        for entry in statements:
            if isinstance(entry, _Rows) and entry.copied:
                send_texts()
                with connection.wrap_database_errors:  # Django's errors, as for every statement
                    entry.copy(cursor.cursor)
            else:
                texts.append(entry.text(merge) if isinstance(entry, _Rows) else merge(*entry))
        send_texts()


class _Held:
    def __init__(self) -> None:
        self.statements: list[Statement | _Rows] = []
        self.folds: dict[str, tuple[Any, Callable[[Any], Sequence[Statement | None]]]] = {}
        self.sending = False

    def rows(self, key: tuple[type[Model], bool]) -> list[list[Any]]:
        """Where to add rows of `key`: the last held write when it holds rows of the same kind (so
        the order of every write is kept), else a new one."""
        last = self.statements[-1] if self.statements else None
        if not (isinstance(last, _Rows) and last.key == key):
            last = _Rows(key)
            self.statements.append(last)
        return last.values

    def send(self) -> None:
        """The held statements, in one round trip (the connection's wrapper lets this one through)."""
        for value, write in self.folds.values():
            self.statements.extend(statement for statement in write(value) if statement is not None)
        self.folds.clear()
        if not self.statements:
            return
        statements, self.statements = self.statements, []
        self.sending = True
        try:
            _send(statements)
        finally:
            self.sending = False

    def before_any_statement(
        self, run: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        if not self.sending:
            self.send()  # whatever the next statement is, it sees the writes held so far
        return run(sql, params, many, context)


def _holding() -> _Held | None:
    return getattr(_local, "held", None)


@contextmanager
def held() -> Iterator[None]:
    """Hold `insert` and `execute` until the block ends, in the caller's transaction (one is opened
    when there is none). A failure inside the block sends nothing."""
    if connection.vendor != "postgresql" or _holding() is not None:
        with transaction.atomic():
            yield
        return
    batch = _Held()
    with transaction.atomic(), connection.execute_wrapper(batch.before_any_statement):
        _local.held = batch
        try:
            yield
            batch.send()
        finally:
            _local.held = None


def execute(statements: Sequence[Statement | None]) -> None:
    """Run these statements in order: held in a `held()` block, else at once (one round trip on
    PostgreSQL for several)."""
    batch = [statement for statement in statements if statement is not None]
    if (holding := _holding()) is not None:
        holding.statements.extend(batch)
        return
    if connection.vendor == "postgresql" and len(batch) > 1:
        _send(batch)
        return
    with connection.cursor() as cursor:
        for sql, params in batch:
            cursor.execute(sql, params)


def fold(
    key: str,
    value: T,
    *,
    merge: Callable[[T, T], None],
    write: Callable[[T], Sequence[Statement | None]],
) -> None:
    """Statements that add `value` somewhere, e.g. counters. Inside `held()`, the values given under
    one `key` are merged (`merge(first, next)`, into the first) and written once, with the held
    writes: a batch of filings that all add to the same cells updates each cell once, not once per
    filing. Outside, written at once."""
    holding = _holding()
    if holding is None:
        execute(write(value))
    elif key in holding.folds:
        merge(holding.folds[key][0], value)
    else:
        holding.folds[key] = (value, write)


def insert(*objs: Model, ignore_conflicts: bool = False) -> None:
    """INSERT these unsaved rows, in order, like `bulk_create`: no `save()`, no model signals. Their
    primary keys are set first (drawn from the sequences when empty), so a row can point at one
    inserted before it in the same call or block. Each row's values are taken now, as they are."""
    if special := [type(obj) for obj in objs if not _plain(type(obj))]:
        raise TypeError(f"{special[0].__name__} has its own save() or save signals: save it instead")
    if (holding := _holding()) is None:
        for _, run in groupby(objs, key=type):
            rows = list(run)
            type(rows[0])._default_manager.bulk_create(rows, ignore_conflicts=ignore_conflicts)
        return
    _draw_keys([obj for obj in objs if obj.pk is None])
    # The connection itself, not the proxy: every field's preparation asks it for its operations.
    wrapper = connections[connection.alias]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
        model = type(obj)
        fields = model._meta.local_concrete_fields
        raw = [field.pre_save(obj, True) for field in fields]
        if any(hasattr(value, "resolve_expression") for value in raw):
            raise TypeError(f"{model.__name__}: an expression as a value needs Django's compiler: save it")
        values = [field.get_db_prep_save(value, wrapper) for field, value in zip(fields, raw, strict=True)]
        holding.rows((model, ignore_conflicts)).append(values)
        obj._state.adding, obj._state.db = False, wrapper.alias


@cache
def _names(model: type[Model]) -> tuple[str, str]:
    """The model's table and its columns, quoted, as Django's compiler writes them."""
    fields = model._meta.local_concrete_fields
    if special := [field.name for field in fields if hasattr(field, "get_placeholder")]:
        raise TypeError(f"{model.__name__}.{special[0]} needs Django's compiler: save it instead")
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(str(field.column)) for field in fields)


def _plain(model: type[Model]) -> bool:
    """Nothing of the model's own runs on save: inserting it directly skips nothing."""
    return (
        model.save is Model.save and not pre_save.has_listeners(model) and not post_save.has_listeners(model)
    )


def _draw_keys(objs: list[Model]) -> None:
    """Next values of the rows' own sequences, all in one query, rising in the order of the rows of
    each table: a value for a table's one row, an array for many (a batch of any size fits one row)."""
    if not objs:
        return
    by_model: dict[type[Model], list[Model]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    quote = connection.ops.quote_name
    one = "nextval(pg_get_serial_sequence(%s, %s))"
    many = "ARRAY(SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s))"
    draws: list[str] = []
    params: list[str | int] = []
    for model, rows in by_model.items():
        table, column = quote(model._meta.db_table), str(model._meta.pk.column)
        if len(rows) == 1:
            draws.append(one)
            params += [table, column]
        else:
            draws.append(many)
            params += [table, column, len(rows)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(draws)}", params)  # noqa: S608  # nosec B608: placeholders only
        drawn = cursor.fetchone()
    for rows, keys in zip(by_model.values(), drawn, strict=True):
        for obj, key in zip(rows, sorted(keys) if isinstance(keys, list) else [keys], strict=True):
            obj.pk = key
