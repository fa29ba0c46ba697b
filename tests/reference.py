"""Seed the reference data once per test package, and remove it afterwards.

Seeding ~11k rows per test would dominate the suite, so a package-scoped fixture commits the data once;
each test still runs in its own rolled-back transaction, so tests cannot leak into each other. The
teardown deletes the rows again so packages that build their own small world (tests/factories.py) never
see them. Works the same on SQLite and PostgreSQL: nothing here depends on the backend.
"""

from collections.abc import Iterator
from typing import Any

from lapor.agencies.models import Agency, Category, Membership, RoutingRule, Unit
from lapor.agencies.seed import seed_reference
from lapor.geo.models import Region
from lapor.geo.seed import load_regions


def wipe_reference() -> None:
    Membership.objects.all().delete()
    RoutingRule.objects.all().delete()
    Unit.objects.all().delete()
    Agency.objects.filter(parent__isnull=False).delete()
    Agency.objects.all().delete()
    Category.objects.all().delete()
    Region.objects.filter(level=Region.Level.REGENCY).delete()
    Region.objects.all().delete()


def seeded(django_db_blocker: Any, *, agencies: bool) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock():
        counts = {"regions": load_regions()}
        if agencies:
            counts |= seed_reference()
    yield counts
    with django_db_blocker.unblock():
        wipe_reference()
