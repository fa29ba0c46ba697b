"""API keys on /api/v1 (X-API-Key → the integration's viewer), the key lifecycle and its command,
and Idempotency-Key on every POST."""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from lapor.channels.apikeys import apikey_authenticate, apikey_create, apikey_revoke, apikey_rotate
from lapor.channels.models import ApiKey, IdempotencyRecord
from lapor.core import clock
from lapor.core.models import AuthToken, hash_secret
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.api.helpers import assert_error, client_for, post_json
from tests.factories import REPORTER_NAME, World, report_in

pytestmark = pytest.mark.django_db

REPORT = {
    "title": "Bansos tidak cair",
    "body": "Bantuan PKH keluarga kami tidak cair sejak tiga bulan tanpa penjelasan dari pendamping.",
    "reporter_name": "Warga Sleman",
    "reporter_phone": "081211112222",
    "external_ref": "simpel-001",
}


def keyed(raw: str) -> Client:
    return Client(headers={"X-API-Key": raw})


def test_key_files_into_its_own_channel_and_a_retry_is_stored_once(world: World) -> None:
    issued = apikey_create(agency=world.pemda, name="SIMPEL Sleman", permissions=["submit"])
    client = keyed(issued.raw)
    first = post_json(client, "/api/v1/reports", REPORT)
    assert first.status_code == 201, first.content
    again = post_json(client, "/api/v1/reports", REPORT)
    assert again.status_code == 200 and again.json()["tracking_id"] == first.json()["tracking_id"]
    report = Report.objects.get()
    assert report.channel == "integration:simpel-sleman" and report.external_ref == "simpel-001"


def test_key_scope_reads_like_its_role(world: World) -> None:
    named = report_in(world, Status.IN_PROGRESS)
    anonymous = report_in(world, Status.IN_PROGRESS, anonymous=True)
    secret = report_in(world, Status.IN_PROGRESS, confidential=True)
    reader = keyed(apikey_create(agency=world.pemda, name="Dasbor Sleman", permissions=["read"]).raw)
    listed = {r["tracking_id"] for r in reader.get("/api/v1/reports").json()["items"]}
    assert {named.tracking_id, anonymous.tracking_id, secret.tracking_id} <= listed  # its agency's, all
    assert REPORTER_NAME not in reader.get(f"/api/v1/reports/{anonymous.tracking_id}").content.decode()
    other = keyed(apikey_create(agency=world.pln, name="PLN Mobile", permissions=["read"]).raw)
    assert_error(other.get(f"/api/v1/reports/{secret.tracking_id}"), 404)
    # read only: acting needs the `act` permission (an agency-admin membership)
    assert_error(
        post_json(reader, f"/api/v1/reports/{named.tracking_id}/actions/respond", {"message": "Sudah."}), 403
    )


def test_permissions_are_enforced(world: World) -> None:
    reader = keyed(apikey_create(agency=world.pemda, name="Hanya baca", permissions=["read"]).raw)
    assert_error(post_json(reader, "/api/v1/reports", REPORT), 403, "key_permission")
    assert_error(keyed("lpk_aaaaaaaa_thisisnotakeythisisnotakey").get("/api/v1/reports"), 401)


def test_rotate_and_revoke(world: World) -> None:
    issued = apikey_create(agency=world.pemda, name="Aplikasi", permissions=["submit"])
    rotated = apikey_rotate(key=issued.key)
    assert apikey_authenticate(issued.raw) is None
    assert apikey_authenticate(rotated.raw) == issued.key
    apikey_revoke(key=issued.key)
    assert apikey_authenticate(rotated.raw) is None
    assert_error(keyed(rotated.raw).get("/api/v1/reports"), 401)


def test_apikey_command(world: World) -> None:
    out = io.StringIO()
    call_command(
        "apikey",
        "create",
        "--agency",
        "pemda-34.04",
        "--name",
        "Qlue Sleman",
        "--permissions",
        "submit,read",
        stdout=out,
    )
    raw = out.getvalue().strip().splitlines()[-1]
    key = apikey_authenticate(raw)
    assert key is not None and key.permissions == ["read", "submit"] and key.agency == world.pemda
    assert raw not in json.dumps(list(ApiKey.objects.values()), default=str)
    out = io.StringIO()
    call_command("apikey", "rotate", key.prefix, stdout=out)
    new_raw = out.getvalue().strip().splitlines()[-1]
    assert apikey_authenticate(raw) is None and apikey_authenticate(new_raw) is not None
    out = io.StringIO()
    call_command("apikey", "list", stdout=out)
    assert "qlue-sleman" in out.getvalue() and new_raw not in out.getvalue()
    call_command("apikey", "revoke", "qlue-sleman", stdout=io.StringIO())
    assert apikey_authenticate(new_raw) is None


# --- Idempotency-Key ---------------------------------------------------------------------------------


def test_a_retry_gets_the_stored_answer(world: World) -> None:
    client = client_for(world.citizen)
    body = {"body": REPORT["body"], "title": "Tanpa ref"}
    first = post_json(client, "/api/v1/reports", body, headers={"Idempotency-Key": "k-1"})
    second = post_json(client, "/api/v1/reports", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert first.content == second.content and second["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1
    third = post_json(client, "/api/v1/reports", body, headers={"Idempotency-Key": "k-2"})
    assert third.json()["tracking_id"] != first.json()["tracking_id"]


def test_the_same_key_with_another_body_is_422(world: World) -> None:
    client = client_for(world.citizen)
    post_json(client, "/api/v1/reports", {"body": REPORT["body"]}, headers={"Idempotency-Key": "k-1"})
    other = post_json(
        client, "/api/v1/reports", {"body": REPORT["body"] + " lagi"}, headers={"Idempotency-Key": "k-1"}
    )
    assert_error(other, 422, "idempotency_key_reused", "Idempotency-Key")
    assert Report.objects.count() == 1


def test_keys_are_per_caller_and_expire(world: World) -> None:
    body = {"body": REPORT["body"]}
    post_json(client_for(world.citizen), "/api/v1/reports", body, headers={"Idempotency-Key": "same"})
    post_json(client_for(world.other_citizen), "/api/v1/reports", body, headers={"Idempotency-Key": "same"})
    assert Report.objects.count() == 2
    citizen = client_for(world.citizen)
    post_json(citizen, "/api/v1/reports", body, headers={"Idempotency-Key": "old"})
    IdempotencyRecord.objects.filter(key="old").update(expires_at=clock.now())
    post_json(citizen, "/api/v1/reports", body, headers={"Idempotency-Key": "old"})
    assert Report.objects.count() == 4


def test_a_request_still_running_is_409_and_errors_are_replayed(world: World) -> None:
    _, raw = AuthToken.issue(user=world.citizen)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    bad = post_json(client, "/api/v1/reports", {"body": "pendek"}, headers={"Idempotency-Key": "v"})
    assert bad.status_code == 422
    again = post_json(client, "/api/v1/reports", {"body": "pendek"}, headers={"Idempotency-Key": "v"})
    assert again.content == bad.content and again["Idempotent-Replayed"] == "true"
    now = clock.now()
    IdempotencyRecord.objects.create(  # the first request with this key has not answered yet
        caller="c:" + hash_secret(f"Bearer {raw}")[:40],
        endpoint="/api/v1/reports",
        key="running",
        fingerprint=hashlib.sha256(json.dumps({"body": REPORT["body"]}).encode()).hexdigest(),
        created_at=now,
        expires_at=now + timedelta(hours=1),
    )
    running = post_json(
        client, "/api/v1/reports", {"body": REPORT["body"]}, headers={"Idempotency-Key": "running"}
    )
    assert_error(running, 409, "idempotency_in_progress")
    assert not Report.objects.exists()
