"""Sending webhooks: signed POSTs, at least once, with the outbox's backoff (1 min … 12 h), each
attempt logged. Receivers verify the signature:

    X-LAPOR-Timestamp: <unix seconds>
    X-LAPOR-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>

and drop repeats by `X-LAPOR-Delivery` (the delivery id, also the body's `id`)."""

import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

from lapor.core import clock
from lapor.core.outlast import outlasting_restart
from lapor.notifications.delivery import BACKOFF, LEASE
from lapor.notifications.egress import opener
from lapor.notifications.relay import hand_over, relay
from lapor.notifications.webhook_models import WebhookAttempt, WebhookDelivery

__all__ = ["deliver_webhook", "deliver_webhook_now", "enqueue", "flush_webhooks", "sign"]

logger = logging.getLogger(__name__)
TIMEOUT = 10


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _claim(delivery_id: str) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = clock.now() + LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return delivery


def _post(delivery: WebhookDelivery) -> int:
    body = delivery.body.encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (subscribers register http(s) URLs only)
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "LAPOR-Webhooks/1",
            "X-LAPOR-Event": delivery.event_type,
            "X-LAPOR-Delivery": str(delivery.pk),
            "X-LAPOR-Timestamp": stamp,
            "X-LAPOR-Signature": sign(delivery.subscription.secret, stamp, body),
        },
    )
    if request.type not in ("http", "https"):  # the admin's URLField also accepts ftp(s)
        raise OSError(f"refusing to deliver to a {request.type} URL")
    try:
        # The destination is checked as it is dialled (egress.opener), so a name cannot change between.
        with opener().open(request, timeout=TIMEOUT) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def deliver_webhook_now(delivery_id: str) -> str:
    delivery = _claim(delivery_id)
    if delivery is None:
        state = WebhookDelivery.objects.filter(pk=delivery_id).values_list("state", flat=True).first()
        return state or "missing"
    started = time.monotonic()
    status: int | None = None
    error = ""
    try:
        status = _post(delivery)
        if not 200 <= status < 300:
            error = f"receiver answered {status}"
    except Exception as exc:  # refused, timed out, DNS: all retried the same way
        error = f"{type(exc).__name__}: {exc}"[:2000]
    duration_ms = int((time.monotonic() - started) * 1000)
    delivery.last_status, delivery.last_error = status, error
    if not error:
        delivery.state, delivery.sent_at = WebhookDelivery.State.SENT, clock.now()
    elif delivery.attempts > len(BACKOFF):
        delivery.state = WebhookDelivery.State.FAILED
        logger.warning("webhook %s failed for good: %s", delivery.pk, error)
    else:
        delivery.next_attempt_at = clock.now() + BACKOFF[delivery.attempts - 1]

    def record() -> None:
        with transaction.atomic():  # the attempt and the outcome together, so a second run adds no row
            WebhookAttempt.objects.create(
                delivery=delivery, status_code=status, error=error, duration_ms=duration_ms
            )
            delivery.save(update_fields=["state", "sent_at", "last_status", "last_error", "next_attempt_at"])

    # Once the receiver has it, losing this record would post it again when the lease ends.
    outlasting_restart(record, within=LEASE.total_seconds() / 2)
    return delivery.state


@task()
def deliver_webhook(delivery_id: str) -> str:
    return deliver_webhook_now(delivery_id)


def _enqueue_one(pk: uuid.UUID, _attempts: int) -> None:
    deliver_webhook.enqueue(str(pk))


def enqueue(ids: Iterable[uuid.UUID]) -> int:
    """Hand deliveries to the task backend at once (the immediate backend, replays). They are leased
    first, so the relay leaves them to their job; one the backend refuses goes back to the relay."""
    ids = list(ids)
    WebhookDelivery.objects.filter(pk__in=ids, state="pending").update(next_attempt_at=clock.now() + LEASE)
    return hand_over(WebhookDelivery, [(pk, 0) for pk in ids], _enqueue_one)


def flush_webhooks(*, limit: int = 1000) -> int:
    """The worker's relay for webhooks (`relay.relay`): every delivery whose time has come, new
    ones written by events, retries, and what could not be enqueued."""
    return relay(WebhookDelivery, _enqueue_one, lease=LEASE, limit=limit)
