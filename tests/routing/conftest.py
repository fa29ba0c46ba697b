"""Routing tests run against their own small world: the factories' agencies plus the categories and
routing rules they need, and a private, empty MODEL_DIR per test (so no trained model leaks between
tests). The seed model is trained once per session (it is cached in the process)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lapor.agencies.models import Agency, Category, RoutingRule
from lapor.routing import store
from tests.factories import World, road_rules


@pytest.fixture(autouse=True)
def model_dir(tmp_path: Path, settings: Any) -> Iterator[Path]:
    settings.MODEL_DIR = tmp_path / "models"
    settings.LAPOR_AUTO_ROUTE_CONFIDENCE = None
    store.forget()
    yield settings.MODEL_DIR
    store.forget()


def _category(code: str, name: str, days: int = 14) -> Category:
    return Category.objects.get_or_create(
        code=code, defaults={"name": name, "name_en": code, "resolution_days": days}
    )[0]


@pytest.fixture
def routed_world(world: World) -> World:
    """The factories' world plus the default-style rules for a few categories."""
    social = Category.objects.get(code="social_aid")
    electricity = _category("electricity_energy", "Listrik & Energi", 5)
    other = _category("other", "Lainnya")
    road_rules(world)
    RoutingRule.objects.create(
        category=social, region_level="regency", agency_kind="regional", unit_slug="dinas-sosial", priority=10
    )
    RoutingRule.objects.create(
        category=social,
        region_level="province",
        agency_kind="regional",
        unit_slug="dinas-sosial",
        priority=20,
    )
    RoutingRule.objects.create(category=social, region_level="national", agency=world.kemensos, priority=30)
    RoutingRule.objects.create(category=electricity, region_level="any", agency=world.pln, priority=10)
    RoutingRule.objects.create(category=other, region_level="national", agency=world.national, priority=30)
    Agency.objects.filter(pk=world.pln.pk).update(
        aliases=["Perusahaan Listrik Negara", "Divisi Pemasaran dan Pelayanan Pelanggan"]
    )
    return world
