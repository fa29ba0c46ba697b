"""Load the reference data of `lapor.agencies.data` into the database, idempotently.

Every table is upserted on its natural key (agency code, unit code, category code, and for routing rules
the whole rule), and only rows that are missing or differ are written: a re-run on an up-to-date database
issues a handful of SELECTs and no writes, so it is safe in deploy scripts and after every upgrade.

The seed owns the fields it sets (names, kinds, aliases, region, parent, timezone). Operator-owned fields
are never touched: `Agency.active`, `Agency.direct_intake`, memberships, and any agency, unit or rule the
seed does not know about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction

from lapor.agencies.data import CATEGORIES, NATIONAL_AGENCIES, REGIONAL, REGIONAL_UNITS, ROUTING_RULES
from lapor.agencies.models import Agency, Category, RoutingRule, Unit
from lapor.geo.models import Region

__all__ = ["regional_agency_code", "seed_reference"]

_AGENCY_FIELDS = ["name", "short_name", "kind", "region", "parent", "timezone", "aliases"]
_UNIT_FIELDS = ["agency", "slug", "name"]
_CATEGORY_FIELDS = ["name", "name_en", "resolution_days", "supervisory", "position"]


def regional_agency_code(region_code: str) -> str:
    """The regional government of a region: `pemda-34`, `pemda-34.04` (DESIGN §4)."""
    return f"pemda-{region_code}"


class _Tally:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def add(self, created: int, updated: int) -> None:
        self.created += created
        self.updated += updated


def _attname(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete column, not a reverse relation  # nosec B101  # type narrowing in the reference seed
    return field.attname


def _upsert(
    model: type[models.Model], rows: Sequence[models.Model], *, key: str, fields: list[str]
) -> tuple[int, int]:
    """Insert missing rows and update changed ones in bulk; unchanged rows cost nothing."""
    attnames = [_attname(model, f) for f in fields]
    current: dict[Any, tuple[Any, ...]] = {
        row[0]: tuple(row[1:]) for row in model._default_manager.values_list(key, *attnames)
    }
    created = updated = 0
    batch: list[models.Model] = []
    for row in rows:
        old = current.get(getattr(row, key))
        if old is None:
            created += 1
        elif old == tuple(getattr(row, a) for a in attnames):
            continue
        else:
            updated += 1
        batch.append(row)
    if batch:
        model._default_manager.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=[key],
            update_fields=fields,
            batch_size=500,
        )
    return created, updated


def _short_name(region: Region) -> str:
    if region.level == Region.Level.PROVINCE:
        return f"Pemprov {region.name}"[:64]
    bare = re.sub(r"^(Kabupaten|Kota)( Administrasi)? ", "", region.name)
    prefix = "Pemkot" if region.kind == Region.Kind.CITY else "Pemkab"
    return f"{prefix} {bare}"[:64]


def _regional_agency(region: Region, parent_id: int | None) -> Agency:
    if region.level == Region.Level.PROVINCE:
        name, kind = f"Pemerintah Provinsi {region.name}", Agency.Kind.PROVINCE
    else:
        kind = Agency.Kind.CITY if region.kind == Region.Kind.CITY else Agency.Kind.REGENCY
        name = f"Pemerintah {region.name}"
    return Agency(
        code=regional_agency_code(region.code),
        name=name,
        short_name=_short_name(region),
        kind=kind,
        region_id=region.code,
        parent_id=parent_id,
        timezone=region.timezone,
        aliases=[],
    )


def _agency_ids(codes: Iterable[str] | None = None) -> dict[str, int]:
    qs = Agency.objects.all() if codes is None else Agency.objects.filter(code__in=list(codes))
    return dict(qs.values_list("code", "id"))


def _seed_agencies(regions: list[Region], tally: _Tally) -> dict[str, int]:
    national = [
        Agency(
            code=a.code,
            name=a.name,
            short_name=a.short_name,
            kind=a.kind,
            region_id=None,
            parent_id=None,
            timezone=Region.Timezone.WIB,
            aliases=list(a.aliases),
        )
        for a in NATIONAL_AGENCIES
    ]
    provinces = [_regional_agency(r, None) for r in regions if r.level == Region.Level.PROVINCE]
    tally.add(*_upsert(Agency, national + provinces, key="code", fields=_AGENCY_FIELDS))
    # Regencies/cities point at their province's government, which now has an id.
    ids = _agency_ids(a.code for a in provinces)
    regencies = [
        _regional_agency(r, ids[regional_agency_code(r.code.split(".")[0])])
        for r in regions
        if r.level == Region.Level.REGENCY
    ]
    tally.add(*_upsert(Agency, regencies, key="code", fields=_AGENCY_FIELDS))
    return _agency_ids()


def _seed_units(regions: list[Region], ids: dict[str, int], tally: _Tally) -> None:
    units: list[Unit] = []
    for a in NATIONAL_AGENCIES:
        units += [
            Unit(agency_id=ids[a.code], slug=slug, code=f"{a.code}/{slug}", name=name)
            for slug, name in a.units
        ]
    for region in regions:
        code = regional_agency_code(region.code)
        is_province = region.level == Region.Level.PROVINCE
        units += [
            Unit(agency_id=ids[code], slug=u.slug, code=f"{code}/{u.slug}", name=u.name)
            for u in REGIONAL_UNITS
            if (u.province if is_province else u.regency)
        ]
    tally.add(*_upsert(Unit, units, key="code", fields=_UNIT_FIELDS))


def _seed_categories(tally: _Tally) -> dict[str, int]:
    rows = [
        Category(
            code=c.code,
            name=c.name,
            name_en=c.name_en,
            resolution_days=c.resolution_days,
            supervisory=c.supervisory,
            position=pos,
        )
        for pos, c in enumerate(CATEGORIES, start=1)
    ]
    tally.add(*_upsert(Category, rows, key="code", fields=_CATEGORY_FIELDS))
    return dict(Category.objects.values_list("code", "id"))


def _seed_rules(categories: dict[str, int], ids: dict[str, int], tally: _Tally) -> None:
    """RoutingRule has no natural-key constraint (a nullable agency would make it leaky on SQLite and
    PostgreSQL < 15), so rules are matched on their full content here."""
    existing = {
        (r.category_id, r.region_level, r.agency_id, r.agency_kind, r.unit_slug): r
        for r in RoutingRule.objects.all()
    }
    to_create: list[RoutingRule] = []
    to_update: list[RoutingRule] = []
    for d in ROUTING_RULES:
        agency_id = None if d.target == REGIONAL else ids[d.target]
        kind = REGIONAL if d.target == REGIONAL else ""
        key = (categories[d.category], d.region_level, agency_id, kind, d.unit_slug)
        rule = existing.get(key)
        if rule is None:
            to_create.append(
                RoutingRule(
                    category_id=key[0],
                    region_level=d.region_level,
                    agency_id=agency_id,
                    agency_kind=kind,
                    unit_slug=d.unit_slug,
                    priority=d.priority,
                )
            )
        elif rule.priority != d.priority:
            rule.priority = d.priority
            to_update.append(rule)
    RoutingRule.objects.bulk_create(to_create)
    RoutingRule.objects.bulk_update(to_update, ["priority"])
    tally.add(len(to_create), len(to_update))


def seed_reference() -> dict[str, int]:
    """Load agencies, units, categories and routing rules. Needs the regions (`geo.seed.load_regions`).

    Returns the totals now in the database plus how many rows this run `created` and `updated`
    (both 0 on a re-run).
    """
    regions = list(Region.objects.order_by("code"))
    if not regions:
        raise RuntimeError("No regions: run lapor.geo.seed.load_regions() first.")
    tally = _Tally()
    with transaction.atomic():
        ids = _seed_agencies(regions, tally)
        _seed_units(regions, ids, tally)
        categories = _seed_categories(tally)
        _seed_rules(categories, ids, tally)
    return {
        "agencies": Agency.objects.count(),
        "units": Unit.objects.count(),
        "categories": Category.objects.count(),
        "routing_rules": RoutingRule.objects.count(),
        "created": tally.created,
        "updated": tally.updated,
    }
