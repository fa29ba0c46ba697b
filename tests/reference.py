"""Seed the reference data once per test package instead of once per test.

Seeding ~11k rows per test would dominate the suite. The package-scoped fixtures open one transaction,
seed inside it and roll it back at the end, so no other package ever sees these rows (tests/factories.py
builds its own small world). Each test runs in a savepoint inside that transaction (pytest-django's
`django_db`), so tests stay isolated from each other. Nothing here depends on the backend: the same on
SQLite and PostgreSQL.
"""

from collections.abc import Iterator

from django.db import transaction
from pytest_django import DjangoDbBlocker

from lapor.agencies.seed import seed_reference
from lapor.geo.seed import load_regions


def seeded(django_db_blocker: DjangoDbBlocker, *, agencies: bool) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock(), transaction.atomic():
        counts = {"regions": load_regions()}
        if agencies:
            counts |= seed_reference()
        yield counts
        transaction.set_rollback(True)


# DESIGN §4, in order.
DESIGN_CATEGORIES = [
    "health",
    "education",
    "civil_registry",
    "social_aid",
    "roads_infrastructure",
    "transport",
    "electricity_energy",
    "water",
    "environment",
    "disaster",
    "public_order",
    "police_services",
    "employment",
    "land",
    "licensing",
    "tax",
    "communication",
    "agriculture",
    "housing",
    "civil_service",
    "integrity",
    "other",
]
