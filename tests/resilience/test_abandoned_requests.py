"""The in-process half of the fault tests: what a request killed mid-way leaves behind. Its work and its
Idempotency-Key answer commit together, so it leaves only an unanswered record; a retry after
`ABANDONED` takes that over and files exactly once (before, the key answered 409 for 24 hours).
Runs on SQLite and on PostgreSQL, where the takeover waits on the record's row lock."""

import hashlib
import json

import pytest
from django.test import Client

from lapor.api.idempotency import ABANDONED
from lapor.channels.models import IdempotencyRecord
from lapor.core import clock
from lapor.reports.models import Report
from tests.factories import World

pytestmark = [pytest.mark.django_db, pytest.mark.resilience]

FILING = {
    "title": "Lampu jalan padam",
    "body": "Lampu jalan di depan sekolah padam sejak seminggu lalu, anak-anak pulang dalam gelap.",
    "reporter_name": "Warga",
    "reporter_email": "warga@contoh.id",
}


def _left_by_a_dead_request(key: str, age: float) -> None:
    """The record exactly as a request SIGKILLed mid-filing leaves it: created, never answered."""
    created = clock.now() - ABANDONED * age
    IdempotencyRecord.objects.create(
        caller="ip:127.0.0.1",
        endpoint="/api/v1/reports",
        key=key,
        fingerprint=hashlib.sha256(json.dumps(FILING).encode()).hexdigest(),
        created_at=created,
        expires_at=created + ABANDONED * 1000,
    )


def _file(key: str) -> object:
    return Client().post(
        "/api/v1/reports", data=FILING, content_type="application/json", headers={"Idempotency-Key": key}
    )


def test_a_key_left_by_a_request_that_died_is_taken_over_and_files_once(world: World) -> None:
    _left_by_a_dead_request("k-dead", age=1.5)
    first = _file("k-dead")
    assert first.status_code == 201, first.content
    again = _file("k-dead")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert list(Report.objects.values_list("tracking_id", flat=True)) == [first.json()["tracking_id"]]


def test_a_key_just_started_is_still_in_progress(world: World) -> None:
    _left_by_a_dead_request("k-young", age=0.5)
    response = _file("k-young")
    assert response.status_code == 409 and response.json()["code"] == "idempotency_in_progress"
    assert not Report.objects.exists()
