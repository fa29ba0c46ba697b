"""Delivering the outbox through the Django Tasks API (database worker, or RQ on Redis).

At-least-once: a message is marked sent only after its channel accepted it; anything left pending
(a crashed worker, Redis down at enqueue time) is picked up again by `flush`, which the worker runs
every few seconds. Each attempt leases the message for a while so flush does not race a delivery in
flight. After the last retry the message stays `failed`, visible to admins, who may retry it.

A new message is written due, and the worker's `flush` hands it to the task backend (`write_new`,
ADR 0028): the outbox table is itself the queue, so a filing writes no job and never talks to Redis.
Only a backend that runs jobs at once (the tests', or a setup without a worker) gets it on commit."""

import json
import logging
import urllib.request
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks import task

from lapor.core import batch, clock
from lapor.core.outlast import outlasting_restart
from lapor.core.tasks import by_worker
from lapor.notifications.models import OutboxMessage
from lapor.notifications.relay import hand_over, relay

__all__ = ["BACKOFF", "deliver", "deliver_now", "enqueue", "flush", "write_new"]

logger = logging.getLogger(__name__)
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
LEASE = timedelta(minutes=10)  # webhooks' lease; the outbox's is LAPOR_OUTBOX_LEASE_SECONDS (same default)


def _lease() -> timedelta:
    return timedelta(seconds=settings.LAPOR_OUTBOX_LEASE_SECONDS)


def _send_email(message: OutboxMessage) -> None:
    EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.address],
        headers={"X-LAPOR-Message-Id": str(message.id), "Auto-Submitted": "auto-generated"},
    ).send(fail_silently=False)


def _send_sms(message: OutboxMessage) -> None:
    payload = json.dumps({"id": str(message.id), "to": message.address, "text": message.body[:640]}).encode()
    request = urllib.request.Request(  # noqa: S310 (the operator configures an http(s) gateway)
        settings.LAPOR_SMS_GATEWAY_URL,
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.LAPOR_SMS_GATEWAY_TOKEN}",
        },
        method="POST",
    )
    if request.type not in ("http", "https"):
        raise OSError(f"LAPOR_SMS_GATEWAY_URL must be http(s), not {request.type}")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310  # http(s) checked above
        if response.status >= 300:
            raise OSError(f"gateway answered {response.status}")


SENDERS = {OutboxMessage.Channel.EMAIL: _send_email, OutboxMessage.Channel.SMS: _send_sms}


def _claim(message_id: str, attempt: int | None) -> OutboxMessage | None:
    """Take the message for one attempt, leasing it so `flush` does not enqueue it again meanwhile.
    The lock is held only for this update, never while the channel is talking to the network. The
    backoff is kept by `flush`, which enqueues a message only once its next attempt is due.

    `attempt` is the attempt count seen when the job was enqueued: when two jobs for one message are
    queued (the web's enqueue on commit racing a worker's flush, or two workers flushing at once), only
    the first to claim it sends; the other finds the count moved on and does nothing."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None or message.state != OutboxMessage.State.PENDING:
            return None
        if attempt is not None and message.attempts != attempt:
            return None
        message.attempts += 1
        message.next_attempt_at = clock.now() + _lease()
        message.save(update_fields=["attempts", "next_attempt_at"])
        return message


def deliver_now(message_id: str, attempt: int | None = None) -> str:
    """One attempt. Returns the message's state afterwards."""
    message = _claim(message_id, attempt)
    if message is None:
        current = OutboxMessage.objects.filter(pk=message_id).values_list("state", flat=True).first()
        return current or "missing"
    try:
        SENDERS[OutboxMessage.Channel(message.channel)](message)
    except Exception as exc:  # any failure of a channel is retried the same way
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts > len(BACKOFF):
            message.state = OutboxMessage.State.FAILED
            logger.warning("outbox %s failed for good: %s", message.pk, message.last_error)
        else:
            message.next_attempt_at = clock.now() + BACKOFF[message.attempts - 1]
    else:
        message.state, message.sent_at, message.last_error = OutboxMessage.State.SENT, clock.now(), ""
    # Once the channel has it, losing this record would send it again when the lease ends.
    outlasting_restart(
        lambda: message.save(update_fields=["state", "sent_at", "last_error", "next_attempt_at"]),
        within=_lease().total_seconds() / 2,
    )
    return message.state


@task()
def deliver(message_id: str, attempt: int | None = None) -> str:
    return deliver_now(message_id, attempt)


def write_new(messages: list[OutboxMessage]) -> None:
    """Write new messages in the caller's transaction and arrange their first attempt.

    A job per message, written or pushed by every filing, would be a second copy of what the outbox
    row already says: the message is written due, and the worker's `flush` (every
    `LAPOR_OUTBOX_FLUSH_SECONDS`) leases and enqueues it, with the database backend or RQ alike. The
    immediate backend has no worker to do that: it gets the ids on commit, with the message leased
    from the start so that a `flush` does not enqueue it too (ADR 0024). A message whose dedupe key
    exists is not written, and its job finds nothing to claim."""
    if not messages:
        return
    relayed = by_worker()
    stamp = clock.now() if relayed else clock.now() + _lease()
    for message in messages:
        message.next_attempt_at = stamp
    batch.insert(*messages, ignore_conflicts=True)  # with the filing's other writes (ADR 0032)
    if not relayed:
        ids = [message.pk for message in messages]
        transaction.on_commit(lambda: enqueue(ids), robust=True)


def enqueue(ids: Iterable[uuid.UUID]) -> int:
    """Hand new messages (written leased by `write_new`, never attempted) to the task backend, after
    their transaction committed. A backend that is down is not an error: the message is released to
    `flush`, which enqueues it again later. An id whose row was never written (its dedupe key already
    existed) makes a job that finds nothing to claim."""
    return _enqueue_ids([(pk, 0) for pk in ids])


def _enqueue_one(pk: uuid.UUID, attempts: int) -> None:
    deliver.enqueue(str(pk), attempts)


def _enqueue_ids(ids: list[tuple[uuid.UUID, int]]) -> int:
    """Enqueue leased messages; one the backend refuses is released to the next `flush`."""
    return hand_over(OutboxMessage, ids, _enqueue_one)


def flush(*, limit: int = 1000) -> int:
    """Enqueue every pending message whose time has come: new ones, retries, and what could not be
    enqueued (`relay.relay`)."""
    return relay(OutboxMessage, _enqueue_one, lease=_lease(), limit=limit)
