"""`lapor smtpd [--host 0.0.0.0] [--port 2525]`: receive complaints by e-mail (see docs/integration.md)."""

import time
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand

from lapor.channels.smtpd import MAX_MESSAGE_BYTES, IntakeHandler


class Command(BaseCommand):
    help = "Run the SMTP server that turns mail to LAPOR_INTAKE_EMAIL into reports and replies."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        controller = Controller(IntakeHandler(), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES)
        controller.start()
        self.stdout.write(f"smtpd listening on {host}:{port} for {settings.LAPOR_INTAKE_EMAIL}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
