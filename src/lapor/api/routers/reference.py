from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lapor.agencies.models import Category
from lapor.agencies.selectors import agencies_search
from lapor.api.errors import ErrorOut
from lapor.api.pagination import PageParams, paginate
from lapor.api.schemas import AgencyOut, CategoryOut, RegionOut
from lapor.geo.selectors import regions_search

router = Router(tags=["reference"])


class RegionPage(Schema):
    items: list[RegionOut]
    count: int
    page: int
    page_size: int
    pages: int


class AgencyPage(Schema):
    items: list[AgencyOut]
    count: int
    page: int
    page_size: int
    pages: int


class RegionQuery(PageParams):
    level: Literal["province", "regency"] | None = None
    q: str | None = Field(None, max_length=100)


class AgencyQuery(PageParams):
    kind: str | None = Field(None, max_length=20)
    region: str | None = Field(None, max_length=13)
    q: str | None = Field(None, max_length=100)


@router.get("/categories", response=list[CategoryOut])
def list_categories(request: HttpRequest) -> Any:
    """The stable category taxonomy (DESIGN §4)."""
    return Category.objects.all()


@router.get("/regions", response={200: RegionPage, 422: ErrorOut})
def list_regions(request: HttpRequest, params: Query[RegionQuery]) -> Any:
    level = {"province": 1, "regency": 2}.get(params.level or "")
    return paginate(regions_search(level=level, q=params.q), params)


@router.get("/agencies", response={200: AgencyPage, 422: ErrorOut})
def list_agencies(request: HttpRequest, params: Query[AgencyQuery]) -> Any:
    qs = agencies_search(kind=params.kind, region=params.region, q=params.q).select_related("parent")
    return paginate(qs, params)
