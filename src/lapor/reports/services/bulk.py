"""Filing many reports at once (paper and walk-in batches, bulk imports): the same rules as
`report_submit`, row by row, but written in chunks with one INSERT per table, so ten thousand letters
take seconds. Every report still gets its identity, its frozen SLA policy, its deadlines, its submit
event and its announcement, exactly as if it had been filed alone. A row that already exists under
(channel, external_ref) is returned, not duplicated; within one batch the first copy wins."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import IntegrityError

from lapor.agencies.access import Viewer
from lapor.core import batch, clock
from lapor.core.errors import ApplicationError
from lapor.reports.access import new_access_code
from lapor.reports.events import announce
from lapor.reports.models import Report, ReporterIdentity, TimelineEvent
from lapor.reports.services.submit import (
    ReportDraft,
    Submitted,
    _identity,
    _resolve,
    _Resolved,
    new_report,
    report_submit,
)
from lapor.reports.workflow import Actor, Status
from lapor.sla.policy import SlaPolicy, current_policy

__all__ = ["BulkOutcome", "report_submit_many", "write_reports"]


@dataclass(frozen=True)
class BulkOutcome:
    """One per draft, in order: `submitted` when stored (or found), `error` when refused."""

    submitted: Submitted | None = None
    error: ApplicationError | None = None


def report_submit_many(*, drafts: Sequence[ReportDraft], actor: Viewer) -> list[BulkOutcome]:
    """No attachments here: batches carry text. One transaction for the whole batch; callers chunk."""
    outcomes: list[BulkOutcome | None] = [None] * len(drafts)
    existing = _existing(drafts)
    first_of: dict[tuple[str, str], int] = {}
    pending: list[tuple[int, Report, ReporterIdentity, str | None]] = []
    now = clock.now()
    policies: dict[str, SlaPolicy] = {}
    lookups = _Lookups()
    for index, draft in enumerate(drafts):
        ref = (draft.channel, draft.external_ref) if draft.external_ref else None
        if ref is not None and ref in existing:
            outcomes[index] = BulkOutcome(
                submitted=Submitted(report=existing[ref], access_code=None, created=False)
            )
            continue
        if ref is not None and ref in first_of:
            continue  # resolved below, once the first copy has its row
        try:
            resolved = lookups.resolve(draft)
            identity = _identity(draft, actor)
        except ApplicationError as exc:
            outcomes[index] = BulkOutcome(error=exc)
            continue
        if ref is not None:
            first_of[ref] = index
        policy = policies.get(draft.kind) or current_policy(kind=draft.kind)
        policies[draft.kind] = policy
        access_code = None if actor.user else new_access_code()
        report = new_report(draft, resolved, actor=actor, access_code=access_code, policy=policy, now=now)
        pending.append((index, report, identity, access_code))
    if pending:
        try:
            write_reports([(report, identity) for _index, report, identity, _code in pending])
        except IntegrityError:
            # A concurrent push took some external_ref first, or a tracking id was drawn twice (ADR
            # 0031): file these one by one instead, where each draws again.
            for index, _report, _identity_row, _code in pending:
                outcomes[index] = _one(drafts[index], actor)
            pending = []
    for index, report, _identity_row, access_code in pending:
        outcomes[index] = BulkOutcome(submitted=Submitted(report=report, access_code=access_code))
    for index, draft in enumerate(drafts):
        if outcomes[index] is None:  # a repeat inside this batch: the first copy's report
            first = outcomes[first_of[(draft.channel, draft.external_ref or "")]]
            assert first is not None  # nosec B101  # type narrowing; the first copy was filled above
            outcomes[index] = (
                BulkOutcome(
                    submitted=Submitted(report=first.submitted.report, access_code=None, created=False)
                )
                if first.submitted is not None
                else first
            )
    return [outcome for outcome in outcomes if outcome is not None]


class _Lookups:
    """`_resolve` with its three reference lookups answered from memory after the first time: a batch
    names the same few regions, categories and agencies over and over."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str | None, str | None, str | None], _Resolved] = {}

    def resolve(self, draft: ReportDraft) -> _Resolved:
        key = (draft.region, draft.category, draft.target_agency)
        if key not in self.seen:
            self.seen[key] = _resolve(draft)  # the full rules, lookups included, once per combination
            return self.seen[key]
        _resolve(replace(draft, region=None, category=None, target_agency=None))  # every other rule
        return self.seen[key]


def _existing(drafts: Sequence[ReportDraft]) -> dict[tuple[str, str], Report]:
    by_channel: dict[str, set[str]] = {}
    for draft in drafts:
        if draft.external_ref:
            by_channel.setdefault(draft.channel, set()).add(draft.external_ref)
    found: dict[tuple[str, str], Report] = {}
    for channel, refs in by_channel.items():
        for report in Report.objects.filter(channel=channel, external_ref__in=list(refs)):
            assert report.external_ref is not None  # nosec B101  # type narrowing; filtered by external_ref
            found[(channel, report.external_ref)] = report
    return found


def write_reports(rows: list[tuple[Report, ReporterIdentity]], *, bulk: bool = True) -> None:
    """Unsaved reports with their identities, and each one's submit event (by its reporter, at its
    `created_at`) and announcement. `bulk` marks the events of a bulk filing; the intake journal's
    write-out (ADR 0033) passes False, as its reports were filed one by one."""
    # The rows and the announcements' writes (receipts, rollups) are held and sent together (ADR
    # 0032): as plain values, where `bulk_create` would build them into arrays one value at a time.
    with batch.held():
        events = []
        for report, identity in rows:
            identity.report = report
            events.append(
                TimelineEvent(
                    report=report,
                    action="submit",
                    actor_id=report.reporter_id,
                    actor_role=Actor.REPORTER,
                    to_status=Status.SUBMITTED,
                    message="",
                    created_at=report.created_at,
                    data={"channel": report.channel, "batch": True} if bulk else {"channel": report.channel},
                )
            )
        batch.insert(
            *(report for report, _identity in rows), *(identity for _report, identity in rows), *events
        )
        for event in events:
            announce(event)


def _one(draft: ReportDraft, actor: Viewer) -> BulkOutcome:
    try:
        return BulkOutcome(submitted=report_submit(draft=draft, actor=actor))
    except ApplicationError as exc:
        return BulkOutcome(error=exc)
