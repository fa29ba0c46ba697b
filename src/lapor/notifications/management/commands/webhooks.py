"""`lapor webhooks flush` (enqueue what is due; the worker's relay runs it every 2 s), `lapor webhooks
retry` (failed deliveries get another round), `lapor webhooks replay ID...` and `lapor webhooks status`."""

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from lapor.notifications.webhook_delivery import flush_webhooks
from lapor.notifications.webhook_models import WebhookDelivery
from lapor.notifications.webhooks import webhook_replay


class Command(BaseCommand):
    help = "Deliver, retry, replay or inspect outgoing webhooks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["flush", "retry", "replay", "status"])
        parser.add_argument("ids", nargs="*", help="delivery ids for replay")

    def handle(self, *args: Any, action: str, ids: list[str], **options: Any) -> None:
        if action == "flush":
            self.stdout.write(json.dumps({"enqueued": flush_webhooks()}))
        elif action == "retry":
            count = webhook_replay(deliveries=Q(state=WebhookDelivery.State.FAILED))
            self.stdout.write(json.dumps({"requeued": count}))
        elif action == "replay":
            self.stdout.write(json.dumps({"requeued": webhook_replay(deliveries=Q(pk__in=ids))}))
        else:
            states = WebhookDelivery.objects.values("state").annotate(n=Count("pk")).order_by("state")
            self.stdout.write(json.dumps({row["state"]: row["n"] for row in states}))
