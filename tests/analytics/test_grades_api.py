"""Grades from known rollups, and the public stats API (shape, errors, privacy, query counts)."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lapor.agencies.models import Agency
from lapor.analytics.grades import PRIOR_STRENGTH, grade_group
from lapor.analytics.models import Rollup
from lapor.analytics.periods import parse_period
from tests.analytics.test_rollups import scenario
from tests.factories import REPORTER_NAME, World

MARCH = parse_period("2025-03")


def _agency(code: str, routed: int, followed: int, on_time: int, closed: int, ratings: int = 0) -> None:
    Agency.objects.create(code=code, name=code.upper(), kind="city_gov")
    Rollup.objects.create(
        period=date(2025, 3, 1),
        agency=code,
        kind="complaint",
        routed=routed,
        followed_up=followed,
        followed_up_on_time=on_time,
        closed=closed,
        rating_count=ratings,
        rating_sum=5 * ratings,
        rating_high=ratings,
    )


@pytest.mark.django_db
def test_grades_shrink_small_agencies_and_band_by_percentile() -> None:
    # Ten cities with 100 routings each, scoring from best (k=0) to worst; one tiny perfect city.
    for k in range(10):
        _agency(f"kota-{k}", 100, 100 - 5 * k, 100 - 8 * k, 100 - 5 * k)
    _agency("kota-kecil", 9, 9, 9, 9)  # below the minimum volume: not graded
    _agency("kota-sedikit", 12, 12, 12, 12)  # perfect but small: shrunk toward the mean
    graded, means = grade_group("cities", period=MARCH)
    by_code = {g.agency.code: g for g in graded}
    assert by_code["kota-kecil"].score is None and by_code["kota-kecil"].grade is None
    assert means["followup_rate"] == pytest.approx(
        (sum(100 - 5 * k for k in range(10)) + 21) / 1021, abs=1e-4
    )
    # kota-0: follow-up 1.0, on time 1.0, completion 1.0, no ratings (group mean 0), not reopened 1.0.
    m = means
    expected0 = 100 * (
        0.35 * (100 + PRIOR_STRENGTH * m["followup_rate"]) / (100 + PRIOR_STRENGTH)
        + 0.25 * (100 + PRIOR_STRENGTH * m["followup_on_time_rate"]) / (100 + PRIOR_STRENGTH)
        + 0.15 * (100 + PRIOR_STRENGTH * m["completion_rate"]) / (100 + PRIOR_STRENGTH)
        + 0.15 * m["satisfaction"]
        + 0.10 * (100 + PRIOR_STRENGTH * m["not_reopened_rate"]) / (100 + PRIOR_STRENGTH)
    )
    assert by_code["kota-0"].score == pytest.approx(expected0, abs=0.01)
    # The small perfect city ranks below the large perfect one: shrinkage, not luck, decides.
    assert by_code["kota-sedikit"].score < by_code["kota-0"].score
    small = 100 * (
        0.35 * (12 + PRIOR_STRENGTH * m["followup_rate"]) / (12 + PRIOR_STRENGTH)
        + 0.25 * (12 + PRIOR_STRENGTH * m["followup_on_time_rate"]) / (12 + PRIOR_STRENGTH)
        + 0.15 * (12 + PRIOR_STRENGTH * m["completion_rate"]) / (12 + PRIOR_STRENGTH)
        + 0.15 * m["satisfaction"]
        + 0.10 * (12 + PRIOR_STRENGTH * m["not_reopened_rate"]) / (12 + PRIOR_STRENGTH)
    )
    assert by_code["kota-sedikit"].score == pytest.approx(small, abs=0.01)
    assert by_code["kota-sedikit"].score < by_code["kota-1"].score  # 12 perfect answers < 100 very good ones
    grades = [g.grade for g in graded if g.score is not None]
    # 11 graded; the share ranked above each is 0, 1/11, ..., 10/11: A below 10%, B below 30%, ...
    assert grades == ["A", "A", "B", "B", "C", "C", "C", "C", "D", "D", "E"]
    assert [g.rank for g in graded if g.score is not None] == list(range(1, 12))


@pytest.mark.django_db
def test_ties_share_a_grade() -> None:
    for k in range(4):
        _agency(f"kota-{k}", 50, 40, 40, 40)
    graded, _ = grade_group("cities", period=MARCH)
    assert {g.grade for g in graded} == {"A"} and {g.rank for g in graded} == {1}


def test_stats_api(world: World, client: Client) -> None:
    scenario(world)
    with CaptureQueriesContext(connection) as overview_queries:
        overview = client.get("/api/v1/stats/overview?period=2025-02")
    assert overview.status_code == 200, overview.content
    body = overview.json()
    assert body["totals"]["received"] == 6 and body["by_kind"] == {"complaint": 6}
    assert body["by_category"][0]["code"] == "roads_infrastructure"
    assert body["formula"]["weights"]["followup_rate"] == 0.35
    assert "reports" not in body and REPORTER_NAME not in overview.content.decode()
    assert len(overview_queries) <= 30  # constant: 3 per peer group plus a few; never per agency or report
    assert not any("reports_report" in q["sql"] for q in overview_queries.captured_queries)

    table = client.get("/api/v1/stats/agencies?group=regencies&period=2025-02").json()
    assert table["groups"][0]["agencies"][0]["code"] == "pemda-34.04"
    assert table["groups"][0]["agencies"][0]["grade"] is None  # 3 owed answers < minimum volume

    with CaptureQueriesContext(connection) as card_queries:
        card = client.get("/api/v1/stats/agencies/pemda-34.04?period=2025-02")
    assert card.status_code == 200
    data = card.json()
    assert data["kpis"]["followup_rate"] == round(2 / 3, 4) and data["agency"]["group"] == "regencies"
    assert not any("reports_report" in q["sql"] for q in card_queries.captured_queries)
    assert REPORTER_NAME not in card.content.decode() and "LPR-" not in card.content.decode()

    bad = client.get("/api/v1/stats/agencies?group=planets")
    assert bad.status_code == 422 and bad.json() == {
        "code": "invalid_group",
        "message": bad.json()["message"],
        "field": "group",
    }
    assert client.get("/api/v1/stats/overview?period=2025-13").json()["field"] == "period"
    missing = client.get("/api/v1/stats/agencies/tidak-ada")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.get("/api/v1/stats/agencies/lapor-nasional").status_code == 404
