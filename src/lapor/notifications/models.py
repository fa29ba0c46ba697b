"""Notifications: what each person chose to receive, the in-app inbox, and the outbox of messages to
deliver. Outbox rows are written in the same transaction as the event that causes them, so a
committed change is never left untold and a rolled-back one is never told."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.reports.models import Report

__all__ = ["Notification", "OutboxMessage", "Preference"]


class Preference(models.Model):
    """The channels a person wants and the language they read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_pref"
    )
    email = models.BooleanField(_("surel"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    in_app = models.BooleanField(_("di aplikasi"), default=True)
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, default="id")

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class Notification(models.Model):
    """One entry in a person's in-app inbox (the bell)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(models.Model):
    """A message to send by e-mail or SMS. Delivery is at-least-once: the id travels with the message
    (header / payload) so a receiver can drop repeats."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Surel")
        SMS = "sms", "SMS"

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dedupe_key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    address = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")

    def __str__(self) -> str:
        return f"{self.channel} to {self.address}: {self.subject}"


from lapor.notifications.webhook_models import (  # noqa: E402,F401  (webhooks live in their own module)
    Subscription,
    WebhookAttempt,
    WebhookDelivery,
)
