""" "Dukung": a citizen supports a public report instead of filing a duplicate. Once per person;
asking again changes nothing (a retry never double-counts)."""

from django.db import IntegrityError, transaction
from django.db.models import F

from lapor.agencies.access import Viewer
from lapor.core.errors import Conflict, NotFound, Unauthenticated
from lapor.reports.models import Report, Support
from lapor.reports.selectors import PUBLIC

__all__ = ["report_support"]


def report_support(*, report: Report, actor: Viewer) -> tuple[int, bool]:
    """Returns (supporters, created). Judged on the row as it is now, not as the caller loaded it: a
    report made confidential or archived a moment ago takes no support and is not found."""
    if actor.user is None:
        raise Unauthenticated("Masuk terlebih dahulu untuk mendukung laporan.")
    try:
        with transaction.atomic():
            counted = Report.objects.filter(PUBLIC, pk=report.pk).update(
                supporters_count=F("supporters_count") + 1
            )
            if not counted:
                raise NotFound("Laporan tidak ditemukan.")
            if report.reporter_id == actor.user.pk:
                raise Conflict("Anda tidak dapat mendukung laporan Anda sendiri.", code="own_report")
            Support.objects.create(report=report, user=actor.user)
        created = True
    except IntegrityError:  # supported before: the count went back with the rest
        created = False
    report.refresh_from_db(fields=["supporters_count"])
    return report.supporters_count, created
