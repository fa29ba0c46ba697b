"""Rollups kept current inside the transaction of every timeline event (ADR 0010), and early-warning
alerts. Dimensions are stable codes (empty string for "none"), never nullable foreign keys, so one
unique key per cell holds on SQLite and PostgreSQL alike and a deleted row cannot orphan history."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Alert", "Backlog", "DurationBucket", "MEASURES", "Rollup", "VolumeHour"]

# Every counter of a Rollup cell, in the order docs/metrics.md defines them.
MEASURES = (
    "received",
    "verified",
    "verified_on_time",
    "archived",
    "routed",
    "forwarded",
    "declined",
    "withdrawn",
    "followed_up",
    "followed_up_on_time",
    "closed",
    "reopened",
    "escalated",
    "rating_count",
    "rating_sum",
    "rating_high",
)

DIMENSIONS = ("period", "agency", "unit", "category", "province", "kind")


def _counter() -> models.IntegerField:
    """A counter starts at zero in the database too, so an upsert names only the counters it adds to."""
    return models.IntegerField(default=0, db_default=0)


class _Cell(models.Model):
    period = models.DateField(_("periode (bulan)"))  # first day of the month, in WIB
    agency = models.CharField(_("instansi"), max_length=64, blank=True)  # "" = the national node
    unit = models.CharField(_("unit kerja"), max_length=130, blank=True)
    category = models.CharField(_("kategori"), max_length=32, blank=True)
    province = models.CharField(_("provinsi"), max_length=2, blank=True)
    kind = models.CharField(_("jenis"), max_length=20)

    class Meta:
        abstract = True


class Rollup(_Cell):
    """Counters of one cell of the (month, agency, unit, category, province, kind) cube. Updated with
    F() increments; a page sums the few cells it needs instead of reading reports."""

    received = _counter()
    verified = _counter()
    verified_on_time = _counter()
    archived = _counter()
    routed = _counter()
    forwarded = _counter()
    declined = _counter()
    withdrawn = _counter()
    followed_up = _counter()
    followed_up_on_time = _counter()
    closed = _counter()
    reopened = _counter()
    escalated = _counter()
    rating_count = _counter()
    rating_sum = _counter()
    rating_high = _counter()

    class Meta:
        ordering = ["period", "agency", "unit", "category", "province", "kind"]
        verbose_name = _("rekap kinerja")
        verbose_name_plural = _("rekap kinerja")
        constraints = [models.UniqueConstraint(fields=list(DIMENSIONS), name="rollup_cell_unique")]
        indexes = [models.Index(fields=["agency", "period"], name="rollup_agency_period")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.agency or 'nasional'} {self.category} {self.province} {self.kind}"


class DurationBucket(_Cell):
    """How many durations of exactly `days` working days a cell saw for one metric: a histogram, so the
    median and 90th percentile are exact (durations are whole working days) and still summable."""

    class Metric(models.TextChoices):
        VERIFY = "verify", _("Waktu verifikasi")
        FIRST_FOLLOWUP = "first_followup", _("Waktu tindak lanjut pertama")
        CLOSE = "close", _("Waktu penyelesaian")

    metric = models.CharField(max_length=16, choices=Metric.choices)
    days = models.PositiveIntegerField()
    count = _counter()

    class Meta:
        ordering = ["period", "agency", "metric", "days"]
        constraints = [
            models.UniqueConstraint(fields=[*DIMENSIONS, "metric", "days"], name="duration_cell_unique")
        ]
        indexes = [models.Index(fields=["agency", "metric", "period"], name="duration_agency_metric")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.agency} {self.metric} {self.days}d x{self.count}"


class Backlog(models.Model):
    """Open work by owner and the day it reached them: +1 when a report lands with an owner (the national
    verifiers for submitted/on hold, the agency for routed/in progress), -1 when it leaves."""

    agency = models.CharField(max_length=64, blank=True)  # "" = waiting for the national verifiers
    category = models.CharField(max_length=32, blank=True)
    province = models.CharField(max_length=2, blank=True)
    entered_on = models.DateField()
    count = _counter()

    class Meta:
        ordering = ["agency", "entered_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "category", "province", "entered_on"], name="backlog_cell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency or 'nasional'} since {self.entered_on}: {self.count}"


class VolumeHour(models.Model):
    """Reports filed per hour per (category, region): the early warning's input, kept at submission."""

    hour = models.DateTimeField()
    category = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=13, blank=True)
    count = _counter()

    class Meta:
        ordering = ["hour", "category", "region"]
        constraints = [
            models.UniqueConstraint(fields=["hour", "category", "region"], name="volume_hour_unique")
        ]
        indexes = [models.Index(fields=["hour"], name="volume_hour_time")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.category} {self.region}: {self.count}"


class Alert(models.Model):
    """An early warning: an unusual rise of reports in one (category, region), or an emerging topic.
    One row per ongoing signal: later runs that see it again update it instead of alerting again."""

    class Kind(models.TextChoices):
        VOLUME_SPIKE = "volume_spike", _("Lonjakan laporan")
        EMERGING_TOPIC = "emerging_topic", _("Topik baru muncul")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200)
    active = models.BooleanField(_("aktif"), default=True)
    title = models.CharField(_("judul"), max_length=200)
    summary = models.TextField(_("ringkasan"), blank=True)
    category = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=13, blank=True)
    observed = models.IntegerField(default=0)
    expected = models.FloatField(default=0)
    p_value = models.FloatField(null=True, blank=True)
    agencies = models.JSONField(default=list, blank=True)  # codes of the agencies concerned
    report_ids = models.JSONField(default=list, blank=True)  # read back only through reports.selectors
    terms = models.JSONField(default=list, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = _("peringatan dini")
        verbose_name_plural = _("peringatan dini")
        indexes = [models.Index(fields=["active", "kind", "key"], name="alert_active_key")]

    def __str__(self) -> str:
        return self.title
