"""`lapor search rebuild|sync|status`: the public search index of this node (ADR 0035). The worker's
relay runs `sync` every round; a web node without a worker runs `lapor search sync --every 2` beside
gunicorn, so that each node reads its own copy."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.core.tasks import run_every
from lapor.reports import public_index


class Command(BaseCommand):
    help = "Build, update or inspect this node's search index of the public reports."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rebuild", "sync", "status"])
        parser.add_argument(
            "--every", type=float, default=0, help="sync: again every N seconds, until stopped"
        )

    def handle(self, *args: Any, action: str, every: float, **options: Any) -> None:
        if not public_index.enabled():
            raise CommandError("LAPOR_SEARCH_INDEX is not set, or the database is not PostgreSQL.")
        if action == "rebuild":
            self.stdout.write(json.dumps({"indexed": public_index.rebuild()}))
        elif action == "status":
            self.stdout.write(json.dumps(public_index.status()))
        elif every:
            run_every(every, public_index.sync)
        else:
            self.stdout.write(json.dumps({"taken": public_index.sync()}))
