"""The worker's relay for the two queues kept in tables, the outbox and webhook deliveries (ADR 0028):
rows are written due in the transaction that causes them, and the worker leases and enqueues them.
Only the immediate backend, which has no worker, enqueues on commit instead."""

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction

from lapor.core import clock
from lapor.notifications.models import OutboxMessage
from lapor.notifications.webhook_models import WebhookDelivery

__all__ = ["hand_over", "relay"]

logger = logging.getLogger(__name__)

Relayed = OutboxMessage | WebhookDelivery  # same columns (state, attempts, next_attempt_at), same rules
EnqueueOne = Callable[[uuid.UUID, int], object]  # (row id, attempts so far)


def relay(model: type[Relayed], enqueue_one: EnqueueOne, *, lease: timedelta, limit: int = 1000) -> int:
    """Lease what is due and hand it to the task backend. Batches of `limit` are leased in one
    statement each; two workers relaying at once skip each other's rows (PostgreSQL), and a row
    enqueued twice anyway is claimed once. A full batch is followed by the next at once, so a burst
    is relayed as fast as the backend takes it; a backend that refuses a row ends the round (the row
    waits for the next one)."""
    total = 0
    while True:
        due = _lease_due(model, limit, lease)
        done = hand_over(model, due, enqueue_one)
        total += done
        if len(due) < limit or done < len(due):
            return total


def _lease_due(model: type[Relayed], limit: int, lease: timedelta) -> list[tuple[uuid.UUID, int]]:
    with transaction.atomic():
        due = list(
            model._default_manager.select_for_update(skip_locked=True)
            .filter(state="pending", next_attempt_at__lte=clock.now())
            .order_by("next_attempt_at")
            .values_list("pk", "attempts")[:limit]
        )
        if due:
            model._default_manager.filter(pk__in=[pk for pk, _ in due]).update(
                next_attempt_at=clock.now() + lease
            )
    return due


def hand_over(model: type[Relayed], ids: list[tuple[uuid.UUID, int]], enqueue_one: EnqueueOne) -> int:
    """Enqueue leased rows; one the backend refuses is released at once to the next round."""
    done = 0
    for pk, attempts in ids:
        try:
            enqueue_one(pk, attempts)
            done += 1
        except Exception as exc:  # Redis or the database queue unavailable: the next round retries
            model._default_manager.filter(pk=pk, state="pending").update(next_attempt_at=clock.now())
            logger.warning("could not enqueue %s %s: %r", model._meta.model_name, pk, exc)
    return done
