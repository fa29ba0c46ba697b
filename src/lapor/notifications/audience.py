"""Who hears about what (issue: "tell every person what they need to know when they need to know it").

Citizens: every public change of their own reports and of reports they support. Officers: new work,
replies, deadlines tomorrow and escalations. Messages carry the tracking ID, title and what happened,
never a reporter's identity, so an officer's inbox cannot expose an anonymous reporter."""

from dataclasses import dataclass

from django.db.models import Q

from lapor.agencies.models import Membership, Role
from lapor.core.models import User
from lapor.reports.models import Report, ReporterIdentity, Support, TimelineEvent
from lapor.reports.workflow import Action, Status

__all__ = ["Recipient", "for_deadline", "for_event"]


@dataclass(frozen=True)
class Recipient:
    key: str  # which message template
    user: User | None = None
    email: str = ""
    phone: str = ""


def _members(q: Q, key: str) -> list[Recipient]:
    users = User.objects.filter(is_active=True, memberships__in=Membership.objects.filter(q)).distinct()
    return [Recipient(key=key, user=user) for user in users]


def _agency_admins(agency_id: int | None, key: str) -> list[Recipient]:
    return _members(Q(agency_id=agency_id, role=Role.AGENCY_ADMIN), key) if agency_id else []


def _unit_officers(unit_id: int | None, key: str) -> list[Recipient]:
    return _members(Q(unit_id=unit_id, role=Role.UNIT_OFFICER), key) if unit_id else []


def _verifiers(key: str) -> list[Recipient]:
    return _members(Q(role=Role.VERIFIER), key)


def _reporter(report: Report, key: str) -> list[Recipient]:
    if report.reporter_id:
        return [Recipient(key=key, user=report.reporter)]
    try:
        identity: ReporterIdentity | None = report.identity  # cached when filed in this transaction
    except ReporterIdentity.DoesNotExist:
        identity = None
    if identity and (identity.email or identity.phone):
        return [Recipient(key=key, email=identity.email, phone=identity.phone)]
    return []


def _supporters(report: Report, key: str) -> list[Recipient]:
    return [
        Recipient(key=key, user=s.user) for s in Support.objects.filter(report=report).select_related("user")
    ]


def for_event(event: TimelineEvent) -> list[Recipient]:
    report, action = event.report, event.action
    people: list[Recipient] = []
    if action == "submit":
        return _reporter(report, "receipt")
    public = event.visibility == TimelineEvent.Visibility.PUBLIC
    if public and event.actor_role != "reporter":
        people += _reporter(report, "status_changed")
        if report.is_public:
            people += _supporters(report, "supported_changed")
    match action:
        case Action.ROUTE:
            people += _agency_admins(report.agency_id, "new_work")
            people += _unit_officers(report.unit_id, "new_work")
        case Action.FORWARD:
            people += _unit_officers(report.unit_id, "new_work")
        case Action.REPLY | Action.REOPEN:
            people += _agency_admins(report.agency_id, "reporter_replied")
            people += _unit_officers(report.unit_id, "reporter_replied")
        case Action.PROVIDE_INFO | Action.DECLINE:
            people += _verifiers("back_to_verifier")
        case Action.ESCALATE:
            level = event.data.get("level", 0)
            people += _agency_admins(report.agency_id, "escalated")
            if level >= 2:
                parent = report.agency.parent_id if report.agency else None
                people += _agency_admins(parent, "escalated") + _verifiers("escalated")
            if level >= 3:
                people += _members(Q(role=Role.SUPERVISOR, agency__kind="oversight"), "escalated")
    return _unique(people)


def for_deadline(report: Report) -> list[Recipient]:
    """Whoever owes the next step is told one working day before it is due."""
    if report.status == Status.SUBMITTED:
        return _verifiers("due_tomorrow")
    if report.status in (Status.ROUTED, Status.IN_PROGRESS):
        return _unique(
            _agency_admins(report.agency_id, "due_tomorrow") + _unit_officers(report.unit_id, "due_tomorrow")
        )
    if report.status in (Status.RESPONDED, Status.ON_HOLD):
        return _reporter(report, "reporter_due_tomorrow")
    return []


def _unique(people: list[Recipient]) -> list[Recipient]:
    """One message per person: the first (most specific) reason wins."""
    seen: set[object] = set()
    result = []
    for person in people:
        identity = person.user.pk if person.user else (person.email, person.phone)
        if identity not in seen:
            seen.add(identity)
            result.append(person)
    return result
