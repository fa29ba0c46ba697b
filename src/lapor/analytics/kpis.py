"""KPIs read from the rollups only (never the reports table). Definitions: docs/metrics.md."""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, Sum

from lapor.analytics.models import MEASURES, Backlog, DurationBucket, Rollup
from lapor.analytics.periods import Period
from lapor.core import clock
from lapor.sla.deadlines import working_days_between

__all__ = [
    "AGE_BANDS",
    "Kpi",
    "Scope",
    "backlog_by_age",
    "backlogs_by_agency",
    "kpi_for",
    "kpis_by",
    "percentile",
]

# Backlog age bands in working days, following the resolution tiers (5 / 14 / 60).
AGE_BANDS = (("0-5", 0, 5), ("6-14", 6, 14), ("15-60", 15, 60), (">60", 61, 10**9))


def percentile(histogram: Mapping[int, int], q: float) -> int | None:
    """Nearest-rank percentile of whole-day durations: the smallest d with at least ceil(q*n) values <= d."""
    n = sum(histogram.values())
    if n <= 0:
        return None
    rank = max(1, math.ceil(q * n))
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return max(histogram)


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den > 0 else None


@dataclass
class Kpi:
    """Counters of a scope and period, and the KPIs derived from them."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    durations: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))

    @property
    def expected(self) -> int:
        """Routings the agency still owed an answer for: not declined, not withdrawn."""
        c = self.counts
        return max(0, c["routed"] - c["declined"] - c["withdrawn"])

    def as_dict(self) -> dict[str, Any]:
        c = self.counts
        verify, followup, close = (self.durations.get(m, {}) for m in ("verify", "first_followup", "close"))
        return {
            **c,
            "expected": self.expected,
            "verification_on_time_rate": _rate(c["verified_on_time"], c["verified"]),
            "verification_median_days": percentile(verify, 0.5),
            "verification_p90_days": percentile(verify, 0.9),
            "routing_accuracy": round(1 - c["declined"] / c["routed"], 4) if c["routed"] else None,
            "followup_rate": _rate(c["followed_up"], self.expected),
            "followup_on_time_rate": _rate(c["followed_up_on_time"], c["followed_up"]),
            "first_followup_median_days": percentile(followup, 0.5),
            "first_followup_p90_days": percentile(followup, 0.9),
            "completion_rate": _rate(c["closed"], self.expected),
            "close_median_days": percentile(close, 0.5),
            "close_p90_days": percentile(close, 0.9),
            "reopen_rate": _rate(c["reopened"], c["closed"]),
            "satisfaction_mean": round(c["rating_sum"] / c["rating_count"], 2) if c["rating_count"] else None,
            "satisfaction_high_share": _rate(c["rating_high"], c["rating_count"]),
        }


@dataclass(frozen=True)
class Scope:
    agency: str | None = None  # a code; "" = the national node only
    agencies: tuple[str, ...] | None = None
    unit: str | None = None
    category: str | None = None
    province: str | None = None
    kind: str | None = None

    def q(self) -> Q:
        q = Q()
        for name in ("agency", "unit", "category", "province", "kind"):
            if (value := getattr(self, name)) is not None:
                q &= Q(**{name: value})
        if self.agencies is not None:
            q &= Q(agency__in=self.agencies)
        return q


def _window(period: Period) -> Q:
    return Q(period__gte=period.start, period__lt=period.end)


def kpis_by(group: str | Iterable[str], *, period: Period, scope: Scope | None = None) -> dict[Any, Kpi]:
    """KPIs for every value of one or more dimensions (e.g. "agency", ("period", "kind")): two queries."""
    names = [group] if isinstance(group, str) else list(group)
    where = _window(period) & (scope or Scope()).q()
    out: dict[Any, Kpi] = defaultdict(Kpi)
    for row in (
        Rollup.objects.filter(where).values(*names).annotate(**{m: Sum(m) for m in MEASURES}).order_by()
    ):
        key = row[names[0]] if len(names) == 1 else tuple(row[n] for n in names)
        out[key].counts = {m: row[m] or 0 for m in MEASURES}
    durations = (
        DurationBucket.objects.filter(where)
        .values(*names, "metric", "days")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in durations:
        key = row[names[0]] if len(names) == 1 else tuple(row[n] for n in names)
        out[key].durations[row["metric"]][row["days"]] = row["n"]
    return dict(out)


def kpi_for(*, period: Period, scope: Scope | None = None) -> Kpi:
    """One scope's KPIs (the whole country when scope is None): two queries."""
    where = _window(period) & (scope or Scope()).q()
    kpi = Kpi()
    sums = Rollup.objects.filter(where).aggregate(**{m: Sum(m) for m in MEASURES})
    kpi.counts = {m: sums[m] or 0 for m in MEASURES}
    durations = (
        DurationBucket.objects.filter(where).values("metric", "days").annotate(n=Sum("count")).order_by()
    )
    for row in durations:
        kpi.durations[row["metric"]][row["days"]] = row["n"]
    return kpi


def backlog_by_age(*, agency: str | None = None, today: date | None = None) -> dict[str, int]:
    """Open work now, by working days since it reached its owner (national calendar): one query."""
    qs = Backlog.objects.filter(count__gt=0)
    if agency is not None:
        qs = qs.filter(agency=agency)
    rows = [
        (row["entered_on"], row["n"]) for row in qs.values("entered_on").annotate(n=Sum("count")).order_by()
    ]
    return _bands(rows, _ages((day for day, _ in rows), today or clock.now().date()))


def backlogs_by_agency(*, today: date | None = None) -> dict[str, dict[str, int]]:
    """`backlog_by_age` of every owner at once (the worker's batch): one query."""
    rows: dict[str, list[tuple[date, int]]] = defaultdict(list)
    qs = Backlog.objects.filter(count__gt=0).values("agency", "entered_on").annotate(n=Sum("count"))
    for row in qs.order_by():
        rows[row["agency"]].append((row["entered_on"], row["n"]))
    ages = _ages((day for entries in rows.values() for day, _ in entries), today or clock.now().date())
    return {agency: _bands(entries, ages) for agency, entries in rows.items()}


def _bands(entries: Iterable[tuple[date, int]], ages: dict[date, int]) -> dict[str, int]:
    bands = dict.fromkeys((name for name, _, _ in AGE_BANDS), 0)
    for entered_on, n in entries:
        for name, low, high in AGE_BANDS:
            if low <= ages[entered_on] <= high:
                bands[name] += n
    return bands


def _ages(days: Iterable[date], today: date) -> dict[date, int]:
    """Working days after each day up to today (national calendar), in one walk back from today: the
    days between two entry dates are counted once, not once per date."""
    zone, tz = ZoneInfo(settings.LAPOR_NATIONAL_TIMEZONE), settings.LAPOR_NATIONAL_TIMEZONE
    ages: dict[date, int] = {}
    later, age = today, 0
    for day in sorted(set(days), reverse=True):
        if day < later:
            start, end = (datetime.combine(d, time(12), zone) for d in (day, later))
            age += working_days_between(start, end, tz=tz)
            later = day
        ages[day] = age
    return ages
