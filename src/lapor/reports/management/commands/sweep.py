"""`lapor sweep [--now ISO-DATETIME]`: apply every deadline due at that moment (idempotent)."""

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lapor.reports.sweep import sweep


class Command(BaseCommand):
    help = "Escalate, auto-close, archive and remind whatever is due (safe to run any number of times)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="The moment to sweep at (ISO 8601; naive means Asia/Jakarta).")

    def handle(self, *args: Any, now: str | None, **options: Any) -> None:
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now is not an ISO datetime: {now!r}") from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        self.stdout.write(json.dumps(sweep(now=moment)))
