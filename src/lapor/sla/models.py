"""Deadline policy as data: versions per report kind, narrowed per agency kind and per agency."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from lapor.agencies.models import Agency

__all__ = ["POLICY_FIELDS", "PolicyVersion"]

POLICY_FIELDS = (
    "verify_days",
    "followup_days",
    "reply_window_days",
    "hold_days",
    "reopen_window_days",
    "escalation_step_days",
    "referral_days",
)


def _days(label: StrOrPromise) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, help_text=_("kosong = ikut kebijakan umum")
    )


class PolicyVersion(models.Model):
    """One version of the deadline policy for a scope. Empty budgets inherit from the wider scope
    (report kind < agency kind < one agency). A version is never edited once in force: a change is a
    new row with a later `effective_from`, so a report keeps the rules of the moment it was filed."""

    kind = models.CharField(
        _("jenis laporan"), max_length=20, blank=True, help_text=_("kosong = semua jenis")
    )
    agency_kind = models.CharField(
        _("jenis instansi"), max_length=20, blank=True, choices=Agency.Kind.choices
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    effective_from = models.DateTimeField(_("berlaku sejak"), default=timezone.now)
    verify_days = _days(_("verifikasi (hari kerja)"))
    followup_days = _days(_("tindak lanjut pertama (hari kerja)"))
    reply_window_days = _days(_("tanggapan pelapor (hari kerja)"))
    hold_days = _days(_("masa tunda (hari kerja)"))
    reopen_window_days = _days(_("buka kembali (hari kerja)"))
    escalation_step_days = _days(_("langkah eskalasi (hari kerja)"))
    referral_days = _days(_("rujukan Ombudsman (hari kerja)"))
    note = models.CharField(_("dasar/keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "agency_kind", "agency_id", "-effective_from"]
        verbose_name = _("versi kebijakan SLA")
        verbose_name_plural = _("versi kebijakan SLA")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(agency_kind=""), name="policy_scope_agency_or_kind"
            ),
        ]

    def __str__(self) -> str:
        scope = self.agency.code if self.agency else (self.agency_kind or "*")
        return f"{self.kind or '*'} / {scope} @ {self.effective_from:%Y-%m-%d}"

    @property
    def specificity(self) -> int:
        return (2 if self.agency_id else 1 if self.agency_kind else 0) * 2 + (1 if self.kind else 0)
