"""Reading the log: only a superuser or an account granted `audit.view_auditentry` (national
administrators), failing closed for everyone else. Each read is itself recorded by the caller's
surface (`admin.py`), so who looked at the log is in the log."""

from django.db.models import QuerySet

from lapor.audit.models import AuditEntry
from lapor.core.models import User

__all__ = ["audit_entries_for", "may_read_audit"]


def may_read_audit(user: User | None) -> bool:
    return bool(
        user is not None and user.is_active and (user.is_superuser or user.has_perm("audit.view_auditentry"))
    )


def audit_entries_for(
    *, viewer: User | None, target_type: str = "", target_id: str = ""
) -> QuerySet[AuditEntry]:
    if not may_read_audit(viewer):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.all()
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    return entries.order_by("-seq")
