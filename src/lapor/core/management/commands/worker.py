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
        next_sweep = time.monotonic()
        try:
            while child.poll() is None:
                if sweep_every and time.monotonic() >= next_sweep and "sweep" in get_commands():
                    try:
                        call_command("sweep", stdout=self.stdout)
                    except Exception as exc:  # a failed sweep must not stop the task runner
                        self.stderr.write(f"sweep failed: {exc!r}")
                    next_sweep = time.monotonic() + sweep_every
                time.sleep(1)
        finally:
            if child.poll() is None:
                child.terminate()
                child.wait(timeout=15)
