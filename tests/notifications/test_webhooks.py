"""Webhooks out, against a real HTTP receiver on 127.0.0.1: signed, written with the event, retried
with backoff, logged, replayable; scoped; never carrying an anonymous reporter's identity."""

import hashlib
import hmac
import io
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.core.errors import Invalid
from lapor.notifications.webhook_delivery import deliver_webhook_now, flush_webhooks
from lapor.notifications.webhook_models import Subscription, WebhookDelivery
from lapor.notifications.webhooks import subscription_create, webhook_replay
from lapor.reports import services
from lapor.reports.workflow import Status
from tests.factories import REPORTER_NAME, World, report_in, submit

pytestmark = pytest.mark.django_db

ALL = ["report.routed", "report.status_changed", "report.responded", "report.replied", "report.escalated"]


class Receiver:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()


def subscribe(world: World, receiver: Receiver, **extra: Any) -> Subscription:
    defaults: dict[str, Any] = {"agency": world.pemda, "events": ALL, "name": "SIMPEL Sleman"}
    return subscription_create(owner=world.admin_pemda, url=receiver.url, **{**defaults, **extra})


def verify(secret: str, request: dict[str, Any]) -> bool:
    """What docs/integration.md tells receivers to do."""
    headers = {k.lower(): v for k, v in request["headers"].items()}
    stamp, signature = headers["x-lapor-timestamp"], headers["x-lapor-signature"]
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"sha256={expected}", signature)


def test_routed_and_status_changes_arrive_signed(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribe(world, receiver)
    report = submit(world).report
    with django_capture_on_commit_callbacks(execute=True):
        services.report_route(
            report=report, agency=world.pemda, actor=world.viewer("verifier"), message="Ke PU"
        )
    (request,) = receiver.received
    assert verify(subscription.secret, request)
    body = json.loads(request["body"])
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["x-lapor-event"] == "report.routed" == body["type"]
    assert body["types"] == ["report.routed", "report.status_changed"]
    assert headers["x-lapor-delivery"] == body["id"]
    assert body["report"]["tracking_id"] == report.tracking_id and body["report"]["agency"] == "pemda-34.04"
    assert body["event"]["message"] == "Ke PU" and body["event"]["to_status"] == "routed"
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "sent" and delivery.last_status == 204 and delivery.log.count() == 1


def test_replies_responses_and_escalations(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(world, receiver, events=["report.replied", "report.responded", "report.escalated"])
    with django_capture_on_commit_callbacks(execute=True):
        report = report_in(world, Status.RESPONDED)
        services.report_reply(report=report, actor=world.viewer("citizen"), message="Belum diperbaiki.")
        services.report_escalate(report=report, actor=Viewer.system())
    types = [b["type"] for b in receiver.bodies()]
    assert types == ["report.responded", "report.replied", "report.escalated"]


def test_nothing_is_written_when_the_change_rolls_back(world: World, receiver: Receiver) -> None:
    subscribe(world, receiver)
    report = submit(world).report
    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
        raise RuntimeError("rolled back")
    assert not WebhookDelivery.objects.exists() and not receiver.received


def test_with_a_worker_deliveries_are_written_due_and_the_relay_hands_each_over_once(
    world: World, receiver: Receiver, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASK_MODE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    subscribe(world, receiver)
    report = submit(world).report
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    delivery = WebhookDelivery.objects.get()
    # No job from the request (ADR 0028): the delivery is due, and the worker's relay enqueues it.
    assert delivery.state == "pending" and delivery.next_attempt_at <= clock.now()
    assert not DBTaskResult.objects.exists() and not receiver.received
    assert not any("webhook" in getattr(c, "__qualname__", "") for c in callbacks)

    assert flush_webhooks() == 1  # leased and enqueued together
    job = DBTaskResult.objects.get()
    assert job.args_kwargs == {"args": [str(delivery.pk)], "kwargs": {}}
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > clock.now()  # leased: the next relay leaves it to its job
    assert flush_webhooks() == 0 and DBTaskResult.objects.count() == 1


def test_failures_are_retried_with_backoff_then_replayed(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(world, receiver)
    receiver.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        report_in(world, Status.ROUTED)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.last_status == 503 and delivery.attempts == 1
    assert delivery.next_attempt_at > clock.now() + timedelta(seconds=50)  # the first backoff step
    assert flush_webhooks() == 0  # not due yet
    WebhookDelivery.objects.update(next_attempt_at=clock.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert flush_webhooks() == 1
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.log.count() == 2 and len(receiver.received) == 1

    # a receiver that lost it asks for a replay: the same body and delivery id again
    from django.db.models import Q

    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_replay(deliveries=Q(pk=delivery.pk)) == 1
    assert len(receiver.received) == 2 and receiver.received[0]["body"] == receiver.received[1]["body"]


def test_unreachable_receiver_fails_for_good_after_the_last_retry(world: World) -> None:
    subscription_create(
        owner=world.admin_pemda, url="http://127.0.0.1:9/closed", events=ALL, agency=world.pemda, name="Mati"
    )
    report_in(world, Status.ROUTED)
    delivery = WebhookDelivery.objects.get()
    for _ in range(7):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=clock.now())
        deliver_webhook_now(str(delivery.pk))
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == 6 and delivery.log.count() == 6
    call_command("webhooks", "retry", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert delivery.attempts <= 1


def test_scope_and_confidentiality(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    mine = subscribe(world, receiver, name="Sleman")
    province = subscribe(world, receiver, agency=world.pemda_province, name="DIY (with children)")
    pln = subscribe(world, receiver, agency=world.pln, name="PLN")
    public_feed = subscribe(world, receiver, agency=None, name="Portal data")
    with django_capture_on_commit_callbacks(execute=True):
        report_in(world, Status.ROUTED, confidential=True)
        report_in(world, Status.ROUTED)
    by_subscription: dict[int, int] = {}
    for delivery in WebhookDelivery.objects.all():
        by_subscription[delivery.subscription_id] = by_subscription.get(delivery.subscription_id, 0) + 1
    assert by_subscription.get(mine.pk) == 2 and by_subscription.get(province.pk) == 2
    assert pln.pk not in by_subscription
    assert by_subscription.get(public_feed.pk) == 1  # the public report only
    confidential = [b for b in receiver.bodies() if b["report"]["confidential"]]
    assert confidential and all(
        WebhookDelivery.objects.get(pk=b["id"]).subscription_id in {mine.pk, province.pk}
        for b in confidential
    )


def test_payloads_never_carry_the_reporter(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(world, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        report_in(world, Status.CLOSED, anonymous=True)
        report_in(world, Status.CLOSED)
    assert receiver.received
    for request in receiver.received:
        text = request["body"].decode()
        for leak in (REPORTER_NAME, "citizen@contoh.id", "081234567890", "Siti Aminah"):
            assert leak not in text


def test_subscriptions_api(world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any) -> None:
    from django.test import Client

    from lapor.channels.apikeys import apikey_create
    from tests.api.helpers import assert_error, client_for, post_json

    issued = apikey_create(agency=world.pemda, name="Bridge", permissions=["webhooks", "submit"])
    client = Client(headers={"X-API-Key": issued.raw})
    created = post_json(
        client,
        "/api/v1/webhooks/subscriptions",
        {"name": "Bridge", "url": receiver.url, "events": ["report.routed"]},
    )
    assert created.status_code == 201, created.content
    assert created.json()["secret"].startswith("whsec_")
    assert client.get("/api/v1/webhooks/subscriptions").json()[0]["secret"] is None
    other = post_json(
        client,
        "/api/v1/webhooks/subscriptions",
        {"name": "X", "url": receiver.url, "events": ["report.routed"], "agency": "pln"},
    )
    assert_error(other, 403, "forbidden_scope")
    bad = post_json(
        client, "/api/v1/webhooks/subscriptions", {"name": "X", "url": "ftp://x", "events": ["nope"]}
    )
    assert_error(bad, 422)
    admin = client_for(world.admin_pemda)
    mine = post_json(
        admin,
        "/api/v1/webhooks/subscriptions",
        {"name": "Admin", "url": receiver.url, "events": ALL, "agency": "pemda-34.04"},
    )
    assert mine.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        report_in(world, Status.ROUTED)
    deliveries = admin.get("/api/v1/webhooks/deliveries").json()
    assert deliveries and {d["state"] for d in deliveries} == {"sent"}
    replayed = admin.post(f"/api/v1/webhooks/deliveries/{deliveries[0]['id']}/replay")
    assert replayed.status_code == 202
    assert client.delete(f"/api/v1/webhooks/subscriptions/{created.json()['id']}").status_code == 204
    assert client.get("/api/v1/webhooks/subscriptions").json() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:5432/",
        "http://[::ffff:192.168.1.1]/",
    ],
)
def test_subscribing_to_a_private_address_is_refused(world: World, settings: Any, url: str) -> None:
    settings.LAPOR_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(Invalid) as refused:
        subscription_create(owner=world.admin_pemda, url=url, events=ALL, agency=world.pemda, name="SSRF")
    assert (refused.value.code, refused.value.field) == ("private_address", "url")
    assert not Subscription.objects.exists()


def test_a_name_that_resolves_to_a_private_address_is_never_called(
    world: World, receiver: Receiver, settings: Any
) -> None:
    """A name that resolves to a private address (DNS can change after subscribing) is checked again at
    each delivery, after resolving it."""
    subscription = subscribe(world, receiver)
    Subscription.objects.filter(pk=subscription.pk).update(url=receiver.url.replace("127.0.0.1", "localhost"))
    settings.LAPOR_WEBHOOK_ALLOW_PRIVATE = False
    report_in(world, Status.ROUTED)
    delivery = WebhookDelivery.objects.get()
    assert deliver_webhook_now(str(delivery.pk)) == "pending"  # refused, retried later like any failure
    delivery.refresh_from_db()
    assert "non-public address" in delivery.last_error
    assert receiver.received == []
    settings.LAPOR_WEBHOOK_ALLOW_PRIVATE = True  # an operator who runs receivers inside the network
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=clock.now())
    assert deliver_webhook_now(str(delivery.pk)) == "sent"
    assert len(receiver.received) == 1


def test_the_address_checked_is_the_address_dialled(world: World, receiver: Receiver, settings: Any) -> None:
    """DNS rebinding: a name that answers a public address to the check and a private one to the
    connection. The name is resolved once, and the connection goes to the address that was checked."""
    import socket

    subscription = subscribe(world, receiver)
    port = receiver.server.server_port
    Subscription.objects.filter(pk=subscription.pk).update(url=f"http://hooks.example.org:{port}/hook")
    settings.LAPOR_WEBHOOK_ALLOW_PRIVATE = False
    answers = iter(["8.8.8.8", "127.0.0.1", "127.0.0.1"])
    lookups: list[str] = []
    dialled: list[str] = []

    def rebinding(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def dial(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        dialled.append(address[0])
        raise ConnectionRefusedError("not in this test")

    report_in(world, Status.ROUTED)
    delivery = WebhookDelivery.objects.get()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", rebinding)
        patch.setattr(socket, "create_connection", dial)
        assert deliver_webhook_now(str(delivery.pk)) == "pending"
    assert lookups == ["hooks.example.org"] and dialled == ["8.8.8.8"]
    assert receiver.received == []


def test_a_redirect_is_not_followed(world: World, receiver: Receiver) -> None:
    """A receiver could otherwise send the request on to an internal address (urllib follows a 303
    after a POST with a GET)."""
    reached: list[str] = []

    class Internal(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            reached.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    internal = HTTPServer(("127.0.0.1", 0), Internal)
    target = f"http://127.0.0.1:{internal.server_port}/admin"

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(303)
            self.send_header("Location", target)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    redirector = HTTPServer(("127.0.0.1", 0), Redirect)
    for server in (internal, redirector):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        subscription = subscribe(world, receiver)
        url = f"http://127.0.0.1:{redirector.server_port}/hook"
        Subscription.objects.filter(pk=subscription.pk).update(url=url)
        report_in(world, Status.ROUTED)
        delivery = WebhookDelivery.objects.get()
        assert deliver_webhook_now(str(delivery.pk)) == "pending"
        delivery.refresh_from_db()
        assert delivery.last_status == 303 and "303" in delivery.last_error
        assert reached == []
    finally:
        redirector.shutdown()
        internal.shutdown()
