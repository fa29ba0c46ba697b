"""`lapor worker`: runs background tasks, the outbox relay and, every few minutes, the deadline sweep.

The task runner depends on the mode: the database worker in the embedded mode, an RQ worker when
REDIS_URL is set. The sweep is idempotent, so several workers running it at once is harmless. The
relay (`lapor intake write-out`, `lapor outbox flush`, then `lapor webhooks flush`) runs in its own
thread every `LAPOR_OUTBOX_FLUSH_SECONDS`: it is how an accepted filing becomes a report (ADR 0033)
and a new message or webhook delivery reaches the task runner (ADR 0028), so a sweep or a warming
pass that takes half a minute must not hold it back."""

import io
import os
import signal
import subprocess  # nosec B404  # fixed argv of our own interpreter
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import close_old_connections


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
        child = subprocess.Popen([sys.executable, "-m", "lapor.cli", *runner])  # nosec B603  # fixed argv
        started, pause = time.monotonic(), 2.0
        # SIGTERM unwinds through `finally`, so the runner is stopped with us and not left orphaned.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        # Periodic work, by command name so the lowest layer imports nothing above it.
        periodic = [
            (["sweep"], sweep_every),
            (["opendata", "export"], 3600),  # writes today's file once; later rounds find it there
            (["stats", "warn"], 3600),  # early warning: idempotent, alerts once per signal
            (["stats", "warm"], settings.LAPOR_STATS_WARM_SECONDS),  # no visitor waits for statistics
            (["retention"], 86400),  # forget reporters of long-ended reports: idempotent, chunked
            (["audit", "verify"], 86400),  # the hash chain, daily; its JSON (head hash) goes to the log
        ]
        due = {tuple(command): time.monotonic() for command, _ in periodic}
        threading.Thread(target=self._relay, args=(settings.LAPOR_OUTBOX_FLUSH_SECONDS,), daemon=True).start()
        try:
            while True:
                if child.poll() is not None:
                    # rqworker exits when Redis goes away: start it again rather than end the periodic
                    # work too; once Redis is back, the outbox flush hands it what waited meanwhile.
                    # Back off while it keeps failing at once (Redis still down), up to 30 s.
                    pause = 2.0 if time.monotonic() - started > 60 else min(pause * 2, 30.0)
                    self.stderr.write(f"task runner exited with {child.returncode}; again in {pause:.0f} s")
                    time.sleep(pause)
                    child = subprocess.Popen([sys.executable, "-m", "lapor.cli", *runner])  # nosec B603  # fixed argv
                    started = time.monotonic()
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

    def _relay(self, every: int) -> None:
        while every:
            # Filings accepted into the journal become reports first (ADR 0033), so their receipts
            # are relayed in the same round.
            self._run(["intake", "write-out"], quiet=True)
            self._run(["outbox", "flush"], quiet=True)
            self._run(["webhooks", "flush"], quiet=True)  # the same relay for webhook deliveries
            if settings.LAPOR_SEARCH_INDEX:  # this node's copy of the public search index (ADR 0035)
                self._run(["search", "sync"], quiet=True)
            time.sleep(every)

    def _run(self, command: list[str], *, quiet: bool = False) -> None:
        # No request cycle here to drop a connection the database closed (a restart, a failover):
        # without this every later round would fail on it.
        close_old_connections()
        try:
            call_command(*command, stdout=io.StringIO() if quiet else self.stdout)
        except Exception as exc:  # a failed round must not stop the task runner; the next one retries
            self.stderr.write(f"{' '.join(command)} failed: {exc!r}")
