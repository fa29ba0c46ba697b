"""SMS / WhatsApp inbound (generic JSON and Twilio form, API key or shared-secret signature, CEK) and
social media mentions, with the answers travelling through the real outbound SMS gateway path."""

import base64
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from lapor.channels.apikeys import apikey_create
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.channels.helpers import MENTION, SECRET, Gateway, push_twice
from tests.factories import World

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
TEXT = "Jalan desa Sendangadi rusak parah, mohon segera diperbaiki sebelum musim hujan."


def signed(body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-LAPOR-Timestamp": stamp, "X-LAPOR-Signature": f"sha256={mac}"}


def send(client: Client, payload: dict[str, Any], **headers: str) -> Any:
    body = json.dumps(payload).encode()
    return client.post(
        "/channels/sms/inbound", data=body, content_type="application/json", headers=headers or signed(body)
    )


def test_an_sms_becomes_a_report_and_the_sender_gets_the_tracking_id(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    message = {"from": "0812-3456-7000", "text": TEXT, "message_id": "gw-1"}
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, message)
    assert response.status_code == 201, response.content
    tracking_id = response.json()["tracking_id"]
    report = Report.objects.get(tracking_id=tracking_id)
    assert report.channel == "sms" and report.body == TEXT and report.tags == ["sms"]
    assert report.identity.phone == "+6281234567000" and report.identity.name == "Pelapor SMS"
    (receipt,) = gateway.texts_to("+6281234567000")
    assert tracking_id in receipt
    with django_capture_on_commit_callbacks(execute=True):
        again = send(client, message)  # the gateway retried the same message
    assert again.status_code == 200 and again.json()["tracking_id"] == tracking_id
    assert Report.objects.count() == 1 and len(gateway.texts_to("+6281234567000")) == 1


def test_cek_answers_the_status_of_own_and_public_reports_only(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        tracking_id = send(client, {"from": "+6281200000001", "text": TEXT, "message_id": "a"}).json()[
            "tracking_id"
        ]
        response = send(client, {"from": "+6281200000001", "text": f"cek {tracking_id}", "message_id": "b"})
    assert response.json()["result"] == "status"
    assert gateway.texts_to("+6281200000001")[-1] == f"LAPOR {tracking_id}: Belum Terverifikasi."
    with django_capture_on_commit_callbacks(execute=True):
        send(client, {"from": "+6281299999999", "text": f"CEK {tracking_id}", "message_id": "c"})
    assert "tidak ditemukan" in gateway.texts_to("+6281299999999")[-1]  # not theirs, not public yet
    services.report_route(
        report=Report.objects.get(tracking_id=tracking_id), agency=world.pemda, actor=world.viewer("verifier")
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(client, {"from": "+6281299999999", "text": f"CEK {tracking_id}", "message_id": "d"})
    assert gateway.texts_to("+6281299999999")[-1] == (
        f"LAPOR {tracking_id}: Terdisposisi oleh Pemerintah Kabupaten Sleman."
    )


def test_twilio_form_with_twilio_signature_and_whatsapp(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    form = {"From": "whatsapp:+6281211112222", "Body": TEXT, "MessageSid": "SM123", "To": "+14155238886"}
    url = "http://testserver/channels/sms/inbound"
    signed_text = url + "".join(f"{k}{form[k]}" for k in sorted(form))
    signature = base64.b64encode(
        hmac.new(SECRET.encode(), signed_text.encode(), hashlib.sha1).digest()
    ).decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/channels/sms/inbound",
            urlencode(form),
            content_type=FORM,
            headers={"X-Twilio-Signature": signature},
        )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    report = Report.objects.get()
    assert report.tags == ["whatsapp"] and report.external_ref == "whatsapp:SM123"
    forged = Client().post(
        "/channels/sms/inbound",
        urlencode({**form, "MessageSid": "SM124"}),
        content_type=FORM,
        headers={"X-Twilio-Signature": signature},
    )
    assert forged.status_code == 401


def test_gateway_authentication(world: World, gateway: Gateway) -> None:
    client = Client()
    payload = {"from": "+6281200000002", "text": TEXT, "message_id": "x"}
    body = json.dumps(payload).encode()
    stale = signed(body) | {"X-LAPOR-Timestamp": str(int(time.time()) - 3600)}
    for headers in ({}, {"X-LAPOR-Timestamp": "1", "X-LAPOR-Signature": "sha256=00"}, stale):
        response = client.post(
            "/channels/sms/inbound", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 401 and set(response.json()) == {"code", "message", "field"}
    social_key = apikey_create(agency=world.national, name="Bridge", permissions=["social"])
    wrong = client.post(
        "/channels/sms/inbound",
        data=body,
        content_type="application/json",
        headers={"X-API-Key": social_key.raw},
    )
    assert wrong.status_code == 403
    sms_key = apikey_create(agency=world.national, name="Gerbang SMS", permissions=["sms"])
    ok = client.post(
        "/channels/sms/inbound",
        data=body,
        content_type="application/json",
        headers={"X-API-Key": sms_key.raw},
    )
    assert ok.status_code == 201
    assert not Report.objects.exclude(channel="sms").exists()


def test_a_too_short_sms_gets_help_back(
    world: World, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = send(Client(), {"from": "+6281200000003", "text": "jalan rusak", "message_id": "s"})
    assert response.json()["result"] == "rejected" and not Report.objects.exists()
    assert "minimal 20 karakter" in gateway.texts_to("+6281200000003")[0]


def test_social_mentions_are_deduplicated_by_url_and_answered_through_the_bridge(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.notifications.test_webhooks import Receiver

    bridge = apikey_create(agency=world.national, name="Jembatan Medsos", permissions=["social", "webhooks"])
    client = Client(headers={"X-API-Key": bridge.raw})
    receiver = Receiver()
    subscribed = client.post(
        "/api/v1/webhooks/subscriptions",
        data={"name": "Balasan", "url": receiver.url, "events": ["report.responded"]},
        content_type="application/json",
    )
    assert subscribed.status_code == 201
    mention = {**MENTION, "posted_at": "2026-11-28T07:15:00+07:00"}
    push_twice(client, mention)
    report = Report.objects.get()
    assert (
        report.channel == "social"
        and report.external_ref == mention["url"]
        and report.status == Status.SUBMITTED
    )
    assert report.tags == ["x"] and report.identity.name == "@warga_sleman"
    with django_capture_on_commit_callbacks(execute=True):
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
        services.report_respond(
            report=report,
            actor=world.viewer("admin_pemda"),
            message="Petugas Dishub sudah memperbaiki lampu.",
        )
    (answer,) = [json.loads(r["body"]) for r in receiver.received]
    assert answer["type"] == "report.responded" and answer["report"]["external_ref"] == mention["url"]
    assert answer["event"]["message"] == "Petugas Dishub sudah memperbaiki lampu."
    receiver.server.shutdown()
    unauthenticated = Client().post("/channels/social/inbound", data=mention, content_type="application/json")
    assert unauthenticated.status_code == 401
    bad = client.post(
        "/channels/social/inbound", data={**mention, "platform": "myspace"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["field"] == "platform"


@override_settings(LAPOR_SMS_GATEWAY_URL="")
def test_idempotency_key_on_channel_posts(world: World) -> None:
    bridge = apikey_create(agency=world.national, name="Jembatan", permissions=["social"])
    client = Client(headers={"X-API-Key": bridge.raw, "Idempotency-Key": "m-1"})
    mention = {"platform": "facebook", "url": "https://facebook.com/p/1", "author": "Warga", "text": TEXT}
    first = client.post("/channels/social/inbound", data=mention, content_type="application/json")
    second = client.post("/channels/social/inbound", data=mention, content_type="application/json")
    assert first.content == second.content and second["Idempotent-Replayed"] == "true"
    other = client.post(
        "/channels/social/inbound",
        data={**mention, "url": "https://facebook.com/p/2"},
        content_type="application/json",
    )
    assert other.status_code == 422
