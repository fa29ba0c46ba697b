from collections.abc import Iterator

import pytest
from django.core.cache import cache

from lapor.core.refcache import clear_all
from tests.factories import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _fresh_reference_copies() -> Iterator[None]:
    """A test's rows are rolled back without a signal: no copy of them, and no page rendered from
    them, may reach the next test."""
    clear_all()
    cache.clear()
    yield
    clear_all()
    cache.clear()
