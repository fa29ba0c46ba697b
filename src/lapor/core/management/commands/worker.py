"""`lapor worker`: runs background tasks and, every few minutes, the deadline sweep.

The task runner depends on the mode: the database worker in the embedded mode, an RQ worker when
REDIS_URL is set. The sweep is idempotent, so several workers running it at once is harmless."""

import os
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker and the periodic deadline sweep."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--sweep-every",
            type=int,
            default=int(os.environ.get("LAPOR_SWEEP_SECONDS", "300")),
            help="Seconds between deadline sweeps (0 disables the sweep).",
        )

    def handle(self, *args: Any, sweep_every: int, **options: Any) -> None:
        if settings.TASK_MODE == "rq":
            runner = ["rqworker", "default", "--job-class", "django_tasks_rq.Job"]
        else:
            runner = ["db_worker", "--queue-name", "*", "--interval", "1"]
        child = subprocess.Popen([sys.executable, "-m", "lapor.cli", *runner])
        # Periodic work, by command name so the lowest layer imports nothing above it.
        periodic = [
            (["sweep"], sweep_every),
            (["outbox", "flush"], 60),
            (["webhooks", "flush"], 60),
            (["opendata", "export"], 3600),  # writes today's file once; later rounds find it there
            (["stats", "warn"], 3600),  # early warning: idempotent, alerts once per signal
        ]
        due = {tuple(command): time.monotonic() for command, _ in periodic}
        try:
            while child.poll() is None:
                for command, every in periodic:
                    key = tuple(command)
                    if every and time.monotonic() >= due[key] and command[0] in get_commands():
                        self._run(command)
                        due[key] = time.monotonic() + every
                time.sleep(1)
        finally:
            if child.poll() is None:
                child.terminate()
                child.wait(timeout=15)

    def _run(self, command: list[str]) -> None:
        try:
            call_command(*command, stdout=self.stdout)
        except Exception as exc:  # a failed round must not stop the task runner; the next one retries
            self.stderr.write(f"{' '.join(command)} failed: {exc!r}")
