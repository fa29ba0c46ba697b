"""The audit chain: one append-only table of entries, and a one-row head that anchors its tail.

Each entry stores the hash of the one before it and its own hash over both, so editing, removing or
reordering any row breaks the chain (`lapor audit verify`). The head holds the newest sequence
number and hash: appenders lock it (one chain, never a fork) and it betrays a removed tail. Database
triggers refuse UPDATE and DELETE on entries (migration 0002, `triggers.py`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["GENESIS", "AuditEntry", "AuditHead"]

GENESIS = "0" * 64  # the prev_hash of the first entry


class AuditEntry(models.Model):
    """One recorded act. Payloads carry codes and ids, never a reporter's identity: the log cannot be
    edited, so nothing a retention run must erase may ever be written here."""

    seq = models.PositiveBigIntegerField(_("urutan"), unique=True)
    at = models.DateTimeField(_("waktu"))
    # A plain id, not a foreign key: deleting an account must never need to touch the log.
    actor_id = models.BigIntegerField(_("id pelaku"), null=True, blank=True)
    actor_display = models.CharField(_("pelaku"), max_length=200)
    action = models.CharField(_("tindakan"), max_length=64, db_index=True)
    target_type = models.CharField(_("jenis sasaran"), max_length=40)
    target_id = models.CharField(_("sasaran"), max_length=100, db_index=True)
    payload = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"


class AuditHead(models.Model):
    """The newest entry of the chain, in the table's one row (id 1). Triggers let it only step forward
    by one, onto the entry just written."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("kepala rantai audit")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"head #{self.seq}"
