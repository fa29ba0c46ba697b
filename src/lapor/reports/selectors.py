"""Reads of reports, always through the viewer. Whatever a viewer may not see is absent, and a single
report they may not see answers exactly like one that does not exist."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Expression, Model, Q, QuerySet

from lapor.agencies.access import Viewer
from lapor.agencies.selectors import agency_by_code, category_by_code
from lapor.core.errors import NotFound
from lapor.core.ids import normalize_tracking_id
from lapor.core.keyset import COUNT_CAP
from lapor.geo.selectors import region_codes
from lapor.reports.access import can_view, capacities_on
from lapor.reports.models import PUBLIC_ROWS, Report, ReporterIdentity, TimelineEvent
from lapor.reports.search_text import search_words, typed_tracking_id
from lapor.reports.workflow import Actor, Status

__all__ = [
    "PUBLIC",
    "IndexedReports",
    "ReportFilters",
    "report_get",
    "reports_listed",
    "reports_visible_to",
    "timeline_visible_to",
]

# The public sees verified, non-confidential reports that are not archived (ADR 0002): the condition
# of the model's public indexes, so that every public list can use them.
PUBLIC = PUBLIC_ROWS
NOTHING = Q(pk__in=[])


def _parts(viewer: Viewer) -> dict[str, Q]:
    """What a viewer sees, part by part: the public's reports, and those of each capacity they hold."""
    parts = {"public": PUBLIC}
    if viewer.user is not None:
        parts["own"] = Q(reporter=viewer.user)
    if viewer.admin_agency_ids:
        parts["agency"] = Q(agency_id__in=viewer.admin_agency_ids)
    if viewer.direct_intake_agency_ids:
        parts["intake"] = Q(
            status=Status.SUBMITTED, target_agency_hint_id__in=viewer.direct_intake_agency_ids
        )
    if viewer.officer_unit_ids:
        parts["unit"] = Q(unit_id__in=viewer.officer_unit_ids)
    if viewer.supervised_agency_ids:
        parts["supervised"] = Q(agency_id__in=viewer.supervised_agency_ids)
    return parts


def visibility_q(viewer: Viewer, within: tuple[str, ...] = ()) -> Q | None:
    """None means everything; otherwise the rows this viewer may see. `within`: only these parts of
    it (`_parts`), for a caller whose rows lie in them anyway (a queue of the viewer's own agency):
    PostgreSQL can read one part from an index, where the whole OR makes it read every row to test
    it (a queue's count: 1,001 table pages, 100 ms at 10M when they are not cached). Never more than
    the viewer sees, and nothing for a part they do not hold."""
    if viewer.sees_everything:
        return None
    parts = _parts(viewer)
    chosen = [parts.get(name, NOTHING) for name in within] if within else list(parts.values())
    return reduce(or_, chosen)


def _sees_public_only(viewer: Viewer) -> bool:
    return not viewer.sees_everything and _parts(viewer).keys() == {"public"}


@dataclass(frozen=True)
class ReportFilters:
    status: str | None = None
    kind: str | None = None
    category: str | None = None
    agency: str | None = None
    region: str | None = None
    q: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    mine: bool = False


def reports_visible_to(
    *, viewer: Viewer, filters: ReportFilters | None = None, within: tuple[str, ...] = ()
) -> QuerySet[Report]:
    """`within`: see `visibility_q`."""
    qs = Report.objects.select_related("agency", "unit", "category", "region")
    if (q := visibility_q(viewer, within)) is not None:
        qs = qs.filter(q)
    if filters is None:
        return qs
    if filters.mine:
        qs = qs.filter(reporter=viewer.user) if viewer.user else qs.none()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.category:
        qs = _referring(qs, "category", category_by_code(filters.category))
    if filters.agency:
        qs = _referring(qs, "agency", agency_by_code(filters.agency))
    if filters.region:
        # A province code also matches its regencies and cities ("34" finds "34.04").
        qs = qs.filter(region_id__in=region_codes(filters.region))
    if filters.q:
        qs = _search(qs, filters.q)
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    return qs


@dataclass(frozen=True)
class IndexedReports:
    """A public list as the search index finds it (ADR 0035): the newest `COUNT_CAP + 1` matching ids in
    order, counted as they are, and a page's rows read through the visibility filter. The index is a
    copy: a report that stopped being public since its last sync is still counted until the next one,
    but never shown."""

    ids: list[int]
    # What the reader loads of each row (`presenters.summarized`); by default the whole report.
    shape: Callable[[QuerySet[Report]], QuerySet[Report]] = lambda rows: rows

    def bounded_count(self) -> tuple[int, bool]:
        return min(len(self.ids), COUNT_CAP), len(self.ids) <= COUNT_CAP

    def rows(self, start: int, stop: int) -> list[Report]:
        page = self.ids[start:stop]
        visible = self.shape(reports_visible_to(viewer=Viewer.public()).filter(pk__in=page))
        found = {report.pk: report for report in visible}
        return [found[pk] for pk in page if pk in found]


def reports_listed(
    *, viewer: Viewer, filters: ReportFilters, indexed: bool
) -> QuerySet[Report] | IndexedReports:
    """`reports_visible_to`, or what the public search index finds (ADR 0035) when the caller reads no
    further than the first `COUNT_CAP` rows (`indexed`: page numbers, not a cursor), the viewer sees
    exactly the public's reports, and the index answers these filters (`public_index.newest_ids`)."""
    if indexed and settings.LAPOR_SEARCH_INDEX and _sees_public_only(viewer):
        # Imported here: tantivy costs each process 5 MB, loaded only where the index is on.
        from lapor.reports import public_index

        if (ids := public_index.newest_ids(filters, COUNT_CAP + 1)) is not None:
            return IndexedReports(ids)
    return reports_visible_to(viewer=viewer, filters=filters)


def _referring(qs: QuerySet[Report], field: str, row: Model | None) -> QuerySet[Report]:
    """Rows pointing at `row`, by its id; none for a code that names nothing (`field=None` would mean
    IS NULL)."""
    return qs.filter(**{f"{field}_id": row.pk}) if row is not None else qs.none()


class _TextMatch(Expression):
    """`search @@ plainto_tsquery('indonesian', text)` on the report table under whatever alias the
    query gives it: inside a subquery (a page's ids, `keyset.page_rows`) Django renames the table, and
    a hard-coded table name would silently point at the outer query's row. The `search` column exists
    on PostgreSQL only, so it is not a model field."""

    output_field = BooleanField()

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str]]:
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.search @@ plainto_tsquery('indonesian', %s)", (self.text,)


def _search(qs: QuerySet[Report], text: str) -> QuerySet[Report]:
    """A typed tracking id finds that report; other text is a full-text search with the `indonesian`
    configuration (stemmed, over the stored `search` vector and its GIN index) on PostgreSQL, and
    every word as a substring of the title or body elsewhere (ADR 0022)."""
    words = search_words(text)
    if canonical := typed_tracking_id(words):
        return qs.filter(tracking_id=canonical)
    if connection.vendor == "postgresql":
        return qs.filter(_TextMatch(" ".join(words)))
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return qs


@dataclass(frozen=True)
class ReportAccess:
    report: Report
    capacities: frozenset[Actor]
    viewer: Viewer
    # Set only for a filing not yet written out (`journal.report_or_filing`): its report is unsaved.
    identity: ReporterIdentity | None = None

    @property
    def pending(self) -> bool:
        return self.report.pk is None

    @property
    def is_handler(self) -> bool:
        """Staff working this report: they see internal notes and the full timeline."""
        viewer, report = self.viewer, self.report
        return bool(
            self.capacities & {Actor.VERIFIER, Actor.AGENCY_ADMIN, Actor.UNIT_OFFICER, Actor.SYSTEM}
            or viewer.supervises_all
            or (report.agency_id is not None and report.agency_id in viewer.supervised_agency_ids)
        )


def report_get(*, viewer: Viewer, tracking_id: str, access_code: str | None = None) -> ReportAccess:
    """One report for this viewer, or NotFound whether it is missing or not theirs."""
    canonical = normalize_tracking_id(tracking_id)
    # Not `duplicate_of`: joining a second whole report costs a third of this query's CPU on every
    # view, for the few merged reports that name it (they load it when shown).
    report = (
        Report.objects.select_related("agency", "unit", "category", "region", "target_agency_hint")
        .filter(tracking_id=canonical)
        .first()
        if canonical
        else None
    )
    if report is None:
        raise NotFound("Laporan tidak ditemukan.")
    capacities = capacities_on(viewer, report, access_code=access_code)
    if not can_view(viewer, report, capacities):
        raise NotFound("Laporan tidak ditemukan.")
    return ReportAccess(report=report, capacities=capacities, viewer=viewer)


def timeline_visible_to(access: ReportAccess) -> QuerySet[TimelineEvent]:
    if access.pending:
        return TimelineEvent.objects.none()  # written with the report, a moment after filing
    events = access.report.events.select_related("agency", "unit", "actor")
    if access.is_handler:
        return events
    return events.filter(visibility=TimelineEvent.Visibility.PUBLIC)
