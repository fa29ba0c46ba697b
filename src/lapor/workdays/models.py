"""Admin-editable corrections to the holiday source: decrees that add or move days off, regional days off."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lapor.core.models import TimeStampedModel
from lapor.geo.models import Region

__all__ = ["DayOverride"]


class DayOverride(TimeStampedModel):
    """One date whose status differs from the `holidays` package: an extra day off (a decree, a provincial
    holiday) or an extra working day (a cancelled cuti bersama, a Saturday made a working day).

    National when `province` is empty; otherwise it applies only to agencies in that province, and it wins
    over the national row for the same date. Saving or deleting one invalidates the cached calendars.
    """

    date = models.DateField(_("tanggal"))
    is_working_day = models.BooleanField(
        _("hari kerja"),
        default=False,
        help_text=_("Dicentang: hari kerja tambahan. Tidak dicentang: hari libur tambahan."),
    )
    name = models.CharField(_("nama"), max_length=200)
    province = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="day_overrides",
        limit_choices_to={"level": Region.Level.PROVINCE},
        verbose_name=_("provinsi"),
        help_text=_("Kosongkan untuk berlaku secara nasional."),
    )

    class Meta:
        ordering = ["date", "province_id"]
        verbose_name = _("pengecualian hari kerja")
        verbose_name_plural = _("pengecualian hari kerja")
        constraints = [
            models.UniqueConstraint(fields=["date", "province"], name="dayoverride_unique_date_province"),
            # NULLs are distinct in a unique index, so the national row needs its own constraint.
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(province__isnull=True),
                name="dayoverride_unique_date_national",
            ),
        ]

    def __str__(self) -> str:
        where = self.province_id or _("nasional")
        kind = _("hari kerja") if self.is_working_day else _("libur")
        return f"{self.date:%Y-%m-%d} {kind} ({where}): {self.name}"

    def clean(self) -> None:
        # A DB check cannot look through the foreign key, so the "provinces only" rule lives here and in
        # `limit_choices_to` (which the admin form enforces).
        super().clean()
        if self.province is not None and self.province.level != Region.Level.PROVINCE:
            raise ValidationError({"province": _("Hanya provinsi yang dapat dipilih.")})
