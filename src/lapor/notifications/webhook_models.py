"""Webhooks out: who subscribes to which report events, each delivery (an outbox row like
`OutboxMessage`, written in the event's transaction) and the log of every attempt."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency

__all__ = ["EventType", "Subscription", "WebhookAttempt", "WebhookDelivery"]


class EventType(models.TextChoices):
    ROUTED = "report.routed", _("Laporan didisposisikan ke instansi")
    STATUS_CHANGED = "report.status_changed", _("Status laporan berubah")
    RESPONDED = "report.responded", _("Instansi menindaklanjuti (jawaban publik)")
    REPLIED = "report.replied", _("Pelapor menanggapi atau melengkapi")
    ESCALATED = "report.escalated", _("Batas waktu terlewati: eskalasi")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    """An agency's or an integration's endpoint for report events.

    Scope: with an `agency`, events of reports that agency (and, with `include_children`, its
    sub-agencies) handles, confidential ones included; without, events of public reports only. An
    integration also hears about the non-confidential reports it filed itself (`owner` = reporter)."""

    name = models.CharField(_("nama"), max_length=100)
    url = models.URLField(_("URL tujuan"), max_length=500)
    secret = models.CharField(_("rahasia penandatanganan"), max_length=80, default=new_secret, editable=False)
    events = models.JSONField(_("peristiwa"), default=list)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="webhook_subscriptions"
    )
    include_children = models.BooleanField(_("termasuk instansi bawahan"), default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"


class WebhookDelivery(models.Model):
    """One event for one subscription. The body is fixed when the event is written, so a replay
    sends exactly what was sent before; the signature is made at each attempt (it carries the time)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    dedupe_key = models.CharField(max_length=200, unique=True)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    tracking_id = models.CharField(max_length=16, db_index=True)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due")]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")

    def __str__(self) -> str:
        return f"{self.event_type} {self.tracking_id} → {self.subscription_id}"


class WebhookAttempt(models.Model):
    """The log: one row per attempt, with what the receiver answered."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at:%Y-%m-%d %H:%M}: {self.status_code or self.error[:40]}"
