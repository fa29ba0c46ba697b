"""Pagination shared by every list endpoint: page numbers with a hard cap, or a keyset `cursor`.

`page` keeps the documented shape (`items`, `count`, `page`, `page_size`, `pages`); `next_cursor` is the
cursor of the following page, and passing it as `cursor` seeks there by index instead of OFFSET, so
deep pages cost what the first one costs (ADR 0022). `count` is exact up to `keyset.COUNT_CAP` rows:
beyond that `count_exact` is false, because counting millions of rows on every request costs more than
the page."""

from collections.abc import Sequence
from math import ceil
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema
from pydantic import Field

from lapor.core.keyset import (
    CURSOR_MAX_LENGTH,
    Key,
    Listing,
    bounded_count,
    encode,
    order,
    page_after,
    page_rows,
)

__all__ = ["PageParams", "paginate"]

M = TypeVar("M", bound=Model)
MAX_PAGE_SIZE = 100


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    cursor: str | None = Field(None, max_length=CURSOR_MAX_LENGTH)


def paginate(
    qs: QuerySet[M] | Listing[M], params: PageParams, keys: Sequence[Key] | None = None
) -> dict[str, Any]:
    """Without `keys` the queryset's own order is paged by number only and `next_cursor` stays None.
    A `Listing` comes in `keys` order already, and by page number only."""
    count, exact = bounded_count(qs)
    if keys is None:
        start = (params.page - 1) * params.page_size
        items, following, page = page_rows(qs, start, start + params.page_size), None, params.page
    elif params.cursor:
        if not isinstance(qs, QuerySet):
            raise TypeError("a cursor seeks in a queryset; a Listing is paged by number only")
        items, following = page_after(qs, keys, params.cursor, params.page_size)
        page = 0  # a cursor page has no number
    else:
        start, size = (params.page - 1) * params.page_size, params.page_size
        ordered = qs.order_by(*order(keys)) if isinstance(qs, QuerySet) else qs
        # One row more than the page tells whether another page follows, and its cursor.
        rows = page_rows(ordered, start, start + size + 1)
        items, following = rows[:size], encode(rows[size - 1], keys) if len(rows) > size else None
        page = params.page
    return {
        "items": items,
        "count": count,
        "count_exact": exact,
        "page": page,
        "page_size": params.page_size,
        "pages": ceil(count / params.page_size) if count else 0,
        "next_cursor": following,
    }
