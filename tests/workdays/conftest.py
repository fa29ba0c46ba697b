"""Pin "today" for calendar_for (its window of years follows the clock) and start every test with an empty
calendar cache: test transactions roll back without signals, and the locmem cache outlives them."""

from collections.abc import Iterator
from datetime import date

import pytest

from lapor.workdays import services

PINNED_TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def calendar_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[date]:
    monkeypatch.setattr(services, "_today", lambda: PINNED_TODAY)
    services.calendar_invalidate()
    yield PINNED_TODAY
    services.calendar_invalidate()
