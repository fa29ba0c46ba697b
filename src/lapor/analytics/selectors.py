"""Public statistics, as plain dicts for the API and the pages. Everything comes from the rollups:
counts only, so confidential reports are in the totals and no report or reporter appears."""

from typing import Any

from lapor.agencies.models import Agency, Category
from lapor.analytics.cache import cached
from lapor.analytics.grades import BANDS, GROUPS, MIN_VOLUME, PRIOR_STRENGTH, WEIGHTS, grade_group, group_of
from lapor.analytics.kpis import Kpi, Scope, backlog_by_age, kpi_for, kpis_by
from lapor.analytics.periods import Period, last_months, parse_period
from lapor.core.errors import Invalid, NotFound
from lapor.geo.models import Region

__all__ = [
    "FORMULA",
    "agency_scorecard",
    "agency_table",
    "graded_with",
    "group_grades",
    "overview",
    "peer_rows",
    "scorecard_of",
    "trend_of",
]

FORMULA = {
    "weights": dict(WEIGHTS),
    "min_volume": MIN_VOLUME,
    "prior_strength": PRIOR_STRENGTH,
    "bands": dict(BANDS),
    "text": (
        "score = 100 x sum(weight x (n x rate + K x group mean) / (n + K)), K = "
        f"{PRIOR_STRENGTH}; graded when at least {MIN_VOLUME} routed reports were owed an answer; "
        "grade by position within the peer group: "
        "A top 10%, B next 20%, C middle 40%, D next 20%, E bottom 10%."
    ),
}


@cached("grade_group")
def group_grades(*, group: str, period: Period) -> tuple[list[Any], dict[str, float]]:
    """A peer group's grades, shared by the overview, the table and every scorecard of that group."""
    return grade_group(group, period=period)


def _period(text: str | None) -> Period:
    return parse_period(text)


def trend_of(by_month: dict[Any, Kpi], window: Period) -> list[dict[str, Any]]:
    """The last twelve months, from KPIs keyed by month (`kpis_by("period", ...)`)."""
    rows = []
    for month in window.months():
        kpi = by_month.get(month, Kpi()).as_dict()
        rows.append(
            {
                "month": f"{month:%Y-%m}",
                "received": kpi["received"],
                "routed": kpi["routed"],
                "followed_up": kpi["followed_up"],
                "followup_rate": kpi["followup_rate"],
                "first_followup_median_days": kpi["first_followup_median_days"],
            }
        )
    return rows


@cached("overview")
def overview(*, period: str | None = None) -> dict[str, Any]:
    p, window = _period(period), last_months(12)
    national = kpi_for(period=p).as_dict()
    received_by = kpis_by(("kind",), period=p)
    categories = {c.code: c.name for c in Category.objects.all()}
    by_category = kpis_by("category", period=p)
    provinces = {r.code: r.name for r in Region.objects.filter(level=1)}
    by_province = kpis_by("province", period=p)
    grades: dict[str, dict[str, int]] = {}
    for group in GROUPS:
        graded, _ = group_grades(group=group, period=p)
        counts = dict.fromkeys((letter for letter, _ in BANDS), 0)
        for g in graded:
            if g.grade:
                counts[g.grade] += 1
        grades[group] = counts
    return {
        "period": p.label,
        "totals": national,
        "by_kind": {kind: kpi.counts["received"] for kind, kpi in sorted(received_by.items())},
        "by_category": [
            {"code": code, "name": categories.get(code, code or "-"), **_short(kpi)}
            for code, kpi in sorted(by_category.items(), key=lambda kv: -kv[1].counts["received"])
        ],
        "by_province": [
            {"code": code, "name": provinces.get(code, code or "-"), **_short(kpi)}
            for code, kpi in sorted(by_province.items(), key=lambda kv: kv[0])
            if code
        ],
        "trend": trend_of(kpis_by("period", period=window), window),
        "backlog_by_age": backlog_by_age(),
        "grades": grades,
        "formula": FORMULA,
    }


def _short(kpi: Kpi) -> dict[str, Any]:
    d = kpi.as_dict()
    keys = (
        "received",
        "routed",
        "followed_up",
        "followup_rate",
        "first_followup_median_days",
        "completion_rate",
    )
    return {k: d[k] for k in keys}


def _agency_row(g: Any) -> dict[str, Any]:
    kpi = g.kpi.as_dict()
    return {
        "code": g.agency.code,
        "name": g.agency.name,
        "kind": g.agency.kind,
        "score": g.score,
        "grade": g.grade,
        "rank": g.rank,
        "expected": kpi["expected"],
        "followup_rate": kpi["followup_rate"],
        "followup_on_time_rate": kpi["followup_on_time_rate"],
        "completion_rate": kpi["completion_rate"],
        "satisfaction_mean": kpi["satisfaction_mean"],
        "reopen_rate": kpi["reopen_rate"],
        "first_followup_median_days": kpi["first_followup_median_days"],
    }


def peer_rows(graded: list[Any]) -> list[dict[str, Any]]:
    return [_agency_row(g) for g in graded]


def nearby_peers(
    rows: list[dict[str, Any]], code: str, *, top: int = 10, around: int = 5
) -> list[dict[str, Any]]:
    """What a scorecard shows of its peer group: the leaders, and the agency among its neighbours, in
    rank order. The whole group is one request away (`agency_table`); carrying it in every scorecard
    made each one about 100 KB for a regency's 416 peers."""
    mine = next((i for i, row in enumerate(rows) if row["code"] == code), None)
    near = range(mine - around, mine + around + 1) if mine is not None else range(0)
    return [row for i, row in enumerate(rows) if i < top or i in near]


@cached("agency_table")
def agency_table(*, group: str | None = None, period: str | None = None) -> dict[str, Any]:
    if group is not None and group not in GROUPS:
        raise Invalid("Kelompok tidak dikenal: " + ", ".join(GROUPS), code="invalid_group", field="group")
    p = _period(period)
    groups = []
    for name in [group] if group else list(GROUPS):
        graded, means = group_grades(group=name, period=p)
        groups.append({"group": name, "means": means, "agencies": peer_rows(graded)})
    return {"period": p.label, "groups": groups, "formula": FORMULA}


def graded_with(agency: Agency, period: Period) -> tuple[list[Any], dict[str, float]]:
    """The agency's peer group graded, or nothing when its kind has no group."""
    group = group_of(agency.kind)
    if not group:
        return [], {}
    graded, means = group_grades(group=group, period=period)
    if not any(g.agency.pk == agency.pk for g in graded):
        # An agency added since the group's grades were cached: grade the group afresh.
        graded, means = grade_group(group, period=period)
    return graded, means


@cached("agency_scorecard")
def agency_scorecard(*, code: str, period: str | None = None) -> dict[str, Any]:
    agency = Agency.objects.filter(code=code, active=True).exclude(kind=Agency.Kind.NATIONAL_NODE).first()
    if agency is None:
        raise NotFound("Instansi tidak ditemukan.")
    p, window, scope = _period(period), last_months(12), Scope(agency=agency.code)
    grades = graded_with(agency, p)
    return scorecard_of(
        agency,
        p,
        kpi=kpi_for(period=p, scope=scope),
        grades=grades,
        peers=peer_rows(grades[0]),
        units=kpis_by("unit", period=p, scope=scope),
        categories=kpis_by("category", period=p, scope=scope),
        trend=trend_of(kpis_by("period", period=window, scope=scope), window),
        backlog=backlog_by_age(agency=agency.code),
        category_names={c.code: c.name for c in Category.objects.all()},
    )


def scorecard_of(
    agency: Agency,
    p: Period,
    *,
    kpi: Kpi,
    grades: tuple[list[Any], dict[str, float]],
    units: dict[Any, Kpi],
    categories: dict[Any, Kpi],
    trend: list[dict[str, Any]],
    backlog: dict[str, int],
    category_names: dict[str, str],
    peers: list[dict[str, Any]],
) -> dict[str, Any]:
    """One agency's scorecard from its figures, however they were read: for this agency alone (a
    request) or for every agency at once (`analytics.warm`, which makes each group's `peer_rows`
    once for all its members). `peers` is the whole group; the scorecard keeps `nearby_peers`."""
    graded, means = grades
    grade: dict[str, Any] | None = None
    if graded:
        mine = next(g for g in graded if g.agency.pk == agency.pk)
        grade = {
            "score": mine.score,
            "grade": mine.grade,
            "rank": mine.rank,
            "of": sum(1 for g in graded if g.score is not None),
            "components": mine.components,
        }
    return {
        "agency": {
            "code": agency.code,
            "name": agency.name,
            "kind": agency.kind,
            "group": group_of(agency.kind),
        },
        "period": p.label,
        "kpis": kpi.as_dict(),
        "grade": grade,
        "group_means": means,
        "peers": nearby_peers(peers, agency.code),
        "peers_total": len(peers),
        "trend": trend,
        "backlog_by_age": backlog,
        "units": [{"code": u, **_short(k)} for u, k in sorted(units.items()) if u],
        "categories": [
            {"code": c, "name": category_names.get(c, c or "-"), **_short(k)}
            for c, k in sorted(categories.items())
        ],
        "formula": FORMULA,
    }
