"""Base model, the user, and API tokens: the few things every other app stands on."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AuthToken", "TimeStampedModel", "User"]


class TimeStampedModel(models.Model):
    """Every domain row knows when it was created and last changed."""

    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person with an account: citizen or officer. What an officer may do comes from memberships
    (agencies.Membership), never from flags on the user."""

    phone = models.CharField(_("telepon"), max_length=32, blank=True)

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def hash_secret(secret: str) -> str:
    """Tokens, API keys and access codes are stored only as this digest; high-entropy secrets need no
    slow hash, and a constant-cost lookup by digest keeps authentication O(1)."""
    return hashlib.sha256(secret.encode()).hexdigest()


# A credential's `last_used_at` says whether it is still in use, not each request: recording every use
# would add a write (and a commit) to every API read.
USE_RECORDED_EVERY = timedelta(minutes=5)


def record_use(credential: Any, now: datetime) -> None:
    """Set an AuthToken's or ApiKey's `last_used_at` when the use last recorded is older than
    USE_RECORDED_EVERY."""
    if credential.last_used_at is None or now - credential.last_used_at >= USE_RECORDED_EVERY:
        type(credential).objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now


class AuthToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 digest is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, *, user: User) -> tuple["AuthToken", str]:
        raw = "lpt_" + secrets.token_urlsafe(32)
        ttl = timedelta(days=settings.LAPOR_TOKEN_TTL_DAYS)
        token = cls.objects.create(user=user, digest=hash_secret(raw), expires_at=timezone.now() + ttl)
        return token, raw
