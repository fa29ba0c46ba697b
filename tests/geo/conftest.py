from collections.abc import Iterator
from typing import Any

import pytest

from tests.reference import seeded


@pytest.fixture(scope="package")
def regions(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    yield from seeded(django_db_blocker, agencies=False)
