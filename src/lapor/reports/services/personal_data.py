"""A reporter's personal data in the Report aggregate: what they may take away, and how a report
forgets who filed it (account deletion and the retention command, ADR 0018).

De-identifying a report removes everything that points at a person and keeps the public record: the
identity row goes, the account link and the guest's access code are cut, the reporter's own
timeline entries lose their actor, and the files the reporter uploaded are deleted (a photo can show
a face, a house or a plate). The body, the answers and the timeline stay: they are the record of
how a public service handled a complaint."""

from typing import Any

from django.db import transaction

from lapor.agencies.access import Viewer
from lapor.core.errors import Unauthenticated
from lapor.core.models import User
from lapor.reports.access import capacities_on
from lapor.reports.models import Attachment, Report, ReporterIdentity, TimelineEvent
from lapor.reports.presenters import event_out, report_out
from lapor.reports.selectors import ReportAccess, timeline_visible_to
from lapor.reports.services.journal import filings_write_out
from lapor.reports.workflow import Actor

__all__ = ["reporter_deidentify", "reporter_release", "reporter_reports_export"]


def reporter_reports_export(*, viewer: Viewer) -> list[dict[str, Any]]:
    """Every report the viewer filed from their account, as they themselves see it: their identity,
    the timeline they may read, and the files' names (not the files; they download those one by one).
    Their filings still in the intake journal are written out first, so a report filed a second ago
    is in it too (ADR 0033)."""
    if viewer.user is None:
        raise Unauthenticated("Masuk terlebih dahulu.")
    filings_write_out(reporter=viewer.user)
    out: list[dict[str, Any]] = []
    reports = Report.objects.filter(reporter=viewer.user).select_related(
        "agency", "unit", "category", "region", "duplicate_of", "target_agency_hint"
    )
    for report in reports.order_by("created_at", "id"):
        access = ReportAccess(report=report, capacities=capacities_on(viewer, report), viewer=viewer)
        data = report_out(access, surface="export")
        data["attachments"] = [
            {
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_by": a.uploaded_by_role,
                "created_at": a.created_at,
            }
            for a in report.attachments.all()
        ]
        data["timeline"] = [event_out(event, staff=False) for event in timeline_visible_to(access)]
        data.pop("can", None)
        out.append(data)
    return out


def reporter_deidentify(*, report: Report) -> bool:
    """Make `report` forget its reporter, inside the caller's transaction. Returns whether anything
    was left to forget, so running it twice changes nothing the second time."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    changed = ReporterIdentity.objects.filter(report=locked).delete()[0] > 0
    files = list(Attachment.objects.filter(report=locked, uploaded_by_role=Actor.REPORTER))
    if files:
        Attachment.objects.filter(pk__in=[a.pk for a in files]).delete()
        names = [a.file.name for a in files if a.file.name]
        storage = files[0].file.storage

        def remove_files() -> None:
            for name in names:
                storage.delete(name)

        # Only once the rows are gone for good: a rollback must not leave rows pointing at nothing.
        transaction.on_commit(remove_files)
        changed = True
    changed |= (
        TimelineEvent.objects.filter(report=locked, actor_role=Actor.REPORTER, actor__isnull=False).update(
            actor=None
        )
        > 0
    )
    if locked.reporter_id is not None or locked.access_code_digest:
        locked.reporter = None
        locked.access_code_digest = ""
        changed = True
    if changed:  # a new updated_at: a page kept for anonymous visitors shows the change at once (ADR 0025)
        locked.save(update_fields=["reporter", "access_code_digest", "updated_at"])
    report.reporter, report.access_code_digest = None, ""
    return changed


def reporter_release(*, user: User) -> int:
    """De-identify every report `user` filed (their account is being deleted); returns how many. A
    filing of theirs still in the intake journal is written out first (ADR 0033)."""
    filings_write_out(reporter=user)
    count = 0
    for report in Report.objects.filter(reporter=user).order_by("pk"):
        count += reporter_deidentify(report=report)
    return count
