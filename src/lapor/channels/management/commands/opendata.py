"""`lapor opendata export [--dir DIR] [--force]`: today's open-data file (the worker calls it every
hour; it writes once a day)."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from lapor.channels.opendata import daily_export


class Command(BaseCommand):
    help = "Write the daily open-data CSV of public, de-identified reports."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["export"])
        parser.add_argument("--dir", default=None)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args: Any, action: str, dir: str | None, force: bool, **options: Any) -> None:
        written = daily_export(directory=dir, force=force)
        self.stdout.write(json.dumps({"written": str(written) if written else None}))
