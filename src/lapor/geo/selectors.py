"""Read access to regions. Regions are public reference data, so no viewer is needed."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lapor.geo.models import Region

__all__ = ["regions_search"]


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
