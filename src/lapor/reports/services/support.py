""" "Dukung": a citizen supports a public report instead of filing a duplicate. Once per person;
asking again changes nothing (a retry never double-counts)."""

from django.db import IntegrityError, transaction
from django.db.models import F

from lapor.agencies.access import Viewer
from lapor.core.errors import Conflict, NotFound, Unauthenticated
from lapor.reports.models import Report, Support

__all__ = ["report_support"]


def report_support(*, report: Report, actor: Viewer) -> tuple[int, bool]:
    """Returns (supporters, created)."""
    if actor.user is None:
        raise Unauthenticated("Masuk terlebih dahulu untuk mendukung laporan.")
    if not report.is_public:
        raise NotFound("Laporan tidak ditemukan.")
    if report.reporter_id == actor.user.pk:
        raise Conflict("Anda tidak dapat mendukung laporan Anda sendiri.", code="own_report")
    try:
        with transaction.atomic():
            Support.objects.create(report=report, user=actor.user)
            Report.objects.filter(pk=report.pk).update(supporters_count=F("supporters_count") + 1)
        created = True
    except IntegrityError:
        created = False
    report.refresh_from_db(fields=["supporters_count"])
    return report.supporters_count, created
