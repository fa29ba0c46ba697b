"""A message the channel accepted, or a webhook its receiver accepted, is recorded as sent even when the
database connection dies between the two, so the end of its lease does not send it a second time (the
fault test's "no notification is sent twice" under a PostgreSQL restart; `core.outlast`)."""

from typing import Any

import psycopg
import pytest
from django.core import mail
from django.db import connection

from lapor.notifications import delivery, webhook_delivery
from lapor.notifications.delivery import deliver_now, flush
from lapor.notifications.models import OutboxMessage
from lapor.notifications.webhook_delivery import deliver_webhook_now, flush_webhooks
from lapor.notifications.webhook_models import WebhookDelivery
from lapor.reports import services
from tests.factories import World, submit
from tests.notifications.test_webhooks import Receiver, subscribe

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="ends a PostgreSQL session"),
]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _terminate(pid: int) -> None:
    """End that session from another one, as a restarting server ends every session."""
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_the_outcome_is_recorded_on_a_new_connection_and_nothing_is_sent_twice(
    monkeypatch: Any, settings: Any
) -> None:
    settings.LAPOR_OUTBOX_LEASE_SECONDS = 20
    message = OutboxMessage.objects.create(
        dedupe_key="restart-test", channel="email", address="warga@example.invalid", subject="s", body="b"
    )
    send_email = delivery.SENDERS[OutboxMessage.Channel.EMAIL]

    def send_then_lose_the_connection(m: OutboxMessage) -> None:
        send_email(m)
        _terminate(_backend_pid())

    monkeypatch.setitem(delivery.SENDERS, OutboxMessage.Channel.EMAIL, send_then_lose_the_connection)
    assert deliver_now(str(message.pk)) == "sent"
    message.refresh_from_db()
    assert message.state == "sent" and message.attempts == 1
    monkeypatch.setitem(delivery.SENDERS, OutboxMessage.Channel.EMAIL, send_email)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)  # lease over
    flush()
    assert [m.extra_headers["X-LAPOR-Message-Id"] for m in mail.outbox] == [str(message.pk)]


def test_a_webhook_outcome_is_recorded_once_on_a_new_connection(world: World, monkeypatch: Any) -> None:
    receiver = Receiver()
    try:
        subscribe(world, receiver, events=["report.routed"])
        post = webhook_delivery._post
        posted: list[int] = []

        def post_then_lose_the_connection(d: WebhookDelivery) -> int:
            status = post(d)
            posted.append(status)
            _terminate(_backend_pid())
            return status

        monkeypatch.setattr(webhook_delivery, "_post", post_then_lose_the_connection)
        report = submit(world).report
        # The delivery runs when the routing commits (the tests' tasks run at once).
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
        assert posted == [204]
        monkeypatch.setattr(webhook_delivery, "_post", post)
        webhook = WebhookDelivery.objects.get()
        assert webhook.state == "sent" and webhook.attempts == 1 and webhook.log.count() == 1
        WebhookDelivery.objects.filter(pk=webhook.pk).update(next_attempt_at=webhook.created_at)  # lease over
        flush_webhooks()
        assert deliver_webhook_now(str(webhook.pk)) == "sent"
        assert len(receiver.received) == 1
    finally:
        receiver.server.shutdown()
