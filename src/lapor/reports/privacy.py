"""The only door to a reporter's identity. Every surface (API, pages, exports, Open311) asks here.

- the reporter sees their own identity;
- a national verifier sees it, and each look at an ANONYMOUS reporter is written to IdentityAccess and
  to the tamper-evident audit chain, in one transaction, here and nowhere else;
- nobody else ever sees an anonymous reporter: not the handling agency, not supervisors, not the public;
- for a named report, the staff handling it see name and contact; the public sees the name only.
"""

from dataclasses import dataclass

from django.db import transaction

from lapor.audit.services import audit_record
from lapor.core.models import User
from lapor.reports.models import Attachment, IdentityAccess, Report, ReporterIdentity
from lapor.reports.selectors import ReportAccess
from lapor.reports.workflow import Actor

__all__ = ["ReporterView", "attachment_served", "attachments_visible", "reporter_for"]


@dataclass(frozen=True)
class ReporterView:
    name: str
    email: str | None = None
    phone: str | None = None


def reporter_for(access: ReportAccess, *, surface: str) -> ReporterView | None:
    report, viewer = access.report, access.viewer
    is_reporter = Actor.REPORTER in access.capacities
    if report.anonymous and not (is_reporter or viewer.is_verifier):
        return None
    identity = access.identity or ReporterIdentity.objects.filter(report=report).first()
    if identity is None:
        return None
    if is_reporter or viewer.is_verifier or access.is_handler:
        if report.anonymous and not is_reporter and viewer.user is not None:
            _identity_seen(report, viewer.user, surface)
        return ReporterView(name=identity.name, email=identity.email or None, phone=identity.phone or None)
    return ReporterView(name=identity.name)


def _identity_seen(report: Report, user: User, surface: str) -> None:
    """The reporter's own history (IdentityAccess) and the chain get the same look, or neither does."""
    with transaction.atomic():
        IdentityAccess.objects.create(report=report, viewer=user, surface=surface)
        audit_record(
            action="identity.view",
            actor=user,
            target_type="report",
            target_id=report.tracking_id,
            payload={"surface": surface},
        )


def attachment_served(access: ReportAccess, attachment: Attachment, *, surface: str) -> None:
    """Staff downloading a reporter's file is recorded: a photo can identify whoever took it."""
    viewer = access.viewer
    if viewer.user is None or Actor.REPORTER in access.capacities or not viewer.is_staff_member:
        return
    audit_record(
        action="attachment.download",
        actor=viewer.user,
        target_type="report",
        target_id=access.report.tracking_id,
        payload={"attachment": attachment.pk, "surface": surface, "anonymous": access.report.anonymous},
    )


def attachments_visible(access: ReportAccess) -> bool:
    """A photo can identify whoever took it: the public sees the files of named reports only."""
    report = access.report
    return bool(access.is_handler or Actor.REPORTER in access.capacities or not report.anonymous)
