"""The Report aggregate: the report, its reporter's identity (kept apart so no serializer can reach it
by accident), its timeline, attachments, supporters and the log of who looked at anonymous identities."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency, Category, Unit
from lapor.core.models import TimeStampedModel
from lapor.core.tasks import by_worker
from lapor.geo.models import Region
from lapor.reports.workflow import Action, Actor, ArchiveReason, Status

__all__ = [
    "Attachment",
    "IdentityAccess",
    "Kind",
    "PendingFiling",
    "Report",
    "ReporterIdentity",
    "Support",
    "TimelineEvent",
]


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION_REQUEST = "information_request", _("Permintaan Informasi")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    API = "api", _("API")
    OPEN311 = "open311", "Open311"
    EMAIL = "email", _("Surel")
    SMS = "sms", "SMS"
    SOCIAL = "social", _("Media sosial")
    WALK_IN = "walk_in", _("Datang langsung")
    PAPER = "paper", _("Surat")


# What the public may see (mirrors `selectors.PUBLIC`), for the partial indexes of the public lists.
PUBLIC_ROWS = Q(confidential=False, verified_at__isnull=False) & ~Q(status="archived")


class Report(TimeStampedModel):
    """A complaint, aspiration or information request, from submission to closure or archive.

    Invariants live in the database (constraints below) and in `workflow.MOVES`; every change goes
    through a service in `reports.services` that writes a TimelineEvent in the same transaction."""

    tracking_id = models.CharField(_("nomor pelacakan"), max_length=16, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    body = models.TextField(_("isi laporan"))
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tags = models.JSONField(_("tag"), default=list, blank=True)
    target_agency_hint = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi tujuan (pilihan pelapor)"),
    )
    channel = models.CharField(_("kanal"), max_length=40, default=Channel.WEB)
    external_ref = models.CharField(_("referensi eksternal"), max_length=120, null=True, blank=True)

    anonymous = models.BooleanField(_("anonim"), default=False)
    confidential = models.BooleanField(_("rahasia"), default=False)
    # Foreign keys that lead a composite index below have no index of their own (ADR 0037).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        db_index=False,  # report_reporter_newest
    )
    access_code_digest = models.CharField(max_length=64, blank=True, editable=False)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    archive_reason = models.CharField(
        _("alasan arsip"), max_length=24, choices=ArchiveReason.choices, blank=True
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        db_index=False,  # report_agency_queue
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        db_index=False,  # report_unit_queue
    )
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    supporters_count = models.PositiveIntegerField(_("pendukung"), default=0)
    decline_count = models.PositiveSmallIntegerField(default=0)
    flagged = models.BooleanField(_("perlu perhatian"), default=False)  # declined twice: look harder
    reopen_count = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)

    # The SLA policy in force at submission, frozen so later policy changes never re-time this report.
    sla_policy = models.JSONField(default=dict, editable=False)
    # Due moments, computed once at the transition that starts each clock (DESIGN §6).
    due_at = models.DateTimeField(_("batas waktu tahap ini"), null=True, blank=True)
    verify_due_at = models.DateTimeField(null=True, blank=True)
    followup_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    reply_due_at = models.DateTimeField(null=True, blank=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    hold_started_at = models.DateTimeField(null=True, blank=True)
    # Derived from the due moments at each transition, so the sweep finds its work by index alone.
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    resolution_extended = models.BooleanField(_("batas penyelesaian diperpanjang"), default=False)

    verified_at = models.DateTimeField(null=True, blank=True)  # first routing: the report becomes public
    routed_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        # Designed from the plans in bench/results/explain (ADR 0022): each queue and public list seeks
        # in one index in its own sort order instead of sorting every matching row.
        indexes = [
            models.Index(fields=["status", "due_at", "created_at", "id"], name="report_status_due_seek"),
            models.Index(
                fields=["agency", "status", "due_at", "created_at", "id"], name="report_agency_queue"
            ),
            models.Index(fields=["unit", "status", "due_at", "created_at", "id"], name="report_unit_queue"),
            models.Index(
                F("created_at").desc(), F("id").desc(), condition=PUBLIC_ROWS, name="report_public_newest"
            ),
            *(  # the public list filtered by one of these, newest first
                models.Index(
                    column,
                    F("created_at").desc(),
                    F("id").desc(),
                    condition=PUBLIC_ROWS,
                    name=f"report_public_{column}",
                )
                for column in ("category", "region", "agency")
            ),
            # The verifiers' "returned" queue: few rows among every submitted one (ADR 0024).
            models.Index(
                fields=["due_at", "created_at", "id"],
                condition=Q(status="submitted", decline_count__gt=0),
                name="report_returned_queue",
            ),
            # A staff list of one status, newest first (an agency's `GET /reports?status=`): without
            # it the list read `created_at` backwards and skipped thousands of other statuses at 10M.
            models.Index("status", F("created_at").desc(), F("id").desc(), name="report_status_newest"),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter_newest"),
            models.Index(fields=["next_escalation_at"], name="report_next_escalation"),
            models.Index(fields=["remind_at"], name="report_remind_at"),
            # What changed since the public search index's last sync, every few seconds (ADR 0035):
            # without it each sync read the whole table (11–33 s at 10M reports).
            models.Index(fields=["updated_at"], name="report_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_ref"],
                condition=Q(external_ref__isnull=False),
                name="report_external_ref_unique_per_channel",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="report_rating_1_5"
            ),
            models.CheckConstraint(condition=Q(escalation_level__lte=3), name="report_escalation_max_3"),
            models.CheckConstraint(condition=Q(reopen_count__lte=2), name="report_reopen_max_2"),
            models.CheckConstraint(
                condition=~Q(status="archived") | ~Q(archive_reason=""), name="report_archived_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["routed", "in_progress", "responded"]) | Q(agency__isnull=False),
                name="report_handled_has_agency",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="report_closed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_id

    @property
    def is_public(self) -> bool:
        """Mirrors `selectors.PUBLIC` for one loaded row."""
        return not self.confidential and self.verified_at is not None and self.status != Status.ARCHIVED


class ReporterIdentity(models.Model):
    """Who filed the report. Kept in its own table and read only through `reports.privacy`, which
    decides per viewer and logs every look at an anonymous reporter."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    name = models.CharField(_("nama"), max_length=150, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)

    class Meta:
        ordering = ["report_id"]
        verbose_name = _("identitas pelapor")
        verbose_name_plural = _("identitas pelapor")

    def __str__(self) -> str:
        return f"identity of {self.report_id}"


@dataclass(frozen=True)
class Receipt:
    """What a filing accepted into the journal answers with before its report exists (ADR 0033): the
    tracking id and the status every answer and reply names. Not a `Report`: an unsaved one, built for
    these two fields, cost a tenth of an acceptance's CPU, and would look like a report it is not."""

    tracking_id: str
    status: Status = Status.SUBMITTED


class PendingFiling(models.Model):
    """A filing accepted but not yet written out (ADR 0033): the validated draft, held for the
    seconds until the worker writes its report, identity, timeline and announcement in a batch. It
    holds the reporter's identity, so, like ReporterIdentity, only `reports.journal` reads it."""

    tracking_id = models.CharField(max_length=16, unique=True)
    channel = models.CharField(max_length=40)
    external_ref = models.CharField(max_length=120, null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    access_code_digest = models.CharField(max_length=64, blank=True)
    draft = models.JSONField()  # the ReportDraft's fields, with the identity as resolved at filing
    accepted_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_ref"],
                condition=Q(external_ref__isnull=False),
                name="pending_external_ref_unique_per_channel",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_id

    @staticmethod
    def in_use() -> bool:
        """Filings go through the journal only with a worker to write them out: the immediate backend
        (tests, scripts) files at once."""
        return bool(settings.LAPOR_INTAKE_JOURNAL) and by_worker()

    def receipt(self) -> Receipt:
        return Receipt(self.tracking_id)


class IdentityAccess(models.Model):
    """Append-only record of every time a national verifier saw an anonymous reporter's identity."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_accesses")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    surface = models.CharField(max_length=40)
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw identity of {self.report_id} via {self.surface}"


class TimelineEvent(models.Model):
    """One action on a report: who, what, from/to status, the public message and the internal note.
    Written by the service in the same transaction as the change it records."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Publik")
        INTERNAL = "internal", _("Internal")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(
        max_length=20,
        choices=[("submit", _("Laporan dibuat")), *Action.choices, ("note", _("Catatan internal"))],
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=20, choices=Actor.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # event_agency_action_time (ADR 0037)
    )
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=24, blank=True)
    message = models.TextField(blank=True)  # shown to the reporter and, on public reports, to everyone
    note = models.TextField(blank=True)  # staff only
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["agency", "action", "created_at"], name="event_agency_action_time")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action} {self.from_status}->{self.to_status}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"{instance.report.created_at:%Y/%m}/{instance.report.tracking_id}/{filename}"


class Attachment(models.Model):
    """A file given with a report or a follow-up. The type is sniffed from the content; images are
    re-encoded without metadata; the file lives outside the web root (see `reports.attachments`)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        TimelineEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by_role = models.CharField(max_length=20, choices=Actor.choices, default=Actor.REPORTER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Support(models.Model):
    """A citizen's "dukung" of a public report: once per person."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="support_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.report_id}"
