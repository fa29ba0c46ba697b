"""A message the channel accepted is recorded as sent even when the database connection dies between
the two, so the end of its lease does not send it a second time (the fault test's "no notification is
sent twice" under a PostgreSQL restart)."""

from typing import Any

import psycopg
import pytest
from django.core import mail
from django.db import connection

from lapor.notifications import delivery
from lapor.notifications.delivery import deliver_now, flush
from lapor.notifications.models import OutboxMessage

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
