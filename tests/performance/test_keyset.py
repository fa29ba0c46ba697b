"""Keyset pagination (ADR 0022): following `next_cursor` visits every row exactly once, in order, even
when sort values tie or are NULL; a forged cursor is a 422 in the one error shape."""

import base64
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lapor.core import keyset
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from lapor.web.views.common import CappedPaginator
from tests.api.helpers import assert_error, client_for
from tests.factories import World, report_in, submit
from tests.web.helpers import client_as

pytestmark = pytest.mark.django_db


def _walk(client: Any, path: str, **params: Any) -> tuple[list[str], list[dict[str, Any]]]:
    seen: list[str] = []
    pages = []
    body = client.get(path, {**params, "page_size": 2}).json()
    while True:
        pages.append(body)
        seen += [item["tracking_id"] for item in body["items"]]
        if not body["next_cursor"]:
            return seen, pages
        body = client.get(path, {**params, "page_size": 2, "cursor": body["next_cursor"]}).json()


def test_public_list_cursor_visits_every_row_once_with_tied_times(world: World) -> None:
    for _ in range(7):
        report_in(world, Status.ROUTED)
    Report.objects.update(created_at=timezone.now())  # every sort value ties: the id must break it
    expected = list(Report.objects.order_by("-created_at", "-id").values_list("tracking_id", flat=True))
    seen, pages = _walk(client_for(None), "/api/v1/reports")
    assert seen == expected
    assert len(pages) == 4
    assert pages[0]["count"] == 7 and pages[0]["count_exact"] is True


def test_cursor_pages_match_numbered_pages(world: World) -> None:
    for _ in range(5):
        report_in(world, Status.ROUTED)
    client = client_for(None)
    numbered = []
    for page in (1, 2, 3):
        numbered += [
            r["tracking_id"]
            for r in client.get("/api/v1/reports", {"page": page, "page_size": 2}).json()["items"]
        ]
    seen, _ = _walk(client, "/api/v1/reports")
    assert seen == numbered


def test_queue_cursor_walks_nullable_due_dates_in_order(world: World) -> None:
    for _ in range(5):
        report_in(world, Status.IN_PROGRESS)
    # Two reports without a deadline must come last, after every dated one.
    undated = list(Report.objects.order_by("pk")[:2])
    Report.objects.filter(pk__in=[r.pk for r in undated]).update(due_at=None)
    client = client_for(world.admin_pemda)
    seen, _ = _walk(client, "/api/v1/queues/diproses")
    assert len(seen) == len(set(seen)) == 5
    assert seen[-2:] == [r.tracking_id for r in sorted(undated, key=lambda r: (r.created_at, r.pk))]
    dues = [Report.objects.get(tracking_id=t).due_at for t in seen[:3]]
    dated = [due for due in dues if due is not None]
    assert len(dated) == 3 and dated == sorted(dated)


@pytest.mark.parametrize("sort", ["tenggat", "terbaru", "terlama", "dukungan"])
def test_every_queue_sort_pages_without_gaps(world: World, sort: str) -> None:
    for _ in range(5):
        report_in(world, Status.IN_PROGRESS)
    client = client_for(world.admin_pemda)
    seen, _ = _walk(client, "/api/v1/queues/diproses", sort=sort)
    assert sorted(seen) == sorted(Report.objects.values_list("tracking_id", flat=True))


def test_forged_cursor_is_a_422_on_cursor(world: World) -> None:
    report_in(world, Status.ROUTED)
    assert_error(
        client_for(None).get("/api/v1/reports", {"cursor": "bm90LWpzb24"}), 422, "invalid_cursor", "cursor"
    )
    assert_error(client_for(None).get("/api/v1/reports", {"cursor": "W10"}), 422, "invalid_cursor", "cursor")
    # The right number of values, of the wrong types.
    wrong = base64.urlsafe_b64encode(b'["not a time", "x"]').decode().rstrip("=")
    assert_error(client_for(None).get("/api/v1/reports", {"cursor": wrong}), 422, "invalid_cursor", "cursor")


def test_queue_api_is_for_signed_in_officers_only(world: World) -> None:
    submit(world)
    assert_error(client_for(None).get("/api/v1/queues/baru"), 401)
    # A citizen holds no verifier role: that queue does not exist for them.
    assert_error(client_for(world.citizen).get("/api/v1/queues/baru"), 404)
    body = client_for(world.verifier).get("/api/v1/queues").json()
    assert {"key": "baru", "count": 1}.items() <= next(q for q in body if q["key"] == "baru").items()


def test_count_is_capped_and_says_so(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(3):
        report_in(world, Status.ROUTED)
    monkeypatch.setattr(keyset, "COUNT_CAP", 2)
    body = client_for(None).get("/api/v1/reports").json()
    assert (body["count"], body["count_exact"]) == (2, False)
    assert len(body["items"]) == 3


def test_queue_counts_stop_at_the_cap_and_say_so(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(3):
        report_in(world, Status.ROUTED)
    monkeypatch.setattr(keyset, "COUNT_CAP", 2)
    body = client_for(world.admin_pemda).get("/api/v1/queues").json()
    incoming = next(q for q in body if q["key"] == "masuk")
    assert (incoming["count"], incoming["count_exact"]) == (2, False)
    assert all(q["count_exact"] for q in body if q["key"] != "masuk")
    html = client_as(world.admin_pemda).get("/staf/antrean/masuk/").content.decode()
    assert '<span class="count">2+</span>' in html


def test_pages_say_when_their_count_stopped_at_the_cap(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A capped count is shown as a lower bound everywhere a page shows it, in both languages."""
    for _ in range(3):
        report_in(world, Status.ROUTED)
    monkeypatch.setattr(keyset, "COUNT_CAP", 2)
    assert "Lebih dari 2 laporan ditemukan" in Client().get("/laporan/").content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    assert "More than 2 reports found" in english.get("/laporan/").content.decode()
    heading = client_as(world.admin_pemda).get("/staf/antrean/masuk/").content.decode().split("</h1>")[0]
    assert heading.endswith('<span class="count">2+</span>')
    paginator = CappedPaginator(Report.objects.order_by("pk"), 1)
    assert (paginator.shown_count, paginator.shown_pages) == ("2+", "2+")
    monkeypatch.setattr(keyset, "COUNT_CAP", 10)
    exact = CappedPaginator(Report.objects.order_by("pk"), 1)
    assert (exact.shown_count, exact.shown_pages) == (Report.objects.count(), Report.objects.count())


def test_a_page_keeps_the_models_own_order(world: World) -> None:
    """Without an `order_by` of its own, a page is in the model's ordering (newest first), as the
    rows it was cut from: the page's query used to clear the ordering, so a page of the public list
    came in whatever order the database read the rows."""
    for _ in range(4):
        report_in(world, Status.ROUTED)
    reports = Report.objects.select_related("agency")
    assert not reports.query.order_by and Report.objects.count() >= 4
    assert keyset.page_rows(reports, 0, 4) == list(reports[:4])
    assert keyset.page_rows(reports, 1, 3) == list(reports[1:3])
