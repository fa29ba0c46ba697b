"""Officer work queues: which queues a viewer has, what is in each and how many. Every queue is a
filter on top of `reports_visible_to`, so a queue can never show a report its viewer may not see.

Queues by role (issue 3): the verifier's new / on hold / declined-back; the agency's incoming /
in progress / overdue / answered; the unit officer's assigned reports; the supervisor's overdue and
escalated reports across their scope. Deadlines are the stored `due_at` (ADR 0003), never recomputed."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lapor.agencies.access import Viewer
from lapor.core.errors import NotFound
from lapor.core.keyset import Key, bounded_count, order
from lapor.reports.models import Report
from lapor.reports.selectors import ReportFilters, reports_visible_to
from lapor.reports.workflow import OPEN_STATUSES, Status

__all__ = ["KEYS", "SORTS", "Queue", "queue_counts", "queue_for", "queue_reports", "queues_for"]

# Statuses in which the agency (or its unit) owes the next step.
AGENCY_OWES = [Status.ROUTED, Status.IN_PROGRESS]
OPEN = sorted(OPEN_STATUSES)


@dataclass(frozen=True)
class Queue:
    key: str
    label: str | Promise
    role: str  # verifier, agency_admin, unit_officer, supervisor: who the queue is for
    condition: Callable[[Viewer, datetime], Q]
    # Bulk actions offered on this queue (through the same services, one report at a time).
    bulk: tuple[str, ...] = ()
    # The parts of what its viewer sees that every row of the queue lies in (`selectors.visibility_q`):
    # visibility is then tested by those alone, which an index can read.
    within: tuple[str, ...] = ()

    def q(self, viewer: Viewer, now: datetime) -> Q:
        return self.condition(viewer, now)


def _agency(viewer: Viewer) -> Q:
    return Q(agency_id__in=viewer.admin_agency_ids)


def _scope(viewer: Viewer) -> Q:
    """A supervisor's scope: everything for nationwide bodies, else the supervised agencies."""
    return Q() if viewer.supervises_all else Q(agency_id__in=viewer.supervised_agency_ids)


QUEUES: tuple[Queue, ...] = (
    Queue(
        "baru",
        _("Laporan baru"),
        "verifier",
        lambda v, now: Q(status=Status.SUBMITTED, decline_count=0),
        bulk=("route", "archive"),
    ),
    Queue("ditunda", _("Ditunda"), "verifier", lambda v, now: Q(status=Status.ON_HOLD), bulk=("archive",)),
    Queue(
        "dikembalikan",
        _("Dikembalikan instansi"),
        "verifier",
        lambda v, now: Q(status=Status.SUBMITTED, decline_count__gt=0),
        bulk=("route", "archive"),
    ),
    Queue(
        "masuk",
        pgettext_lazy("antrean", "Masuk"),
        "agency_admin",
        lambda v, now: (
            (_agency(v) & Q(status=Status.ROUTED))
            | Q(status=Status.SUBMITTED, target_agency_hint_id__in=v.direct_intake_agency_ids)
        ),
        within=("agency", "intake"),
    ),
    Queue(
        "diproses",
        _("Diproses"),
        "agency_admin",
        lambda v, now: _agency(v) & Q(status=Status.IN_PROGRESS),
        within=("agency",),
    ),
    Queue(
        "terlambat-instansi",
        _("Terlambat"),
        "agency_admin",
        lambda v, now: _agency(v) & Q(status__in=AGENCY_OWES, due_at__lt=now),
        within=("agency",),
    ),
    Queue(
        "dijawab",
        _("Sudah dijawab"),
        "agency_admin",
        lambda v, now: _agency(v) & Q(status=Status.RESPONDED),
        within=("agency",),
    ),
    Queue(
        "unit",
        _("Ditugaskan ke unit"),
        "unit_officer",
        lambda v, now: Q(unit_id__in=v.officer_unit_ids, status__in=AGENCY_OWES),
        within=("unit",),
    ),
    Queue(
        "terlambat",
        _("Terlambat"),
        "supervisor",
        lambda v, now: _scope(v) & Q(status__in=OPEN, due_at__lt=now),
        within=("supervised",),  # or all of them: a nationwide supervisor sees everything
    ),
    Queue(
        "eskalasi",
        _("Dieskalasi"),
        "supervisor",
        lambda v, now: _scope(v) & Q(status__in=OPEN, escalation_level__gt=0),
        within=("supervised",),  # or all of them: a nationwide supervisor sees everything
    ),
)


def _has_role(viewer: Viewer, role: str) -> bool:
    return {
        "verifier": viewer.is_verifier,
        "agency_admin": bool(viewer.admin_agency_ids),
        "unit_officer": bool(viewer.officer_unit_ids),
        "supervisor": bool(viewer.supervises_all or viewer.supervised_agency_ids),
    }[role]


def queues_for(viewer: Viewer) -> list[Queue]:
    """The queues of every role the viewer holds, in a fixed order."""
    return [queue for queue in QUEUES if _has_role(viewer, queue.role)]


def queue_for(viewer: Viewer, key: str) -> Queue:
    """One of the viewer's queues; NotFound for a queue of a role they do not hold."""
    for queue in queues_for(viewer):
        if queue.key == key:
            return queue
    raise NotFound("Antrean tidak ditemukan.")


# Sort keys a queue page offers: the most urgent first by default. Each ends with the primary key, so
# the order is total and a keyset cursor can seek in it (ADR 0022).
KEYS: dict[str, tuple[Key, ...]] = {
    "tenggat": (Key("due_at", nullable=True), Key("created_at"), Key("id")),
    "terbaru": (Key("created_at", desc=True), Key("id", desc=True)),
    "terlama": (Key("created_at"), Key("id")),
    "dukungan": (Key("supporters_count", desc=True), Key("created_at", desc=True), Key("id", desc=True)),
}
SORTS: dict[str, list[OrderBy]] = {name: order(keys) for name, keys in KEYS.items()}


def queue_reports(
    *,
    viewer: Viewer,
    key: str,
    filters: ReportFilters | None = None,
    sort: str = "tenggat",
    now: datetime | None = None,
) -> QuerySet[Report]:
    queue = queue_for(viewer, key)
    visible = reports_visible_to(viewer=viewer, filters=filters, within=queue.within)
    qs = visible.filter(queue.q(viewer, now or timezone.now()))
    return qs.order_by(*SORTS.get(sort, SORTS["tenggat"]))


def queue_counts(*, viewer: Viewer, now: datetime | None = None) -> dict[str, tuple[int, bool]]:
    """How many reports each of the viewer's queues holds, as `keyset.bounded_count` gives it (up to
    COUNT_CAP, and whether that is all). One short query per queue, each stopping at the cap, so a long
    queue costs what a short one does; one exact aggregate over every queue took 223 ms at 10M reports
    (ADR 0024)."""
    moment = now or timezone.now()
    return {
        queue.key: bounded_count(
            reports_visible_to(viewer=viewer, within=queue.within).filter(queue.q(viewer, moment))
        )
        for queue in queues_for(viewer)
    }
