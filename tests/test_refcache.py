"""Process-local copies of reference rows (ADR 0024): an edit in this process is seen at once, an edit
made elsewhere within the copy's life, and an unknown key is never remembered."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.agencies.models import Category
from lapor.core.refcache import Reference

pytestmark = pytest.mark.django_db


def categories(ttl: float) -> Reference[str, Category]:
    return Reference(lambda code: Category.objects.filter(code=code).first(), models=(Category,), ttl=ttl)


def test_a_copy_answers_without_the_database_until_this_process_saves_a_row(world: object) -> None:
    by_code = categories(ttl=300)
    first = by_code("roads_infrastructure")
    assert first is not None
    with CaptureQueriesContext(connection) as ctx:
        assert by_code("roads_infrastructure") is first
    assert ctx.captured_queries == []
    first.name = "Jalan dan jembatan"
    first.save()  # post_save drops the copy
    with CaptureQueriesContext(connection) as ctx:
        again = by_code("roads_infrastructure")
    assert again is not None and again is not first and again.name == "Jalan dan jembatan"
    assert len(ctx.captured_queries) == 1


def test_an_edit_made_elsewhere_is_seen_once_the_copy_has_lived_its_ttl(world: object) -> None:
    by_code = categories(ttl=0.05)
    assert by_code("roads_infrastructure") is not None
    Category.objects.filter(code="roads_infrastructure").update(name="Diubah di node lain")  # no signal
    time.sleep(0.06)
    fresh = by_code("roads_infrastructure")
    assert fresh is not None and fresh.name == "Diubah di node lain"


def test_unknown_keys_always_ask_and_are_not_remembered(world: object) -> None:
    by_code = categories(ttl=300)
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert by_code("no-such-category") is None
        assert len(ctx.captured_queries) == 1


def test_a_copy_read_after_a_clear_lives_its_whole_ttl(
    world: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    by_code = categories(ttl=300)
    assert by_code("roads_infrastructure") is not None  # the first copy would expire at 1300
    clock[0] = 1290.0
    by_code.clear()  # a save in this process, or a test starting
    assert by_code("roads_infrastructure") is not None  # read again at 1290: lives until 1590
    clock[0] = 1310.0
    with CaptureQueriesContext(connection) as ctx:
        assert by_code("roads_infrastructure") is not None
    assert ctx.captured_queries == []
