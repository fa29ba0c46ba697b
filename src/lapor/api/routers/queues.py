"""Officer work queues over the API: the same queues as the console (`reports.queues`), paged by a
keyset cursor so a long queue stays as fast on its last page as on its first (ADR 0022)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lapor.api.auth import require_user
from lapor.api.errors import ErrorOut
from lapor.api.pagination import PageParams, paginate
from lapor.api.schemas import ReportPage
from lapor.reports.presenters import report_summary, summarized
from lapor.reports.queues import KEYS, queue_counts, queue_reports, queues_for
from lapor.reports.selectors import ReportFilters

router = Router(tags=["queues"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class QueueOut(Schema):
    key: str
    label: str
    role: str
    count: int
    count_exact: bool  # false: the queue holds more than `count` reports (counts stop at 1,000)


class QueueQuery(PageParams):
    sort: str = Field("tenggat", pattern="^(" + "|".join(KEYS) + ")$")
    kind: str | None = Field(None, max_length=20)
    category: str | None = Field(None, max_length=32)


@router.get("/queues", response={200: list[QueueOut], **ERRORS})
def list_queues(request: HttpRequest) -> Any:
    """The caller's queues (by the roles they hold) with how many reports each holds."""
    viewer = require_user(request.auth)  # type: ignore[attr-defined]
    counts = queue_counts(viewer=viewer)
    rows = []
    for q in queues_for(viewer):
        count, exact = counts[q.key]
        rows.append(
            {"key": q.key, "label": str(q.label), "role": q.role, "count": count, "count_exact": exact}
        )
    return rows


@router.get("/queues/{key}", response={200: ReportPage, **ERRORS})
def queue_page(request: HttpRequest, key: str, params: Query[QueueQuery]) -> Any:
    """One queue, most urgent first by default; follow `next_cursor` for the following page."""
    viewer = require_user(request.auth)  # type: ignore[attr-defined]
    filters = ReportFilters(kind=params.kind, category=params.category)
    qs = queue_reports(viewer=viewer, key=key, filters=filters, sort=params.sort)
    page = paginate(summarized(qs), params, KEYS[params.sort])
    page["items"] = [report_summary(report) for report in page["items"]]
    return page
