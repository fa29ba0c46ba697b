"""A credential's last use is recorded at most every five minutes: a read is not a write."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lapor.core.models import USE_RECORDED_EVERY, AuthToken
from tests.api.helpers import client_for
from tests.factories import World

pytestmark = pytest.mark.django_db


def writes(client: object, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200  # type: ignore[attr-defined]
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_a_token_records_its_use_once_per_interval(world: World) -> None:
    client = client_for(world.citizen)
    assert writes(client, "/api/v1/reports?mine=true")  # first use: recorded
    assert writes(client, "/api/v1/reports?mine=true") == []  # a moment later: nothing written
    AuthToken.objects.update(last_used_at=timezone.now() - USE_RECORDED_EVERY - timedelta(seconds=1))
    assert writes(client, "/api/v1/reports?mine=true")
    assert AuthToken.objects.get().last_used_at > timezone.now() - timedelta(seconds=5)
