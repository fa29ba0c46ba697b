"""What one viewer may do with one report: the capacities (`Actor`s) they hold on it. Fails closed:
no matching row means no capacity, and a viewer who cannot see a report is told it does not exist."""

import hmac
import secrets

from lapor.agencies.access import Viewer
from lapor.core.ids import random_chars
from lapor.core.models import hash_secret
from lapor.reports.models import PendingFiling, Report
from lapor.reports.workflow import Actor, Status

__all__ = ["access_code_matches", "can_view", "capacities_on", "new_access_code"]


def new_access_code() -> str:
    """A guest's secret for one report: shown once, stored only as a digest."""
    return random_chars(10, secrets.token_bytes)


def access_code_matches(report: Report | PendingFiling, access_code: str | None) -> bool:
    """A guest's secret code stands in for an account, for this one report only."""
    if not access_code or not report.access_code_digest:
        return False
    return hmac.compare_digest(report.access_code_digest, hash_secret(access_code.strip().upper()))


def capacities_on(viewer: Viewer, report: Report, *, access_code: str | None = None) -> frozenset[Actor]:
    held: set[Actor] = set()
    if viewer.is_system:
        held.add(Actor.SYSTEM)
    if viewer.is_verifier:
        held.add(Actor.VERIFIER)
    if report.agency_id is not None and report.agency_id in viewer.admin_agency_ids:
        held.add(Actor.AGENCY_ADMIN)
    if report.status == Status.SUBMITTED and report.target_agency_hint_id in viewer.direct_intake_agency_ids:
        held.add(Actor.AGENCY_ADMIN)
    if report.unit_id is not None and report.unit_id in viewer.officer_unit_ids:
        held.add(Actor.UNIT_OFFICER)
    is_own = viewer.user is not None and report.reporter_id == viewer.user.pk
    if is_own or access_code_matches(report, access_code):
        held.add(Actor.REPORTER)
    return frozenset(held)


def can_view(viewer: Viewer, report: Report, capacities: frozenset[Actor]) -> bool:
    """Same rule as `selectors.reports_visible_to`, for a row already loaded."""
    return bool(
        capacities
        or report.is_public
        or viewer.sees_everything
        or (report.agency_id is not None and report.agency_id in viewer.supervised_agency_ids)
    )
