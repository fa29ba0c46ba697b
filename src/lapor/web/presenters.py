"""How a report looks on a web page, built only from the report presenters and the privacy module.

- `public_view`: what the public may see, even when the person looking is staff (an officer reading
  the public page is the public there, so nothing is audited and no identity leaks);
- `reporter_view`: the reporter's own page (their own identity, their files);
- `workspace_view`: the officer console. An anonymous reporter is "Pelapor anonim" to everyone but
  national verifiers, and even they see the identity only on request, each look audited."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lapor.agencies.access import Viewer
from lapor.core.errors import Forbidden
from lapor.reports.models import Attachment, TimelineEvent
from lapor.reports.presenters import event_out, report_out
from lapor.reports.privacy import ReporterView, attachments_visible, reporter_for
from lapor.reports.selectors import ReportAccess, timeline_visible_to
from lapor.reports.services.note import NOTE_ACTION
from lapor.reports.workflow import Action, Actor, Status

__all__ = [
    "STEPS",
    "Step",
    "action_label",
    "public_access",
    "public_view",
    "reporter_view",
    "stepper",
    "timeline",
    "workspace_view",
]


def public_access(access: ReportAccess) -> ReportAccess:
    """The same report seen with no capacities at all: the public's view of it."""
    return ReportAccess(report=access.report, capacities=frozenset(), viewer=Viewer.public())


def _attachments(access: ReportAccess) -> list[dict[str, Any]]:
    if not attachments_visible(access):
        return []
    tracking_id = access.report.tracking_id
    files: list[Attachment] = list(access.report.attachments.all())
    return [
        {
            "name": a.name,
            "size": a.size,
            "content_type": a.content_type,
            "url": reverse("web:attachment", args=[tracking_id, a.pk]),
        }
        for a in files
    ]


def public_view(access: ReportAccess) -> dict[str, Any]:
    shown = public_access(access)
    data = report_out(shown, surface="web")
    data["attachments"] = _attachments(shown)
    return data


def reporter_view(access: ReportAccess) -> dict[str, Any]:
    # A real check, not an assert (which `python -O` strips): this view shows the reporter's own data.
    if Actor.REPORTER not in access.capacities:
        raise Forbidden("Hanya pelapor yang dapat melihat halaman ini.")
    data = report_out(access, surface="web")
    data["attachments"] = _attachments(access)
    return data


def workspace_view(access: ReportAccess, *, reveal_identity: bool = False) -> dict[str, Any]:
    """Staff handling the report. `report_out` is built from a capacity-free access so it never touches
    the identity; the identity comes from `reporter_for` only when this officer may see it."""
    report = access.report
    data = report_out(public_access(access), surface="web")
    data["attachments"] = _attachments(access)
    data["flagged"] = report.flagged
    reporter: ReporterView | None = None
    data["identity_hidden"] = False
    if not report.anonymous:
        reporter = reporter_for(access, surface="web")
    elif access.viewer.is_verifier:
        if reveal_identity:
            reporter = reporter_for(access, surface="web:reveal")
        else:
            data["identity_hidden"] = True  # the verifier may open it; each look is audited
    data["reporter"] = reporter
    return data


# Timeline entries that are not workflow actions (same msgids as the model's choices).
OTHER_LABELS = {"submit": _("Laporan dibuat"), NOTE_ACTION: _("Catatan internal")}


def action_label(action: str) -> str:
    return str(OTHER_LABELS[action]) if action in OTHER_LABELS else str(Action(action).label)


def timeline(access: ReportAccess, *, staff: bool) -> list[dict[str, Any]]:
    """The timeline as the page shows it; the public page passes staff=False and gets public events."""
    events = timeline_visible_to(access)
    out = []
    for event in events:
        if not staff and event.visibility != TimelineEvent.Visibility.PUBLIC:
            continue
        row = event_out(event, staff=staff)
        row["label"] = action_label(event.action)
        row["actor_role_label"] = str(Actor(event.actor_role).label)
        row["to_status_label"] = str(Status(event.to_status).label)
        row["agency_name"] = event.agency.name if event.agency else None
        row["unit_name"] = event.unit.name if event.unit else None
        out.append(row)
    return out


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # done, current, todo


STEPS = (
    ("submitted", Status.SUBMITTED),
    ("routed", Status.ROUTED),
    ("in_progress", Status.IN_PROGRESS),
    ("responded", Status.RESPONDED),
    ("closed", Status.CLOSED),
)


def stepper(status: str) -> list[Step]:
    """The five steps a report walks; on hold sits on the first step, archived ends after it."""
    order = [key for key, _ in STEPS]
    position = {"on_hold": 0, "archived": 0}.get(status, order.index(status) if status in order else 0)
    steps = []
    for index, (key, label_status) in enumerate(STEPS):
        label = str(label_status.label)
        if index == 0 and status in {"on_hold", "archived"}:
            label = str(Status(status).label)
        state = "done" if index < position else "current" if index == position else "todo"
        if status == "closed" and index == position:
            state = "done"
        steps.append(Step(key=key, label=label, state=state))
    return steps
