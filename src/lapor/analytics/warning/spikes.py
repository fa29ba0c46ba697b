"""Unusual rises in reports per (category, region) against the cell's own history.

For each cell with at least MIN_COUNT reports in the last 24 hours, the expected count is its mean per
24 hours over the previous 28 days, with one pseudo-report added so a cell with no history still has a
small positive rate. The rise is flagged when the Poisson upper tail P(X >= observed | expected) is below
ALPHA (strict, because ~12,000 cells are tested every hour) and the count is at least RATIO times the
expectation. Reads `VolumeHour` (kept at submission), never the reports table."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Sum

from lapor.analytics.models import VolumeHour

__all__ = ["ALPHA", "BASELINE_DAYS", "MIN_COUNT", "RATIO", "Spike", "find_spikes", "poisson_upper_tail"]

WINDOW = timedelta(hours=24)
BASELINE_DAYS = 28
MIN_COUNT = 5
ALPHA = 1e-4
RATIO = 2.0


def poisson_upper_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam), summed from k upwards so tiny tails keep their precision."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if k <= lam:
        return 1.0 - sum(math.exp(i * math.log(lam) - lam - math.lgamma(i + 1)) for i in range(k))
    term = math.exp(k * math.log(lam) - lam - math.lgamma(k + 1))
    total, i = 0.0, k
    while term > total * 1e-15 and i < k + 10_000:
        total += term
        i += 1
        term *= lam / i
    return min(1.0, total)


@dataclass(frozen=True)
class Spike:
    category: str
    region: str
    observed: int
    expected: float
    p_value: float
    window_start: datetime
    window_end: datetime


def find_spikes(*, now: datetime) -> list[Spike]:
    end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)  # this hour so far included
    start = end - WINDOW
    base_start = start - timedelta(days=BASELINE_DAYS)
    recent = (
        VolumeHour.objects.filter(hour__gte=start, hour__lt=end)
        .values("category", "region")
        .annotate(n=Sum("count"))
        .filter(n__gte=MIN_COUNT)
        .order_by()
    )
    candidates = {(r["category"], r["region"]): r["n"] for r in recent}
    if not candidates:
        return []
    history = (
        VolumeHour.objects.filter(
            hour__gte=base_start,
            hour__lt=start,
            category__in={c for c, _ in candidates},
            region__in={r for _, r in candidates},
        )
        .values("category", "region")
        .annotate(n=Sum("count"))
        .order_by()
    )
    past = {(h["category"], h["region"]): h["n"] for h in history}
    spikes = []
    for (category, region), observed in sorted(candidates.items()):
        expected = (past.get((category, region), 0) + 1) / BASELINE_DAYS
        p = poisson_upper_tail(observed, expected)
        if p < ALPHA and observed >= RATIO * expected:
            spikes.append(Spike(category, region, observed, round(expected, 3), p, start, end))
    return spikes
