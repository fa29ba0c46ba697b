"""Intake channels: API keys of integrations (hashed, scoped, rotatable, revocable), the stored
answers that make every POST idempotent, and the tokens Open311 clients may resolve later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency
from lapor.core.models import TimeStampedModel
from lapor.reports.models import Report

__all__ = ["ApiKey", "IdempotencyRecord", "IntakeToken", "Permission"]


class Permission(models.TextChoices):
    """What an integration may do. Reading and acting come from memberships of the key's service user
    (see the ADR on API keys); the others are checked by the endpoint that needs them."""

    SUBMIT = "submit", _("Kirim laporan (API, Open311) dan tanggapan pelapor")
    READ = "read", _("Baca laporan yang ditangani instansi (pengawas)")
    ACT = "act", _("Tindak lanjuti laporan instansi (admin instansi)")
    SMS = "sms", _("Gerbang SMS/WhatsApp masuk")
    SOCIAL = "social", _("Jembatan media sosial masuk")
    WEBHOOKS = "webhooks", _("Kelola langganan webhook")


class ApiKey(TimeStampedModel):
    """One integration's key. Only the SHA-256 digest is stored; the key is shown once at creation
    and at each rotation. The key acts as its own service user, whose memberships match its scope."""

    name = models.CharField(_("nama integrasi"), max_length=100)
    slug = models.SlugField(_("kode sistem"), max_length=28, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_keys")
    permissions = models.JSONField(_("izin"), default=list)
    prefix = models.CharField(_("awalan"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rotated_at = models.DateTimeField(_("dirotasi"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["agency__code", "slug"]
        verbose_name = _("kunci API")
        verbose_name_plural = _("kunci API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def channel(self) -> str:
        """Reports this integration pushes through /api/v1 carry `integration:<slug>`, so its own
        external references are unique within its own channel."""
        return f"integration:{self.slug}"

    def allows(self, permission: str) -> bool:
        return permission in self.permissions


class IdempotencyRecord(models.Model):
    """The stored answer to one POST with an Idempotency-Key, per caller and endpoint, for 24 hours.
    `status_code` is null while the first request is still running."""

    caller = models.CharField(max_length=80)
    endpoint = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["caller", "endpoint", "key"], name="idempotency_once_per_caller")
        ]

    def __str__(self) -> str:
        return f"{self.caller} {self.endpoint} {self.key}"


class IntakeToken(models.Model):
    """An Open311 token: resolves to the report filed by the POST that received it."""

    token = models.CharField(max_length=40, unique=True)
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.token
