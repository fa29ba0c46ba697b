"""The worker's statistics warming (ADR 0027): what it stores for every agency at once is exactly what
each selector computes alone, under the key the selector reads, so pages and the API then read no
rollup at all."""

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from lapor.agencies.models import Agency
from lapor.analytics import cache as stats_cache
from lapor.analytics import selectors
from lapor.analytics.grades import GROUPS
from lapor.analytics.warm import LOCK, warm, warm_once
from lapor.reports.workflow import Status
from tests.api.helpers import client_for
from tests.factories import World, report_in

pytestmark = pytest.mark.django_db


def _statuses(world: World) -> None:
    for status in (Status.ROUTED, Status.IN_PROGRESS, Status.RESPONDED, Status.CLOSED, Status.SUBMITTED):
        report_in(world, status)


def _queries(fn: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as ctx:
        value = fn()
    return value, len(ctx.captured_queries)


@override_settings(LAPOR_STATS_CACHE_SECONDS=300)
def test_warmed_statistics_equal_what_each_selector_computes_alone(world: World) -> None:
    _statuses(world)
    stats_cache.invalidate()
    summary = warm()
    agencies = Agency.objects.filter(active=True).exclude(kind=Agency.Kind.NATIONAL_NODE)
    assert summary["scorecards"] == agencies.count() > 1
    for agency in agencies:
        stored, queries = _queries(lambda code=agency.code: selectors.agency_scorecard(code=code))
        assert queries == 0, agency.code
        assert stored == selectors.agency_scorecard.fn(code=agency.code), agency.code
    card = selectors.agency_scorecard(code="pemda-34.04")
    assert card["kpis"]["routed"] == 4 and card["units"] and card["backlog_by_age"]["0-5"] >= 1
    assert sum(month["routed"] for month in card["trend"]) == 4
    for fn, kwargs in [(selectors.overview, {}), *[(selectors.agency_table, {"group": g}) for g in GROUPS]]:
        stored, queries = _queries(lambda fn=fn, kwargs=kwargs: fn(**kwargs))
        assert queries == 0 and stored == fn.fn(**kwargs)


@override_settings(LAPOR_STATS_CACHE_SECONDS=300)
def test_pages_and_the_api_read_the_warmed_entries(world: World) -> None:
    _statuses(world)
    stats_cache.invalidate()
    warm()
    anon = client_for(None)
    for path in ("/api/v1/stats/overview", "/api/v1/stats/agencies", "/api/v1/stats/agencies/pemda-34.04"):
        anon.get(path)  # the session and the rest of the request's own reads
        _, queries = _queries(lambda path=path: anon.get(path))
        with CaptureQueriesContext(connection) as ctx:
            assert anon.get(path).status_code == 200
        assert not [q for q in ctx.captured_queries if "analytics_" in q["sql"]], path
        assert queries == len(ctx.captured_queries)


@override_settings(LAPOR_STATS_CACHE_SECONDS=300)
def test_a_call_with_default_arguments_shares_the_entry_of_the_explicit_call(world: World) -> None:
    stats_cache.invalidate()
    selectors.agency_table(group=None, period=None)
    _, queries = _queries(lambda: selectors.agency_table())
    assert queries == 0


def test_the_command_skips_a_cache_no_other_process_sees(world: World, capsys: Any) -> None:
    with override_settings(LAPOR_STATS_CACHE_SECONDS=300):
        call_command("stats", "warm")
    assert "local to each process" in capsys.readouterr().out


@override_settings(LAPOR_STATS_CACHE_SECONDS=300)
def test_one_pass_per_interval_whatever_the_number_of_workers(world: World) -> None:
    from django.core.cache import cache

    cache.delete(LOCK)
    assert warm_once()["scorecards"] > 1
    assert "skipped" in warm_once()  # a second worker within the interval
    cache.delete(LOCK)  # the interval has ended
    assert warm_once()["scorecards"] > 1


def test_warming_is_off_with_the_cache(world: World) -> None:
    assert warm() == {"skipped": "LAPOR_STATS_CACHE_SECONDS is 0"}


def test_backlog_ages_walked_once_equal_each_day_counted_alone() -> None:
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from lapor.analytics.kpis import _ages
    from lapor.sla.deadlines import working_days_between

    today, zone = date(2026, 4, 6), ZoneInfo(settings.LAPOR_NATIONAL_TIMEZONE)  # after Idulfitri 2026
    days = [today - timedelta(days=n) for n in (0, 1, 2, 3, 9, 10, 17, 30, 31, 64, 200)] + [
        today + timedelta(1)
    ]
    noon = lambda d: datetime.combine(d, time(12), zone)  # noqa: E731
    expected = {
        d: working_days_between(noon(d), noon(today), tz=settings.LAPOR_NATIONAL_TIMEZONE) for d in days
    }
    assert _ages(days, today) == expected
    assert expected[today - timedelta(days=31)] < 31 - 8  # weekends and the holidays are not counted
