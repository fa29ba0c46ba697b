"""The national verifier's actions: route, hold, archive, merge."""

from django.db import transaction

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency, Unit
from lapor.core import clock
from lapor.core.errors import Conflict, Forbidden, Invalid
from lapor.reports.clock import due_in, policy_of
from lapor.reports.models import Report, Support, TimelineEvent
from lapor.reports.services._validate import choice, optional_text, required_text
from lapor.reports.services.transition import Effect, transition
from lapor.reports.workflow import ARCHIVE_REASONS, Action, Actor, ArchiveReason, Status
from lapor.sla.policy import current_policy

__all__ = ["report_archive", "report_hold", "report_merge", "report_route"]


def report_route(
    *,
    report: Report,
    agency: Agency,
    actor: Viewer,
    unit: Unit | None = None,
    message: str = "",
    note: str = "",
) -> TimelineEvent:
    """Send the report to the agency that can act on it; the agency's follow-up clock starts now."""

    def apply(r: Report, acting: Actor) -> Effect:
        if not agency.active or agency.kind == Agency.Kind.NATIONAL_NODE:
            raise Invalid(
                "Instansi ini tidak dapat menerima disposisi.", code="invalid_agency", field="agency"
            )
        if acting == Actor.AGENCY_ADMIN and agency.pk not in actor.admin_agency_ids:
            raise Forbidden(
                "Admin instansi hanya dapat mendisposisikan ke instansinya sendiri.", field="agency"
            )
        if unit is not None and unit.agency_id != agency.pk:
            raise Invalid("Unit kerja bukan bagian dari instansi tujuan.", code="invalid_unit", field="unit")
        now = clock.now()
        r.agency, r.unit = agency, unit
        # The agency's own policy, as it stood when the report was filed (never a later version).
        policy = current_policy(kind=r.kind, agency=agency, at=r.created_at)
        r.sla_policy = policy.as_dict()
        r.routed_at = now
        r.verified_at = r.verified_at or now
        r.followup_due_at = due_in(r, policy.followup_days, start=now)
        resolution_days = r.category.resolution_days if r.category else 14
        r.resolution_due_at = due_in(r, resolution_days, start=now)
        r.due_at = r.followup_due_at
        return Effect(message=optional_text(message, field="message"), note=optional_text(note, field="note"))

    return transition(report=report, action=Action.ROUTE, actor=actor, apply=apply)


def report_hold(*, report: Report, actor: Viewer, message: str, note: str = "") -> TimelineEvent:
    """Ask the reporter for what is missing; the verification clock stops until they answer."""

    def apply(r: Report, acting: Actor) -> Effect:
        text = required_text(message, field="message", minimum=5)
        now = clock.now()
        r.hold_started_at = now
        r.hold_expires_at = due_in(r, policy_of(r).hold_days, start=now)
        r.due_at = r.hold_expires_at
        return Effect(message=text, note=optional_text(note, field="note"))

    return transition(report=report, action=Action.HOLD, actor=actor, apply=apply)


def report_archive(
    *, report: Report, actor: Viewer, reason: str, message: str = "", note: str = ""
) -> TimelineEvent:
    """Close without processing, with a stable reason code (duplicates go through `report_merge`)."""

    def apply(r: Report, acting: Actor) -> Effect:
        code = choice(reason, field="reason", allowed=ARCHIVE_REASONS - {ArchiveReason.DUPLICATE})
        r.archive_reason = code
        r.due_at = None
        return Effect(
            reason=code,
            message=optional_text(message, field="message"),
            note=optional_text(note, field="note"),
        )

    return transition(report=report, action=Action.ARCHIVE, actor=actor, apply=apply)


def report_merge(*, report: Report, duplicate_of: Report, actor: Viewer, note: str = "") -> TimelineEvent:
    """Archive a duplicate into the report it repeats; its reporter and supporters now support that one."""
    if duplicate_of.pk == report.pk:
        raise Invalid(
            "Laporan tidak dapat digabungkan dengan dirinya sendiri.", code="invalid", field="duplicate_of"
        )

    def apply(r: Report, acting: Actor) -> Effect:
        # Lock the surviving report too; in id order, so two opposite merges cannot deadlock.
        target = Report.objects.select_for_update(of=("self",)).get(pk=duplicate_of.pk)
        if target.status == Status.ARCHIVED or target.duplicate_of_id is not None:
            raise Conflict(
                "Laporan tujuan sudah diarsipkan.", code="invalid_merge_target", field="duplicate_of"
            )
        people = set(Support.objects.filter(report=r).values_list("user_id", flat=True))
        if r.reporter_id:
            people.add(r.reporter_id)
        people.discard(target.reporter_id)
        existing = set(Support.objects.filter(report=target).values_list("user_id", flat=True))
        Support.objects.bulk_create([Support(report=target, user_id=uid) for uid in people - existing])
        target.supporters_count = Support.objects.filter(report=target).count()
        target.save(update_fields=["supporters_count", "updated_at"])
        r.archive_reason = ArchiveReason.DUPLICATE
        r.duplicate_of = target
        r.due_at = None
        return Effect(
            reason=ArchiveReason.DUPLICATE,
            message=f"Digabungkan dengan laporan {target.tracking_id}.",
            note=optional_text(note, field="note"),
            data={"duplicate_of": target.tracking_id},
        )

    with transaction.atomic():
        first, second = sorted([report.pk, duplicate_of.pk])
        list(Report.objects.select_for_update(of=("self",)).filter(pk__in=[first, second]).order_by("pk"))
        return transition(report=report, action=Action.MERGE, actor=actor, apply=apply)
