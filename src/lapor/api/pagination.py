"""Page-number pagination with a hard cap, shared by every list endpoint."""

from math import ceil
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema
from pydantic import Field

__all__ = ["PageParams", "paginate"]

M = TypeVar("M", bound=Model)
MAX_PAGE_SIZE = 100


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


def paginate(qs: QuerySet[M], params: PageParams) -> dict[str, Any]:
    count = qs.count()
    start = (params.page - 1) * params.page_size
    return {
        "items": list(qs[start : start + params.page_size]),
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": ceil(count / params.page_size) if count else 0,
    }
