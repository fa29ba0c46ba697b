"""Message texts, from the templates in templates/notifications/<language>/<key>.txt: the first line
is the subject, the rest the body. Plain text, never HTML-escaped (it is not a web page)."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Engine
from django.utils import timezone, translation
from django.utils.formats import date_format

from lapor.reports.models import Report
from lapor.reports.workflow import Status
from lapor.workdays.calendar import ZONE_LABELS

__all__ = ["Rendered", "render"]

TEMPLATES = Path(__file__).resolve().parent / "templates" / "notifications"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@cache
def _engine() -> Engine:
    return Engine(dirs=[str(TEMPLATES)], autoescape=False)


def _when(moment: datetime | None, tz: str) -> str:
    if moment is None:
        return "-"
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(tz))
    return f"{_day(local.date(), translation.get_language())} {local:%H.%M} {ZONE_LABELS.get(tz, tz)}"


@lru_cache(maxsize=256)
def _day(day: date, language: str) -> str:
    """The day in words, in the active `language` (the key): Django's localised formatting cost a
    third of a receipt's rendering, and the receipts a write-out renders name a few days."""
    return date_format(day, "l, j F Y")


def _absolute(path: str) -> str:
    return settings.LAPOR_SITE_URL.rstrip("/") + path


def render(key: str, *, report: Report, language: str, extra: dict[str, Any] | None = None) -> Rendered:
    language = language if language in {"id", "en"} else "id"
    tz = report.agency.timezone if report.agency else settings.LAPOR_NATIONAL_TIMEZONE
    with translation.override(language):
        context = {
            "report": report,
            "title": report.title or report.body[:60],
            "status": str(Status(report.status).label),
            "agency": report.agency.name if report.agency else "",
            "unit": report.unit.name if report.unit else "",
            "due": _when(report.due_at, tz),
            "url": _absolute(f"/laporan/{report.tracking_id}/"),
            "console_url": _absolute(f"/staf/laporan/{report.tracking_id}/"),
            "guest": report.reporter_id is None,
            "on_hold": report.status == Status.ON_HOLD,
            **(extra or {}),
        }
        # The engine's autoescape=False reaches only its own Context: a bare Context escapes.
        template = _engine().get_template(f"{language}/{key}.txt")
        text = template.render(Context(context, autoescape=False))
    subject, _, body = text.strip().partition("\n")
    return Rendered(subject=subject.strip()[:200], body=body.strip())
