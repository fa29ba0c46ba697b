"""Read access to regions. Regions are public reference data, so no viewer is needed."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lapor.core.refcache import Reference
from lapor.geo.models import Region

__all__ = ["region_codes", "regions_search"]


def _with_inner(code: str) -> tuple[str, ...] | None:
    inner = Region.objects.filter(Q(code=code) | Q(code__startswith=f"{code}."))
    return tuple(inner.order_by("code").values_list("code", flat=True)) or None


_families: Reference[str, tuple[str, ...]] = Reference(_with_inner, models=(Region,), ttl=300)


def region_codes(code: str) -> tuple[str, ...]:
    """The region and every region inside it ("34": "34", "34.01", …, "34.71"), or just the code when
    no such region exists. Reports filtered by `region_id IN (...)` seek an index on the region; "equals
    or LIKE '34.%'" could not, and scanned every public report until it found a page."""
    return _families(code) or (code,)


def regions_search(*, level: int | None = None, q: str | None = None) -> QuerySet[Region]:
    """Regions of one level (or all), filtered by code prefix or a case-insensitive part of the name.

    A code query ("34", "34.04") returns the region and everything under it, which is what a region
    picker needs; a text query matches the name ("sleman", "kota bandung").
    """
    qs = Region.objects.all()
    if level is not None:
        qs = qs.filter(level=level)
    term = (q or "").strip()
    if term:
        if term.replace(".", "").isdigit():
            qs = qs.filter(Q(code=term) | Q(code__startswith=f"{term}."))
        else:
            qs = qs.filter(name__icontains=term)
    return qs.order_by("level", "code")
