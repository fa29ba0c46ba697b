"""The public sector as LAPOR sees it: agencies, their units, who works where in which role, the
category taxonomy and the routing rules (category x region level -> agency)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.geo.models import Region

__all__ = ["Agency", "Category", "Membership", "Role", "RoutingRule", "Unit"]


class Agency(models.Model):
    """An organisation that receives reports: a ministry, a national agency, a state enterprise or a
    regional government; plus the national node whose verifiers route everything."""

    class Kind(models.TextChoices):
        NATIONAL_NODE = "national_node", _("Pengelola Nasional")
        MINISTRY = "ministry", _("Kementerian")
        NATIONAL_AGENCY = "national_agency", _("Lembaga")
        OVERSIGHT = "oversight", _("Lembaga Pengawas")
        STATE_ENTERPRISE = "state_enterprise", _("BUMN/Badan Publik")
        PROVINCE = "province_gov", _("Pemerintah Provinsi")
        REGENCY = "regency_gov", _("Pemerintah Kabupaten")
        CITY = "city_gov", _("Pemerintah Kota")

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=64, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, db_index=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("wilayah"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    timezone = models.CharField(_("zona waktu"), max_length=16, default="Asia/Jakarta")
    # Reports addressed to a fully-connected agency may be routed by its own admin (DESIGN §5).
    direct_intake = models.BooleanField(_("terhubung penuh"), default=False)
    # Former and informal names ("Kemenkominfo"), so old data and free text still find the agency.
    aliases = models.JSONField(_("nama lain"), default=list, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A working unit inside an agency (Dinas PU of a regency, a directorate general of a ministry).
    Its code is `<agency>/<unit>`, e.g. `pemda-34.04/dinas-pu`."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="units",
        verbose_name=_("instansi"),
    )
    slug = models.SlugField(_("slug"), max_length=64)
    code = models.CharField(_("kode"), max_length=130, unique=True)
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        constraints = [models.UniqueConstraint(fields=["agency", "slug"], name="unit_slug_unique_per_agency")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    VERIFIER = "verifier", _("Verifikator Nasional")
    AGENCY_ADMIN = "agency_admin", _("Admin Instansi")
    UNIT_OFFICER = "unit_officer", _("Petugas Unit Kerja")
    SUPERVISOR = "supervisor", _("Pengawas")


class Membership(models.Model):
    """A user's role in an agency (or one of its units). All officer power comes from these rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["agency__code", "role", "user__username"]
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "unit", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=~models.Q(role="unit_officer") | models.Q(unit__isnull=False),
                name="unit_officer_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.unit or self.agency}"


class Category(models.Model):
    """One entry of the stable category taxonomy (DESIGN §4). `resolution_days` is its resolution tier."""

    code = models.SlugField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100)
    resolution_days = models.PositiveSmallIntegerField(_("batas penyelesaian (hari kerja)"), default=14)
    supervisory = models.BooleanField(_("pengawasan"), default=False)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        constraints = [
            models.CheckConstraint(condition=models.Q(resolution_days__in=[5, 14, 60]), name="category_tier"),
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Routing as data: a report of `category` located at `region_level` goes to a named agency, or to
    the regional government of that level (`agency_kind`), optionally to one of its units.

    How `lapor.agencies.selectors.rules_for` reads a rule for a report in region R:
    - `regency` applies when R is a regency/city (or below it); `agency_kind="regional"` -> pemda-<R>.
    - `province` applies when R is a province or lies in one; "regional" -> pemda-<R's province>.
    - `any` applies to every report; "regional" -> the government of R itself (skipped without R).
    - `national` applies to every report too: the whole answer for reports without a region, the
      fallback for the others. A "regional" rule at this level never resolves.
    "regional" is the only `agency_kind` so far. Candidates are ordered by `priority` (lower first), then
    from the most local level outwards; a unit the agency lacks is dropped, the agency still proposed.
    `lapor seed` owns the default rules (matched on their whole content): it re-creates a deleted default
    and resets its priority, so lasting changes are new rules, not edits of defaults."""

    class RegionLevel(models.TextChoices):
        ANY = "any", _("Semua")
        NATIONAL = "national", _("Nasional (tanpa wilayah)")
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten/Kota")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules")
    region_level = models.CharField(_("tingkat wilayah"), max_length=10, choices=RegionLevel.choices)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # "regional": the regional government of the report's region at this level.
    agency_kind = models.CharField(_("jenis instansi"), max_length=20, blank=True)
    unit_slug = models.SlugField(_("unit"), max_length=64, blank=True)
    priority = models.PositiveSmallIntegerField(_("prioritas"), default=100)

    class Meta:
        ordering = ["category__code", "priority", "id"]
        verbose_name = _("aturan disposisi")
        verbose_name_plural = _("aturan disposisi")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(agency__isnull=False) & models.Q(agency_kind=""))
                    | (models.Q(agency__isnull=True) & ~models.Q(agency_kind=""))
                ),
                name="routing_rule_one_target",
            ),
        ]

    def __str__(self) -> str:
        target = self.agency.code if self.agency else self.agency_kind
        return f"{self.category.code} @ {self.region_level} -> {target}"
