"""Full-text search (the `indonesian` configuration on PostgreSQL, substrings on SQLite) and the shared
cache of the public statistics with its invalidation."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from lapor.analytics import cache as stats_cache
from lapor.analytics import rollups, selectors
from lapor.reports.workflow import Status
from tests.api.helpers import client_for
from tests.factories import World, report_in

pytestmark = pytest.mark.django_db


def _found(q: str) -> list[str]:
    return [r["tracking_id"] for r in client_for(None).get("/api/v1/reports", {"q": q}).json()["items"]]


def test_search_finds_words_and_their_affixed_forms(world: World) -> None:
    report = report_in(world, Status.ROUTED)  # "Jalan di depan pasar Godean berlubang besar ..."
    assert _found("lubang") == [report.tracking_id]  # stem of "berlubang" / a substring of it
    assert _found("pasar godean") == [report.tracking_id]
    assert _found("listrik") == []


def test_a_typed_tracking_id_finds_that_report(world: World) -> None:
    report = report_in(world, Status.ROUTED)
    report_in(world, Status.ROUTED)
    assert _found(report.tracking_id.lower()) == [report.tracking_id]


def test_search_never_reaches_reports_the_public_may_not_see(world: World) -> None:
    report_in(world, Status.SUBMITTED)
    report_in(world, Status.ROUTED, confidential=True)
    assert _found("lubang") == []


def _queries(fn: Any, **kwargs: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as ctx:
        value = fn(**kwargs)
    return value, len(ctx.captured_queries)


@override_settings(LAPOR_STATS_CACHE_SECONDS=300)
def test_statistics_are_cached_and_a_rebuild_invalidates_them(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    stats_cache.invalidate()
    report_in(world, Status.ROUTED)
    first, queries = _queries(selectors.overview)
    assert queries > 0 and first["totals"]["received"] == 1
    again, queries = _queries(selectors.overview)
    assert queries == 0 and again == first
    report_in(world, Status.ROUTED)
    stale, _ = _queries(selectors.overview)
    assert stale["totals"]["received"] == 1  # within the cache's lifetime the answer may lag
    with django_capture_on_commit_callbacks(execute=True):
        rollups.rebuild()
    fresh, queries = _queries(selectors.overview)
    assert queries > 0 and fresh["totals"]["received"] == 2


@override_settings(LAPOR_STATS_CACHE_SECONDS=300)
def test_cached_scorecards_keep_errors_uncached(world: World) -> None:
    from lapor.core.errors import NotFound

    stats_cache.invalidate()
    for _ in range(2):
        with pytest.raises(NotFound):
            selectors.agency_scorecard(code="tidak-ada")
    card, _ = _queries(selectors.agency_scorecard, code="pemda-34.04")
    _, queries = _queries(selectors.agency_scorecard, code="pemda-34.04")
    assert queries == 0 and card["agency"]["code"] == "pemda-34.04"


@override_settings(LAPOR_STATS_CACHE_SECONDS=300)
def test_an_agency_added_after_its_group_was_cached_still_gets_a_scorecard(world: World) -> None:
    from lapor.agencies.models import Agency

    stats_cache.invalidate()
    selectors.agency_scorecard(code="pemda-34.04")  # caches the regencies' grades
    Agency.objects.create(code="pemda-34.05", name="Pemerintah Kabupaten Baru", kind="regency_gov")
    card = selectors.agency_scorecard(code="pemda-34.05")
    assert card["agency"]["code"] == "pemda-34.05"
    assert "pemda-34.05" in {peer["code"] for peer in card["peers"]}


def test_a_searched_list_pages_only_its_matches(world: World) -> None:
    # The page's ids come from a subquery (keyset.page_rows): the search must apply to the subquery's
    # own rows, not to the outer query's.
    from lapor.reports.models import Report

    matching = [report_in(world, Status.ROUTED) for _ in range(3)]
    other = report_in(world, Status.ROUTED)
    Report.objects.filter(pk=other.pk).update(title="Lampu jalan mati", body="Lampu penerangan padam.")
    newest_first = [r.tracking_id for r in reversed(matching)]
    anon = client_for(None)
    by_number = [
        anon.get("/api/v1/reports", {"q": "lubang", "page_size": 2, "page": n}).json() for n in (1, 2)
    ]
    assert [i["tracking_id"] for p in by_number for i in p["items"]] == newest_first
    assert by_number[0]["count"] == 3
    following = anon.get(
        "/api/v1/reports", {"q": "lubang", "page_size": 2, "cursor": by_number[0]["next_cursor"]}
    )
    assert [i["tracking_id"] for i in following.json()["items"]] == newest_first[2:]
    assert _found("lampu") == [other.tracking_id]
