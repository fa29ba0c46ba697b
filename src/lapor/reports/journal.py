"""The intake journal's rows and the report each will become (ADR 0033). One definition, used by the
write-out and by the reporter's own view of a filing not yet written out, so both show the same
report: same deadlines (from the moment it was accepted), same fields."""

from dataclasses import fields
from datetime import date
from typing import Any

from lapor.agencies.access import Viewer
from lapor.agencies.selectors import agency_by_code, category_by_code
from lapor.core.errors import NotFound
from lapor.core.ids import normalize_tracking_id
from lapor.reports.access import access_code_matches
from lapor.reports.models import PendingFiling, Report, ReporterIdentity
from lapor.reports.selectors import ReportAccess, report_get
from lapor.reports.services.submit import ReportDraft, _region, _Resolved, new_report
from lapor.reports.workflow import Actor
from lapor.sla.policy import SlaPolicy, current_policy

__all__ = ["draft_json", "report_of", "report_or_filing"]

_DRAFT_FIELDS = {f.name for f in fields(ReportDraft)}


def draft_json(draft: ReportDraft, identity: ReporterIdentity) -> dict[str, Any]:
    """The validated draft, with the identity as resolved at filing (a signed-in reporter's name and
    contact come from the account as it was then)."""
    data = {name: getattr(draft, name) for name in _DRAFT_FIELDS}  # plain values: no deep copy needed
    data["incident_date"] = draft.incident_date.isoformat() if draft.incident_date else None
    data["tags"] = list(draft.tags)
    data.update(reporter_name=identity.name, reporter_email=identity.email, reporter_phone=identity.phone)
    return data


def report_of(
    row: PendingFiling, *, policies: dict[str, SlaPolicy] | None = None
) -> tuple[Report, ReporterIdentity]:
    """The unsaved report and identity `row` stands for. Its references are looked up again without
    the filing's checks: a region or agency changed in the seconds since must not lose the filing."""
    data = {key: value for key, value in row.draft.items() if key in _DRAFT_FIELDS}
    incident = data.get("incident_date")
    draft = ReportDraft(
        **{
            **data,
            "incident_date": date.fromisoformat(incident) if incident else None,
            "tags": tuple(data["tags"]),
        }
    )
    resolved = _Resolved(
        region=_region(draft.region) if draft.region else None,
        category=category_by_code(draft.category) if draft.category else None,
        agency=agency_by_code(draft.target_agency) if draft.target_agency else None,
    )
    policies = {} if policies is None else policies
    if draft.kind not in policies:
        policies[draft.kind] = current_policy(kind=draft.kind)
    policy = policies[draft.kind]
    report = new_report(
        draft,
        resolved,
        actor=Viewer.public(),
        access_code=None,
        policy=policy,
        now=row.accepted_at,
        tracking_id=row.tracking_id,
    )
    report.reporter_id = row.reporter_id
    report.access_code_digest = row.access_code_digest
    report.updated_at = row.accepted_at
    identity = ReporterIdentity(
        name=draft.reporter_name, email=draft.reporter_email, phone=draft.reporter_phone
    )
    return report, identity


def report_or_filing(*, viewer: Viewer, tracking_id: str, access_code: str | None = None) -> ReportAccess:
    """`report_get`, or, for the seconds before a filing is written out, the reporter's own view of
    it: status "submitted", no timeline, no actions. Nobody else sees a filing, staff included: it
    reaches them as a report, through the selectors every report goes through."""
    try:
        return report_get(viewer=viewer, tracking_id=tracking_id, access_code=access_code)
    except NotFound:
        canonical = normalize_tracking_id(tracking_id)
        row = PendingFiling.objects.filter(tracking_id=canonical).first() if canonical else None
        if row is None or not _is_reporter(row, viewer, access_code):
            raise
    report, identity = report_of(row)
    return ReportAccess(
        report=report, capacities=frozenset({Actor.REPORTER}), viewer=viewer, identity=identity
    )


def _is_reporter(row: PendingFiling, viewer: Viewer, access_code: str | None) -> bool:
    if row.reporter_id is not None:
        return viewer.user is not None and viewer.user.pk == row.reporter_id
    return access_code_matches(row, access_code)
