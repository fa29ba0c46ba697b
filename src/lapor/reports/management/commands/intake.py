"""`lapor intake write-out` writes the accepted filings out as reports (ADR 0033); the worker's relay
runs it every 2 s, and `--every N` keeps running it, a dedicated writer beside the workers.
`lapor intake retry` gives filings that failed a few times another round; `lapor intake status`
counts what waits."""

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count, Min

from lapor.core.tasks import run_every
from lapor.reports.models import PendingFiling
from lapor.reports.services import filings_write_out
from lapor.reports.services.journal import MAX_ATTEMPTS


class Command(BaseCommand):
    help = "Write out, retry or inspect the filings accepted into the intake journal."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["write-out", "retry", "status"])
        parser.add_argument(
            "--every", type=float, default=0, help="write-out: again every N seconds, until stopped"
        )

    def handle(self, *args: Any, action: str, every: float, **options: Any) -> None:
        if action == "write-out" and every:
            run_every(every, filings_write_out)
        if action == "retry":
            count = PendingFiling.objects.filter(attempts__gte=MAX_ATTEMPTS).update(attempts=0)
            self.stdout.write(json.dumps({"requeued": count, "written": filings_write_out()}))
        elif action == "write-out":
            self.stdout.write(json.dumps({"written": filings_write_out()}))
        else:
            rows = PendingFiling.objects.aggregate(
                waiting=Count("pk"), oldest=Min("accepted_at")
            )  # no draft, no identity: the operator sees counts and errors only
            stuck = PendingFiling.objects.filter(attempts__gte=MAX_ATTEMPTS).values_list(
                "tracking_id", "last_error"
            )
            self.stdout.write(
                json.dumps(
                    {
                        "waiting": rows["waiting"],
                        "oldest": rows["oldest"].isoformat() if rows["oldest"] else None,
                        "stuck": [{"tracking_id": t, "error": e} for t, e in stuck[:100]],
                    }
                )
            )
