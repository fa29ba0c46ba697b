"""Read access to agencies and routing rules. The agency directory is public information (LAPOR! publishes
its list of connected agencies), so these selectors take no viewer."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from lapor.agencies.models import Agency, Category, RoutingRule, Unit
from lapor.core.refcache import Reference

__all__ = ["agencies_search", "agency_by_code", "category_by_code", "rules_for"]

_LEVEL = RoutingRule.RegionLevel
REGIONAL = "regional"


# Read by every filing and every filtered list, edited rarely: this process's copy (ADR 0024). A list
# filtered by `category_id = 9` seeks the category's index with the planner's statistics for that
# value, where a join on the code let it walk the whole table newest first for a code that matched
# nothing.
category_by_code: Reference[str, Category] = Reference(
    lambda code: Category.objects.filter(code=code).first(), models=(Category,), ttl=300
)
# Any agency, active or not: an inactive one takes no new reports, but its past reports stay listed.
agency_by_code: Reference[str, Agency] = Reference(
    lambda code: Agency.objects.filter(code=code).first(), models=(Agency,), ttl=300
)


def agencies_search(
    *, kind: str | None = None, region: str | None = None, q: str | None = None
) -> QuerySet[Agency]:
    """Agencies by kind, by region (a province code also finds the governments of its regencies/cities)
    and by text: code, name, short name or any former name, case-insensitive. Exact hits come first, so
    "Kominfo" or "polri" put the agency they name on top."""
    qs = Agency.objects.select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(Q(region_id=region) | Q(region__code__startswith=f"{region}."))
    term = (q or "").strip()
    if not term:
        return qs.order_by("code")
    # JSONField icontains compares against the JSON text, which works the same on SQLite and PostgreSQL;
    # the former names are ASCII, so JSON escaping does not get in the way.
    qs = qs.filter(
        Q(code__icontains=term)
        | Q(name__icontains=term)
        | Q(short_name__icontains=term)
        | Q(aliases__icontains=term)
    )
    return qs.annotate(
        _rank=Case(
            When(Q(code__iexact=term) | Q(short_name__iexact=term) | Q(name__iexact=term), then=Value(0)),
            When(aliases__icontains=f'"{term}"', then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("_rank", "code")


def _levels_for(region_code: str | None) -> dict[str, str | None]:
    """Which rule levels apply to a report in `region_code`, and the region each level resolves to.

    Rules of level `national` always apply: for a report with a region they are the fallback (their
    priorities are higher numbers), for a report without one they are all there is.
    """
    if not region_code:
        return {_LEVEL.NATIONAL: None, _LEVEL.ANY: None}
    parts = region_code.split(".")
    province = parts[0]
    if len(parts) == 1:
        return {_LEVEL.PROVINCE: province, _LEVEL.ANY: province, _LEVEL.NATIONAL: None}
    regency = ".".join(parts[:2])  # a district or village code still routes to its regency/city
    return {_LEVEL.REGENCY: regency, _LEVEL.PROVINCE: province, _LEVEL.ANY: regency, _LEVEL.NATIONAL: None}


def rules_for(
    *, category_code: str, region_code: str | None = None
) -> list[tuple[Agency, Unit | None, RoutingRule]]:
    """Candidate agencies (and units) for a report of `category_code` in `region_code`, best first.

    A `regional` rule becomes the government of the region at the rule's level: `pemda-34.04` for a
    regency-level rule and a report in Sleman, `pemda-34` for a province-level rule and the same report.
    Rules that cannot resolve (a regional rule for a report without a region, a unit the agency lacks)
    are skipped or proposed without the unit; each (agency, unit) is proposed once. Three queries.
    """
    levels = _levels_for(region_code)
    rules = list(
        RoutingRule.objects.filter(
            category__code=category_code, region_level__in=list(levels)
        ).select_related("agency", "category")
    )
    tier: dict[str, int] = {_LEVEL.REGENCY: 0, _LEVEL.PROVINCE: 1, _LEVEL.ANY: 2, _LEVEL.NATIONAL: 3}
    rules.sort(key=lambda r: (r.priority, tier.get(r.region_level, 9), r.pk))

    targets: list[tuple[RoutingRule, str]] = []
    for rule in rules:
        if rule.agency is not None:
            targets.append((rule, rule.agency.code))
        elif rule.agency_kind == REGIONAL and levels[rule.region_level] is not None:
            targets.append((rule, f"pemda-{levels[rule.region_level]}"))
    codes = {code for _, code in targets}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes, active=True)}
    wanted_units = [f"{code}/{rule.unit_slug}" for rule, code in targets if rule.unit_slug]
    units = {u.code: u for u in Unit.objects.filter(code__in=wanted_units)} if wanted_units else {}

    out: list[tuple[Agency, Unit | None, RoutingRule]] = []
    seen: set[tuple[int, int | None]] = set()
    for rule, code in targets:
        agency = agencies.get(code)
        if agency is None:
            continue
        unit = units.get(f"{code}/{rule.unit_slug}") if rule.unit_slug else None
        key = (agency.pk, unit.pk if unit else None)
        if key not in seen:
            seen.add(key)
            out.append((agency, unit, rule))
    return out
