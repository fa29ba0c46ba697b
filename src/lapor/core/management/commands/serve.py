"""`lapor serve`: the web server (gunicorn) and the task worker together, for one machine. Larger
deployments run `gunicorn lapor.wsgi` and `lapor worker` as separate services (docs/operations.md)."""

import os
import signal
import subprocess  # nosec B404  # fixed argv of our own interpreter
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and the background worker together."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("LAPOR_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("LAPOR_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
        parser.add_argument("--no-worker", action="store_true", help="Serve pages only.")

    def handle(self, *args: Any, host: str, port: int, workers: int, no_worker: bool, **options: Any) -> None:
        python = sys.executable
        children = [
            subprocess.Popen(  # nosec B603  # fixed argv, no shell
                [
                    python,
                    "-m",
                    "gunicorn",
                    "lapor.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(workers),
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    "10",
                    # gunicorn 27's control socket is one path per OS user: two instances would collide.
                    "--no-control-socket",
                ]
            )
        ]
        if not no_worker:
            children.append(subprocess.Popen([python, "-m", "lapor.cli", "worker"]))  # nosec B603  # fixed argv
        self.stdout.write(f"LAPOR berjalan di http://{host}:{port}/  (Ctrl+C untuk berhenti)")

        def stop(signum: int, frame: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
