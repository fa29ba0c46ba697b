"""Public performance statistics (docs/metrics.md). Read from the rollups: counts and rates only, so
confidential reports are counted and never shown, and nothing identifies a reporter."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from lapor.analytics import selectors
from lapor.api.errors import ErrorOut

router = Router(tags=["statistics"])


@router.get("/stats/overview", auth=None, response={200: dict[str, Any], 422: ErrorOut})
def stats_overview(request: HttpRequest, period: str | None = None) -> Any:
    """National totals and KPIs, volume by kind, category and province, a 12-month trend, open backlog by
    age and the grade distribution per peer group. `period`: 2025, 2025-Q1 or 2025-03 (default: this year)."""
    return selectors.overview(period=period)


@router.get("/stats/agencies", auth=None, response={200: dict[str, Any], 422: ErrorOut})
def stats_agencies(request: HttpRequest, group: str | None = None, period: str | None = None) -> Any:
    """Every agency of a peer group (or of all groups) with its composite score and grade, best first."""
    return selectors.agency_table(group=group, period=period)


@router.get("/stats/agencies/{code}", auth=None, response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut})
def stats_agency(request: HttpRequest, code: str, period: str | None = None) -> Any:
    """One agency's scorecard: KPIs, grade and rank in its peer group, trend, backlog, units, categories."""
    return selectors.agency_scorecard(code=code, period=period)
