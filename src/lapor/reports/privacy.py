"""The only door to a reporter's identity. Every surface (API, pages, exports, Open311) asks here.

- the reporter sees their own identity;
- a national verifier sees it, and each look at an ANONYMOUS reporter is written to IdentityAccess;
- nobody else ever sees an anonymous reporter: not the handling agency, not supervisors, not the public;
- for a named report, the staff handling it see name and contact; the public sees the name only.
"""

from dataclasses import dataclass

from lapor.reports.models import IdentityAccess, ReporterIdentity
from lapor.reports.selectors import ReportAccess
from lapor.reports.workflow import Actor

__all__ = ["ReporterView", "attachments_visible", "reporter_for"]


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
    identity = ReporterIdentity.objects.filter(report=report).first()
    if identity is None:
        return None
    if is_reporter or viewer.is_verifier or access.is_handler:
        if report.anonymous and not is_reporter and viewer.user is not None:
            IdentityAccess.objects.create(report=report, viewer=viewer.user, surface=surface)
        return ReporterView(name=identity.name, email=identity.email or None, phone=identity.phone or None)
    return ReporterView(name=identity.name)


def attachments_visible(access: ReportAccess) -> bool:
    """A photo can identify whoever took it: the public sees the files of named reports only."""
    report = access.report
    return bool(access.is_handler or Actor.REPORTER in access.capacities or not report.anonymous)
