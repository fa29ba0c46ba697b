from collections.abc import Iterator

import pytest
from pytest_django import DjangoDbBlocker

from tests.reference import seeded


@pytest.fixture(scope="package")
def reference(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, int]]:
    yield from seeded(django_db_blocker, agencies=True)
