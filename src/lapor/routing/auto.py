"""Automatic routing (off by default): when a report is submitted and the router's best suggestion
reaches settings.LAPOR_AUTO_ROUTE_CONFIDENCE, the system routes it, exactly as a verifier would, through
`reports.services.report_route` with `Viewer.system()`, in a background task queued once the filing has
committed. The timeline records a system decision
(actor_role "system") whose internal note gives the confidence and the reason; the verifier can still
see it, and a decline sends the report back to the verifiers' queue like any other."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django_tasks import task

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency, Unit
from lapor.core.errors import ApplicationError
from lapor.reports.events import report_event
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.services import report_route
from lapor.reports.workflow import Status

__all__ = ["auto_route", "route_if_confident", "threshold"]

logger = logging.getLogger(__name__)


def threshold() -> float | None:
    value = getattr(settings, "LAPOR_AUTO_ROUTE_CONFIDENCE", None)
    return float(value) if value not in (None, "") else None


def auto_route(report: Report) -> TimelineEvent | None:
    """Route `report` if the router is confident enough; None when it is not (or routing is off)."""
    minimum = threshold()
    if minimum is None or report.status != Status.SUBMITTED:
        return None
    from lapor.routing.suggest import suggest  # the model (scikit-learn) loads only where it is used

    suggestions = suggest(
        title=report.title,
        body=report.body,
        region=report.region_id,
        category=report.category.code if report.category else None,
        limit=1,
    )
    if not suggestions or suggestions[0].confidence < minimum:
        return None
    best = suggestions[0]
    agency = Agency.objects.filter(code=best.agency_code, active=True).first()
    if agency is None:
        return None
    unit = Unit.objects.filter(code=best.unit_code).first() if best.unit_code else None
    return report_route(
        report=report,
        agency=agency,
        unit=unit,
        actor=Viewer.system(),
        message=f"Laporan didisposisikan otomatis ke {agency.name}.",
        note=f"Disposisi otomatis oleh router (keyakinan {best.confidence:.0%}): {best.reason}",
    )


@task()
def route_if_confident(report_id: int) -> str:
    """The background half of automatic routing: the router takes about 7 ms of CPU, which the citizen
    filing the report should not wait for."""
    report = Report.objects.select_related("category").filter(pk=report_id).first()
    if report is None:
        return "missing"
    try:
        return "routed" if auto_route(report) else "left"
    except ApplicationError as exc:  # the report simply stays in the verifiers' queue
        logger.warning("automatic routing of %s skipped: %s", report.tracking_id, exc.message)
        return "skipped"


@receiver(report_event, dispatch_uid="lapor.routing.auto_route")
def on_report_event(sender: Any, event: TimelineEvent, **kwargs: Any) -> None:
    if event.action != "submit" or threshold() is None:
        return
    try:
        route_if_confident.enqueue(event.report_id)
    except Exception as exc:  # the queue is down: the report stays with the verifiers, as if unsure
        logger.warning("automatic routing of report %s not queued: %r", event.report_id, exc)
