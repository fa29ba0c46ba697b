"""Keyset ("seek") pagination: the next page starts after the last row seen, so page 5,000 costs what
page 1 costs, where OFFSET reads and throws away every earlier row (ADR 0022). A cursor is the sort
values of the last row, opaque to clients (URL-safe base64 of JSON)."""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy

from lapor.core.errors import Invalid

__all__ = [
    "COUNT_CAP",
    "CURSOR_MAX_LENGTH",
    "NEWEST_FIRST",
    "Key",
    "Listing",
    "bounded_count",
    "decode",
    "encode",
    "order",
    "page_after",
    "page_rows",
]

M = TypeVar("M", bound=Model)

# Lists count at most this many rows (ADR 0022, lowered in ADR 0024): counting costs one row read per
# row counted, so a larger cap makes every list slower as the table grows, for a number nobody reads
# ("more than 1,000"). Fifty pages of twenty by number; the cursor goes deeper at the cost of page one.
COUNT_CAP = 1_000
# A cursor holds a few sort values, far shorter than this.
CURSOR_MAX_LENGTH = 400


class Listing(Protocol[M]):
    """Rows found and ordered elsewhere, which a list counts and cuts as it does a queryset's: the public
    search index's (ADR 0035)."""

    def bounded_count(self) -> tuple[int, bool]: ...

    def rows(self, start: int, stop: int) -> list[M]: ...


def bounded_count(qs: QuerySet[Any] | Listing[Any]) -> tuple[int, bool]:
    """(rows up to COUNT_CAP, whether that is all of them), reading at most COUNT_CAP + 1 rows."""
    if not isinstance(qs, QuerySet):
        return qs.bounded_count()
    counted = int(qs.order_by()[: COUNT_CAP + 1].count())
    return min(counted, COUNT_CAP), counted <= COUNT_CAP


def page_rows(qs: QuerySet[M] | Listing[M], start: int, stop: int) -> list[M]:
    """`qs[start:stop]`, with the rows of `select_related` joined to the page only. Joined before the
    cut, PostgreSQL joins every matching row ahead of the sort, hashing whole tables (10,000 units) to
    return twenty rows; here the page's ids come from a subquery over the filtered table alone."""
    if not isinstance(qs, QuerySet):
        return qs.rows(start, stop)
    if not qs.query.select_related or qs.query.annotations or qs.query.extra:
        return list(qs[start:stop])
    ids = qs.values("pk")[start:stop]
    page = qs.model._base_manager.filter(pk__in=ids)
    if qs.query.order_by:  # else the model's own ordering, as `qs` has (`order_by()` would drop it)
        page = page.order_by(*qs.query.order_by)
    page.query.select_related = qs.query.select_related
    page.query.deferred_loading = qs.query.deferred_loading
    return list(page)


@dataclass(frozen=True)
class Key:
    """One sort column. The last key of an ordering must be unique (the primary key)."""

    field: str
    desc: bool = False
    nullable: bool = False  # NULLs sort last in either direction

    def order(self) -> OrderBy:
        # A NULLS clause only where NULLs exist: "DESC NULLS LAST" does not match a plain DESC index, and
        # the planner would sort the whole table instead of reading the index in order.
        expression = F(self.field)
        if not self.nullable:
            return expression.desc() if self.desc else expression.asc()
        return expression.desc(nulls_last=True) if self.desc else expression.asc(nulls_last=True)


# The default order of report lists (Report.Meta.ordering), with the primary key as the tie-breaker.
NEWEST_FIRST = (Key("created_at", desc=True), Key("id", desc=True))


def order(keys: Sequence[Key]) -> list[OrderBy]:
    return [key.order() for key in keys]


def _dump(value: Any) -> Any:
    return {"t": value.isoformat()} if isinstance(value, datetime) else value


def _load(value: Any) -> Any:
    return datetime.fromisoformat(value["t"]) if isinstance(value, dict) else value


def encode(row: Model, keys: Sequence[Key]) -> str:
    values = [_dump(getattr(row, key.field)) for key in keys]
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, keys: Sequence[Key]) -> list[Any]:
    """The sort values inside a cursor; a cursor that is not one of ours is a 422 on `cursor`."""
    if len(cursor) > CURSOR_MAX_LENGTH:  # ours are short: decoding a long one would be work for nothing
        raise Invalid("Kursor halaman tidak valid.", code="invalid_cursor", field="cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = [_load(v) for v in json.loads(raw)]
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise Invalid("Kursor halaman tidak valid.", code="invalid_cursor", field="cursor") from exc
    if len(values) != len(keys) or values[-1] is None:
        raise Invalid("Kursor halaman tidak valid.", code="invalid_cursor", field="cursor")
    return values


def _after(key: Key, value: Any) -> Q:
    """Rows strictly after `value` on this one key (NULLs last)."""
    if value is None:
        return Q(pk__in=[])  # nothing sorts after NULL
    q = Q(**{f"{key.field}__{'lt' if key.desc else 'gt'}": value})
    return q | Q(**{f"{key.field}__isnull": True}) if key.nullable else q


def _equal(key: Key, value: Any) -> Q:
    return Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})


def page_after(
    qs: QuerySet[M], keys: Sequence[Key], cursor: str | None, size: int
) -> tuple[list[M], str | None]:
    """One page of `qs` in `keys` order after `cursor` (the first page without one), and the cursor of
    the page that follows (None on the last page)."""
    qs = qs.order_by(*order(keys))
    if cursor:
        values = decode(cursor, keys)
        seek = Q(pk__in=[])
        for i, (key, value) in enumerate(zip(keys, values, strict=True)):
            prefix = Q()
            for earlier, earlier_value in zip(keys[:i], values[:i], strict=True):
                prefix &= _equal(earlier, earlier_value)
            seek |= prefix & _after(key, value)
        first, first_value = keys[0], values[0]
        if first_value is not None and not first.nullable:
            # A plain range bound on the leading column, so the index scan starts at the cursor.
            seek &= Q(**{f"{first.field}__{'lte' if first.desc else 'gte'}": first_value})
        try:
            qs = qs.filter(seek)
        except (ValidationError, ValueError, TypeError) as exc:  # values of the wrong type for a column
            raise Invalid("Kursor halaman tidak valid.", code="invalid_cursor", field="cursor") from exc
    rows = page_rows(qs, 0, size + 1)
    following = encode(rows[size - 1], keys) if len(rows) > size else None
    return rows[:size], following
