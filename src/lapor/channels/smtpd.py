"""The SMTP door (aiosmtpd): accepts mail for `LAPOR_INTAKE_EMAIL` only and hands each message to
`email.mail_received` in a worker thread (the ORM is synchronous)."""

import asyncio
import logging
from typing import Any

from django.conf import settings
from django.db import connection

from lapor.channels.email import mail_received

__all__ = ["IntakeHandler", "MAX_MESSAGE_BYTES"]

logger = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 25 * 1024 * 1024


def _process(raw: bytes) -> str:
    try:
        return mail_received(raw).kind
    finally:
        # The executor's threads end with the server, and a connection left on one stays open until
        # the thread's objects are collected. Mail is rare next to requests: reconnecting costs little.
        connection.close()


class IntakeHandler:
    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.strip().lower() != settings.LAPOR_INTAKE_EMAIL.lower():
            return "550 5.1.1 Alamat tujuan tidak dikenal di LAPOR"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        if len(raw) > MAX_MESSAGE_BYTES:
            return "552 5.3.4 Pesan terlalu besar"
        try:
            kind = await asyncio.get_running_loop().run_in_executor(None, _process, raw)
        except Exception:
            logger.exception("intake mail could not be processed")
            return "451 4.3.0 Gangguan sementara, silakan kirim ulang"
        logger.info("intake mail from %s: %s", envelope.mail_from, kind)
        return "250 2.0.0 Diterima"
