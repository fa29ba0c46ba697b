"""Filing a report, from any channel. Everything is validated before anything is written; the
report, its identity, attachments and first timeline event commit together or not at all; a retried
push with the same (channel, external_ref) returns the report already stored."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError
from django.utils import timezone

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency, Category
from lapor.agencies.selectors import agency_by_code, category_by_code
from lapor.core import batch, clock
from lapor.core.errors import Invalid
from lapor.core.ids import new_tracking_id
from lapor.core.models import hash_secret
from lapor.core.refcache import Reference
from lapor.geo.models import Region
from lapor.reports.access import new_access_code
from lapor.reports.attachments import CleanFile, check_report_quota, clean_upload, store_attachments
from lapor.reports.clock import due_in, schedule
from lapor.reports.events import announce
from lapor.reports.models import (
    Attachment,
    Kind,
    PendingFiling,
    Receipt,
    Report,
    ReporterIdentity,
    TimelineEvent,
)
from lapor.reports.services._validate import storable_text
from lapor.reports.workflow import Actor, Status
from lapor.sla.policy import SlaPolicy, current_policy

__all__ = ["ReportDraft", "Submitted", "report_submit"]

BODY_MIN, BODY_MAX = 20, 10_000


@dataclass(frozen=True)
class ReportDraft:
    body: str
    kind: str = Kind.COMPLAINT
    title: str = ""
    incident_date: date | None = None
    region: str | None = None
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    category: str | None = None
    target_agency: str | None = None
    tags: Sequence[str] = field(default_factory=tuple)
    anonymous: bool = False
    confidential: bool = False
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    channel: str = "web"
    external_ref: str | None = None


@dataclass(frozen=True)
class Submitted:
    report: Report | Receipt  # a receipt while the filing waits in the intake journal (ADR 0033)
    access_code: str | None  # for guests only, shown once
    created: bool = True


@dataclass(frozen=True)
class _Resolved:
    region: Region | None
    category: Category | None
    agency: Agency | None


# Every filing names a region: read it from this process's copy (categories and agencies: agencies.selectors).
_region: Reference[str, Region] = Reference(
    lambda code: Region.objects.filter(code=code).first(), models=(Region,), ttl=300
)


def _resolve(draft: ReportDraft) -> _Resolved:
    if draft.kind not in Kind.values:
        raise Invalid("Jenis laporan tidak dikenal.", code="invalid_choice", field="kind")
    for name in (
        "title",
        "body",
        "address",
        "reporter_name",
        "reporter_email",
        "reporter_phone",
        "external_ref",
    ):
        storable_text(getattr(draft, name) or "", field=name)
    for tag in draft.tags:
        storable_text(tag, field="tags")
    body = draft.body.strip() if draft.body else ""
    if not BODY_MIN <= len(body) <= BODY_MAX:
        raise Invalid(
            f"Isi laporan harus {BODY_MIN} sampai {BODY_MAX} karakter.", code="invalid_length", field="body"
        )
    if len(draft.title) > 200:
        raise Invalid("Judul maksimal 200 karakter.", code="too_long", field="title")
    if draft.incident_date and draft.incident_date > timezone.localdate():
        raise Invalid(
            "Tanggal kejadian tidak boleh di masa depan.", code="future_date", field="incident_date"
        )
    if (draft.lat is None) != (draft.lon is None):
        raise Invalid("Lintang dan bujur harus diisi bersama.", code="invalid", field="lat")
    if draft.lat is not None and not -90 <= draft.lat <= 90:
        raise Invalid("Lintang harus antara -90 dan 90.", code="out_of_range", field="lat")
    if draft.lon is not None and not -180 <= draft.lon <= 180:
        raise Invalid("Bujur harus antara -180 dan 180.", code="out_of_range", field="lon")
    if len(draft.tags) > 10 or any(len(tag) > 40 for tag in draft.tags):
        raise Invalid("Maksimal 10 tag, masing-masing 40 karakter.", code="invalid", field="tags")
    region = category = agency = None
    if draft.region:
        region = _region(draft.region)
        if region is None:
            raise Invalid("Kode wilayah tidak dikenal.", code="unknown_region", field="region")
    if draft.category:
        category = category_by_code(draft.category)
        if category is None:
            raise Invalid("Kode kategori tidak dikenal.", code="unknown_category", field="category")
    if draft.target_agency:
        agency = agency_by_code(draft.target_agency)
        if agency is None or not agency.active:
            raise Invalid("Kode instansi tidak dikenal.", code="unknown_agency", field="target_agency")
    return _Resolved(region=region, category=category, agency=agency)


def _identity(draft: ReportDraft, actor: Viewer) -> ReporterIdentity:
    email, phone = draft.reporter_email.strip(), draft.reporter_phone.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Invalid("Alamat surel tidak valid.", code="invalid_email", field="reporter_email") from exc
    if phone and not (7 <= sum(ch.isdigit() for ch in phone) <= 15 and set(phone) <= set("+0123456789 -()")):
        raise Invalid("Nomor telepon tidak valid.", code="invalid_phone", field="reporter_phone")
    if actor.user is not None:
        user = actor.user
        return ReporterIdentity(
            name=draft.reporter_name.strip() or user.display_name,
            email=email or user.email,
            phone=phone or user.phone,
        )
    name = draft.reporter_name.strip()
    if not name:
        raise Invalid("Nama pelapor wajib diisi.", code="required", field="reporter_name")
    if len(name) > 150:
        raise Invalid("Nama maksimal 150 karakter.", code="too_long", field="reporter_name")
    if not (email or phone):
        raise Invalid(
            "Isi surel atau nomor telepon agar kami dapat menghubungi Anda.",
            code="required",
            field="reporter_email",
        )
    return ReporterIdentity(name=name, email=email, phone=phone)


def _checked(draft: ReportDraft, actor: Viewer) -> tuple[_Resolved, ReporterIdentity, str | None]:
    """Every check of the draft and its reporter, and a guest's access code: a filing written at once
    and one accepted into the journal (ADR 0033) pass the same checks."""
    return _resolve(draft), _identity(draft, actor), None if actor.user else new_access_code()


def _existing(draft: ReportDraft) -> Report | Receipt | None:
    """The report already stored under this draft's (channel, external_ref), or the filing on its way
    (ADR 0033) as its receipt."""
    if not draft.external_ref:
        return None
    report = Report.objects.filter(channel=draft.channel, external_ref=draft.external_ref).first()
    if report is None and PendingFiling.in_use():
        row = PendingFiling.objects.filter(channel=draft.channel, external_ref=draft.external_ref).first()
        return row.receipt() if row is not None else None
    return report


def report_submit(
    *, draft: ReportDraft, actor: Viewer, files: Sequence[UploadedFile | CleanFile] = ()
) -> Submitted:
    """`files` are uploads, cleaned here, or files a channel has cleaned already (e-mail intake leaves
    out a file that fails, where a form refuses the whole filing)."""
    if (existing := _existing(draft)) is not None:
        return Submitted(report=existing, access_code=None, created=False)
    resolved, identity, access_code = _checked(draft, actor)
    # Count and total first, so an oversized batch is refused before any file is decoded or scanned.
    check_report_quota(report=None, sizes=[_size(file) for file in files])
    cleaned = [file if isinstance(file, CleanFile) else clean_upload(file) for file in files]
    attempts_left = TRACKING_ID_ATTEMPTS
    while True:
        tracking_id = new_tracking_id()
        try:
            report = _create(draft, resolved, identity, cleaned, actor, access_code, tracking_id)
        except IntegrityError:
            # Two pushes of the same external_ref raced: the one that won is the report.
            if (existing := _existing(draft)) is not None:
                return Submitted(report=existing, access_code=None, created=False)
            attempts_left -= 1
            if attempts_left and _taken(tracking_id):
                continue  # everything rolled back with it: draw again
            raise
        return Submitted(report=report, access_code=access_code)


# 30^7 tracking ids: at ten million reports one filing in about two thousand draws one already taken
# (ADR 0031). The unique index catches it and the filing draws again, so only the rare case pays.
TRACKING_ID_ATTEMPTS = 5


def _taken(tracking_id: str) -> bool:
    return Report.objects.filter(tracking_id=tracking_id).exists()


def _size(file: UploadedFile | CleanFile) -> int:
    return len(file.content) if isinstance(file, CleanFile) else file.size or 0


def new_report(
    draft: ReportDraft,
    resolved: _Resolved,
    *,
    actor: Viewer,
    access_code: str | None,
    policy: SlaPolicy,
    now: datetime,
    tracking_id: str | None = None,
) -> Report:
    """The unsaved report for a validated draft, with its frozen policy and first deadlines: one
    definition for single filings and batches alike."""
    report = Report(
        tracking_id=tracking_id or new_tracking_id(),
        kind=draft.kind,
        title=draft.title.strip(),
        body=draft.body.strip(),
        incident_date=draft.incident_date,
        region=resolved.region,
        address=draft.address.strip()[:300],
        lat=draft.lat,
        lon=draft.lon,
        category=resolved.category,
        tags=[tag.strip() for tag in draft.tags if tag.strip()],
        target_agency_hint=resolved.agency,
        channel=draft.channel,
        external_ref=draft.external_ref or None,
        anonymous=draft.anonymous,
        confidential=draft.confidential,
        reporter=actor.user,
        access_code_digest=hash_secret(access_code) if access_code else "",
        status=Status.SUBMITTED,
        sla_policy=policy.as_dict(),
        created_at=now,
    )
    report.verify_due_at = due_in(report, policy.verify_days, start=now)
    report.due_at = report.verify_due_at
    schedule(report)
    return report


def _create(
    draft: ReportDraft,
    resolved: _Resolved,
    identity: ReporterIdentity,
    cleaned: list[CleanFile],
    actor: Viewer,
    access_code: str | None,
    tracking_id: str,
) -> Report:
    stored: list[Attachment] = []
    try:
        # The rows go to the database together, with the receipt and rollups (ADR 0032).
        with batch.held():
            now = clock.now()
            policy = current_policy(kind=draft.kind)
            report = new_report(
                draft,
                resolved,
                actor=actor,
                access_code=access_code,
                policy=policy,
                now=now,
                tracking_id=tracking_id,
            )
            identity.report = report
            event = TimelineEvent(
                report=report,
                action="submit",
                actor=actor.user,
                actor_role=Actor.REPORTER,
                to_status=Status.SUBMITTED,
                message="",
                created_at=now,
                data={"channel": draft.channel},
            )
            batch.insert(report, identity, event)
            store_attachments(
                report=report, event=event, cleaned=cleaned, role=Actor.REPORTER, written=stored
            )
            announce(event)
    except BaseException:
        for attachment in stored:  # nothing half-written survives: files go with the rolled-back rows
            attachment.file.delete(save=False)
        raise
    return report
