"""`lapor outbox flush` (enqueue what is due; the worker's relay runs it every 2 s), `lapor outbox retry`
(give failed messages another round of attempts) and `lapor outbox status`."""

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count

from lapor.core import clock
from lapor.notifications.delivery import flush
from lapor.notifications.models import OutboxMessage


class Command(BaseCommand):
    help = "Deliver, retry or inspect the notification outbox."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["flush", "retry", "status"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "retry":
            count = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).update(
                state=OutboxMessage.State.PENDING, attempts=0, next_attempt_at=clock.now()
            )
            self.stdout.write(json.dumps({"requeued": count, "enqueued": flush()}))
        elif action == "flush":
            self.stdout.write(json.dumps({"enqueued": flush()}))
        else:
            states = OutboxMessage.objects.values("state").annotate(n=Count("pk")).order_by("state")
            self.stdout.write(json.dumps({row["state"]: row["n"] for row in states}))
