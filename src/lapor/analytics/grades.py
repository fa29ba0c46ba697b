"""Peer groups and grades (docs/metrics.md, "Nilai dan peringkat"): a composite score of five
shrunken rates, graded by percentile band within the peer group. Reads rollups only."""

from dataclasses import dataclass
from typing import Final

from lapor.agencies.models import Agency
from lapor.analytics.kpis import Kpi, Scope, kpis_by
from lapor.analytics.periods import Period

__all__ = ["BANDS", "GROUPS", "MIN_VOLUME", "PRIOR_STRENGTH", "WEIGHTS", "Graded", "grade_group", "group_of"]

# Peer groups: agencies are compared only with agencies of the same kind (Kompetisi SP4N-LAPOR! classes).
GROUPS: Final[dict[str, str]] = {
    "ministries": Agency.Kind.MINISTRY,
    "national_agencies": Agency.Kind.NATIONAL_AGENCY,
    "provinces": Agency.Kind.PROVINCE,
    "regencies": Agency.Kind.REGENCY,
    "cities": Agency.Kind.CITY,
    "state_enterprises": Agency.Kind.STATE_ENTERPRISE,
}
MIN_VOLUME: Final = 10  # routings the agency owed an answer for, before it can be graded
PRIOR_STRENGTH: Final = 10  # shrinkage: each rate counts as if K more reports had scored the group mean
# (component, weight): numerator and denominator below; weights add to 1.
WEIGHTS: Final = (
    ("followup_rate", 0.35),
    ("followup_on_time_rate", 0.25),
    ("completion_rate", 0.15),
    ("satisfaction", 0.15),
    ("not_reopened_rate", 0.10),
)
# Percentile bands from the top (the e-People evaluation's 10/20/40/20/10).
BANDS: Final = (("A", 0.10), ("B", 0.30), ("C", 0.70), ("D", 0.90), ("E", 1.01))


def group_of(kind: str) -> str | None:
    return next((name for name, k in GROUPS.items() if k == kind), None)


def _parts(kpi: Kpi) -> dict[str, tuple[float, int]]:
    """(numerator, denominator) of each component."""
    c = kpi.counts
    return {
        "followup_rate": (c["followed_up"], kpi.expected),
        "followup_on_time_rate": (c["followed_up_on_time"], c["followed_up"]),
        "completion_rate": (c["closed"], kpi.expected),
        "satisfaction": ((c["rating_sum"] - c["rating_count"]) / 4, c["rating_count"]),  # 1..5 -> 0..1
        "not_reopened_rate": (c["closed"] - c["reopened"], c["closed"]),
    }


@dataclass(frozen=True)
class Graded:
    agency: Agency
    kpi: Kpi
    score: float | None  # None: below the minimum volume, not graded
    grade: str | None
    rank: int | None
    components: dict[str, float]


def grade_group(group: str, *, period: Period) -> tuple[list[Graded], dict[str, float]]:
    """Every agency of the group with its score and grade, best first; and the group means. Two queries
    for the rollups, one for the agencies."""
    agencies = list(Agency.objects.filter(kind=GROUPS[group], active=True).select_related("region"))
    kpis = kpis_by("agency", period=period, scope=Scope(agencies=tuple(a.code for a in agencies)))
    parts = {a.code: _parts(kpis.get(a.code, Kpi())) for a in agencies}
    means: dict[str, float] = {}
    for name, _ in WEIGHTS:
        num = sum(p[name][0] for p in parts.values())
        den = sum(p[name][1] for p in parts.values())
        means[name] = num / den if den else 0.0
    scored: list[tuple[Agency, float | None, dict[str, float]]] = []
    for agency in agencies:
        kpi = kpis.get(agency.code, Kpi())
        shrunk = {
            name: (num + PRIOR_STRENGTH * means[name]) / (den + PRIOR_STRENGTH)
            for name, (num, den) in parts[agency.code].items()
        }
        value = round(100 * sum(weight * shrunk[name] for name, weight in WEIGHTS), 2)
        scored.append((agency, value if kpi.expected >= MIN_VOLUME else None, shrunk))
    graded_scores = sorted((s for _, s, _ in scored if s is not None), reverse=True)
    n = len(graded_scores)
    out: list[Graded] = []
    for agency, score, shrunk in scored:
        grade: str | None = None
        rank: int | None = None
        if score is not None:
            above = sum(1 for s in graded_scores if s > score)
            rank = above + 1
            grade = next(letter for letter, upper in BANDS if above / n < upper)
        out.append(
            Graded(
                agency=agency,
                kpi=kpis.get(agency.code, Kpi()),
                score=score,
                grade=grade,
                rank=rank,
                components={k: round(v, 4) for k, v in shrunk.items()},
            )
        )
    out.sort(key=lambda g: (g.score is None, -(g.score or 0), g.agency.code))
    return out, {k: round(v, 4) for k, v in means.items()}
