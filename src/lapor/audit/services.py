"""The one writer of the audit log. Call it inside the transaction of the act it records: the entry
commits with the act or rolls back with it.

Appending locks the head row (`select_for_update`), so concurrent writers queue up and each extends
the chain where the previous one ended. The lock is taken last in every audited transaction (domain
rows first, then the head), a fixed order that cannot deadlock, and is held until that transaction
commits: audited writes are serialised, which the volume of staff actions easily allows."""

from typing import Any

from django.db import IntegrityError, transaction

from lapor.audit import chain
from lapor.audit.models import GENESIS, AuditEntry, AuditHead
from lapor.core import clock
from lapor.core.models import User

__all__ = ["SYSTEM_DISPLAY", "audit_record", "display_of"]

SYSTEM_DISPLAY = "sistem"


def display_of(user: User | None) -> str:
    """A snapshot of who acted, kept even if the account is later renamed or removed."""
    if user is None:
        return SYSTEM_DISPLAY
    name = user.get_full_name()
    return f"{name} ({user.username})"[:200] if name else user.username[:200]


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Only after `flush` emptied the database: triggers allow a head only for an empty log. Another
        # writer may have created it and appended since we looked; then the trigger refuses ours, inside
        # a savepoint so the caller's transaction goes on, and theirs is the head to lock.
        try:
            with transaction.atomic():
                AuditHead.objects.bulk_create([AuditHead(id=1, seq=0, hash=GENESIS)], ignore_conflicts=True)
        except IntegrityError:
            pass
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def audit_record(
    *,
    action: str,
    actor: User | None,
    target_type: str,
    target_id: str | int,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: `action` is a dotted code (`report.route`, `identity.view`), the target a
    type and an id (a tracking id for reports), `payload` a few codes and ids (no personal data)."""
    data = dict(payload or {})
    chain.check_payload(data)
    with transaction.atomic():
        head = _locked_head()
        fields: dict[str, Any] = {
            "seq": head.seq + 1,
            "at": clock.now(),
            "actor_id": actor.pk if actor is not None else None,
            "actor_display": display_of(actor),
            "action": action,
            "target_type": target_type,
            "target_id": str(target_id)[:100],
            "payload": data,
        }
        entry_hash = chain.digest(head.hash, chain.canonical(**fields))
        entry = AuditEntry.objects.create(**fields, prev_hash=head.hash, hash=entry_hash)
        AuditHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry_hash)
    return entry
