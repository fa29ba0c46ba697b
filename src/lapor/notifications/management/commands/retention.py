"""`lapor retention [--dry-run] [--days N]`: forget the reporters of reports that ended more than
`LAPOR_RETENTION_DAYS` ago, and purge sent messages as old (ADR 0018). Idempotent and chunked; the
worker runs it daily. It lives here, not in `reports`, because the outbox it also purges is ours."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.notifications.personal_data import outbox_purge
from lapor.reports.retention import retention_run


class Command(BaseCommand):
    help = "De-identify reporters of reports closed long ago and purge old sent messages."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")
        parser.add_argument("--days", type=int, help="Override LAPOR_RETENTION_DAYS for this run.")
        parser.add_argument("--chunk", type=int, default=200, help="Reports per transaction.")

    def handle(self, *args: Any, dry_run: bool, days: int | None, chunk: int, **options: Any) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        if chunk < 1:
            raise CommandError("--chunk must be at least 1.")
        result = retention_run(days=days, dry_run=dry_run, chunk=chunk)
        purged = outbox_purge(before=result.cutoff, dry_run=dry_run)
        self.stdout.write(
            json.dumps(
                {
                    "cutoff": result.cutoff.isoformat(),
                    "dry_run": dry_run,
                    "reports_due": result.due,
                    "reports_deidentified": result.deidentified,
                    "messages_purged": purged,
                }
            )
        )
