"""Every list and dashboard reads a fixed number of queries, whatever the number of rows: the count
at 3 reports equals the count at 30 (no N+1). Reports are built through the real services."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lapor.agencies.access import Viewer
from lapor.reports.models import Report
from lapor.reports.presenters import report_summary, summarized
from lapor.reports.selectors import IndexedReports, reports_visible_to
from lapor.reports.workflow import Status
from tests.api.helpers import client_for
from tests.factories import World, report_in
from tests.web.helpers import client_as

pytestmark = pytest.mark.django_db

# Statuses cycled through, so every queue and every public status has rows at both sizes.
STATUSES = [
    Status.SUBMITTED,
    Status.ROUTED,
    Status.IN_PROGRESS,
    Status.RESPONDED,
    Status.CLOSED,
    Status.ON_HOLD,
]


def _grow(world: World, total: int) -> None:
    have = Report.objects.count()
    for i in range(have, total):
        report_in(world, STATUSES[i % len(STATUSES)], anonymous=i % 4 == 0)


def _count(request: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = request()
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def _tracking_id() -> str:
    return Report.objects.filter(status=Status.ROUTED).order_by("pk").values_list("tracking_id", flat=True)[0]


# name -> (who signs in, "api" (bearer token) or "web" (session), path (a callable for a report's page))
ENDPOINTS: dict[str, tuple[str | None, str, Any]] = {
    "api_public_list": (None, "api", "/api/v1/reports"),
    "api_public_search": (None, "api", "/api/v1/reports?q=lubang&region=34"),
    "api_admin_list": ("admin_pemda", "api", "/api/v1/reports?status=in_progress"),
    "api_verifier_list": ("verifier", "api", "/api/v1/reports"),
    "api_queues": ("admin_pemda", "api", "/api/v1/queues"),
    "api_queue_agency": ("admin_pemda", "api", "/api/v1/queues/diproses"),
    "api_queue_verifier": ("verifier", "api", "/api/v1/queues/baru"),
    "api_queue_unit": ("officer_pu", "api", "/api/v1/queues/unit"),
    "api_queue_supervisor": ("supervisor", "api", "/api/v1/queues/eskalasi"),
    "api_stats_overview": (None, "api", "/api/v1/stats/overview"),
    "api_stats_agencies": (None, "api", "/api/v1/stats/agencies"),
    "api_stats_agency": (None, "api", "/api/v1/stats/agencies/pemda-34.04"),
    "api_timeline": ("citizen", "api", lambda: f"/api/v1/reports/{_tracking_id()}/timeline"),
    "page_public_list": (None, "web", "/laporan/"),
    "page_public_search": (None, "web", "/laporan/?q=lubang"),
    "page_tracking": (None, "web", lambda: f"/laporan/{_tracking_id()}/"),
    "page_my_reports": ("citizen", "web", "/akun/laporan/"),
    "page_console": ("admin_pemda", "web", "/staf/"),
    "page_queue_agency": ("admin_pemda", "web", "/staf/antrean/diproses/"),
    "page_queue_verifier": ("verifier", "web", "/staf/antrean/baru/"),
    "page_queue_supervisor": ("supervisor", "web", "/staf/antrean/terlambat/"),
    "page_stats": (None, "web", "/statistik/"),
    "page_agency_stats": (None, "web", "/instansi/pemda-34.04/"),
}


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_query_count_does_not_grow_with_rows(world: World, name: str, django_assert_num_queries: Any) -> None:
    who, surface, path = ENDPOINTS[name]
    user = getattr(world, who) if who else None
    client: Client = client_for(user) if surface == "api" else client_as(user)

    def request() -> Any:
        return client.get(path() if callable(path) else path)

    _grow(world, 3)
    request()  # first request: sessions, lazily created rows
    at_three = _count(request)
    _grow(world, 30)
    with django_assert_num_queries(at_three):
        response = request()
    assert response.status_code == 200
    assert at_three <= 60, f"{name} runs {at_three} queries"


def test_a_bearer_token_is_read_once_per_request(world: World) -> None:
    # The rate limiter (per account) and authentication both need the token's account.
    client = client_for(world.admin_pemda)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/queues").status_code == 200
    assert sum('FROM "core_authtoken"' in q["sql"] for q in ctx.captured_queries) == 1


def test_a_list_loads_what_its_rows_show_and_shows_the_same(world: World) -> None:
    """`summarized` lists load only the columns `report_summary` reads: one query for a page of rows,
    none while they are shown (a column it reads but does not load would cost a query per row), and
    every row shows as the whole report does. Both ways a list is read: a queryset, and the search
    index's ids."""
    _grow(world, 12)
    Report.objects.filter(agency=world.unit_pu.agency).update(unit=world.unit_pu)
    public = reports_visible_to(viewer=Viewer.public())
    whole = {r.pk: report_summary(r) for r in public}
    assert any(row["unit"] for row in whole.values()) and any(row["due_at"] for row in whole.values())
    queryset, indexed = summarized(public), summarized(IndexedReports(ids=sorted(whole)))
    assert isinstance(queryset, QuerySet) and isinstance(indexed, IndexedReports)
    for read in (lambda: list(queryset.all()), lambda: indexed.rows(0, len(whole))):
        with CaptureQueriesContext(connection) as ctx:
            rows = read()
            shown = {r.pk: report_summary(r) for r in rows}
        assert len(ctx.captured_queries) == 1
        assert shown == whole
