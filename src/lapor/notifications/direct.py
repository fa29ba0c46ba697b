"""A message to one address that is not about a report event: an intake channel's answer (the status
a citizen asked for by SMS, a rejected e-mail). Written to the same outbox, in the caller's
transaction, and delivered the same way, once it commits, with retries and backoff."""

from lapor.notifications.models import OutboxMessage

__all__ = ["message_send"]


def message_send(*, channel: str, address: str, subject: str, body: str, dedupe_key: str) -> bool:
    """False when this `dedupe_key` was already written (a retried inbound message answers once)."""
    key = dedupe_key[:200]
    if OutboxMessage.objects.filter(dedupe_key=key).exists():
        return False
    from lapor.notifications.delivery import write_new

    write_new(
        [
            OutboxMessage(
                dedupe_key=key,
                channel=OutboxMessage.Channel(channel),
                address=address[:254],
                subject=subject[:200],
                body=body,
            )
        ]
    )
    return True
