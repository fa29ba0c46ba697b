"""Security switches an administrator can change at run time, and the table that backs the
rate-limit cache in the embedded mode (no Redis)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["RateLimitCacheEntry", "SecurityPolicy"]


class SecurityPolicy(models.Model):
    """The one row of run-time security settings (pk is always 1)."""

    require_two_factor = models.BooleanField(
        _("wajibkan verifikasi dua langkah untuk verifikator dan admin instansi"),
        default=False,
        help_text=_(
            "Jika aktif, Verifikator Nasional dan Admin Instansi harus memasang aplikasi autentikator "
            "sebelum dapat membuka konsol staf."
        ),
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("kebijakan keamanan")
        verbose_name_plural = _("kebijakan keamanan")

    def __str__(self) -> str:
        return str(_("Kebijakan keamanan"))

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1  # a singleton: every save writes the same row
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def current(cls) -> "SecurityPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class RateLimitCacheEntry(models.Model):
    """The schema Django's DatabaseCache expects (what `createcachetable` would create), kept as a model
    so `migrate` creates it: the embedded mode needs no extra setup step."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "lapor_ratelimit_cache"
        managed = True

    def __str__(self) -> str:
        return self.cache_key
