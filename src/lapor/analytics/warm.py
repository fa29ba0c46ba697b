"""The worker keeps the public statistics of the current year in the shared cache (ADR 0027), so no
visitor waits for them: the overview, the agency table and every agency's scorecard. The scorecards are
read for all agencies at once, a few grouped queries over the rollups instead of six per agency, so a
pass costs what reading the year's rollups costs, however many agencies there are.

Each result is stored under the key its selector reads, for `LAPOR_STATS_CACHE_SECONDS` plus the
warming interval: the worker replaces it before it expires, and if the worker stops, the entries age
out and requests compute them again."""

import time
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from lapor.agencies.models import Agency, Category
from lapor.analytics import selectors
from lapor.analytics.cache import lifetime
from lapor.analytics.grades import GROUPS, grade_group, group_of
from lapor.analytics.kpis import AGE_BANDS, Kpi, backlogs_by_agency, kpis_by
from lapor.analytics.periods import current_year, last_months

__all__ = ["shared_cache", "warm", "warm_once"]

LOCK = "lapor:stats:warming"


def shared_cache() -> bool:
    """Whether what this process stores is seen by the web processes (Redis), not only by itself."""
    return not isinstance(caches["default"], LocMemCache)


def _by_agency(rows: dict[Any, Kpi]) -> dict[str, dict[Any, Kpi]]:
    """{(agency, x): kpi} -> {agency: {x: kpi}}."""
    out: dict[str, dict[Any, Kpi]] = defaultdict(dict)
    for (agency, key), kpi in rows.items():
        out[agency][key] = kpi
    return out


def warm_once() -> dict[str, Any]:
    """`warm`, unless another worker has started a pass within the warming interval: with several
    workers on one Redis, one pass per interval is enough. A worker that dies mid-pass holds the lock
    only until the interval ends."""
    interval = int(settings.LAPOR_STATS_WARM_SECONDS)
    if not cache.add(LOCK, time.time(), timeout=max(1, interval - 10)):
        return {"skipped": "another worker warmed the statistics within the interval"}
    return warm()


def warm() -> dict[str, Any]:
    """Recompute and store the current year's statistics; returns what was stored and how long it took."""
    if lifetime() <= 0:
        return {"skipped": "LAPOR_STATS_CACHE_SECONDS is 0"}
    started = time.perf_counter()
    timeout = lifetime() + int(settings.LAPOR_STATS_WARM_SECONDS)
    year, window = current_year(), last_months(12)
    grades = {name: grade_group(name, period=year) for name in GROUPS}
    for name, graded in grades.items():
        selectors.group_grades.put(graded, timeout=timeout, group=name, period=year)
    peers = {name: selectors.peer_rows(graded) for name, (graded, _) in grades.items()}
    selectors.overview.refresh(timeout=timeout, period=None)
    for only in (None, *GROUPS):
        selectors.agency_table.refresh(timeout=timeout, group=only, period=None)

    totals = kpis_by("agency", period=year)
    units = _by_agency(kpis_by(("agency", "unit"), period=year))
    categories = _by_agency(kpis_by(("agency", "category"), period=year))
    months = _by_agency(kpis_by(("agency", "period"), period=window))
    backlogs = backlogs_by_agency()
    no_backlog = dict.fromkeys((name for name, _, _ in AGE_BANDS), 0)
    names = {c.code: c.name for c in Category.objects.all()}
    agencies = Agency.objects.filter(active=True).exclude(kind=Agency.Kind.NATIONAL_NODE)
    for agency in agencies:
        group = group_of(agency.kind)
        card = selectors.scorecard_of(
            agency,
            year,
            kpi=totals.get(agency.code, Kpi()),
            grades=grades[group] if group else ([], {}),
            units=units.get(agency.code, {}),
            categories=categories.get(agency.code, {}),
            trend=selectors.trend_of(months.get(agency.code, {}), window),
            backlog=backlogs.get(agency.code, no_backlog),
            category_names=names,
            peers=peers[group] if group else [],
        )
        selectors.agency_scorecard.put(card, timeout=timeout, code=agency.code, period=None)
    return {
        "period": year.label,
        "scorecards": len(agencies),
        "seconds": round(time.perf_counter() - started, 2),
    }
