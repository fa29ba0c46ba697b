"""Writing rollups: live (one event's facts, inside its transaction) and from scratch (`lapor stats
rebuild`), plus the comparison behind `lapor stats verify`.

Live writes never read-modify-write: each table's touched cells go in one INSERT .. ON CONFLICT DO
UPDATE SET m = m + EXCLUDED.m, so concurrent events on the same cell serialise on that one row lock
for the rest of their transaction and never lose an update (ADR 0010), in one statement per table
instead of two per cell (ADR 0023)."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from lapor.analytics.cache import invalidate
from lapor.analytics.facts import EventRow, Facts, ReportDims, derive
from lapor.analytics.models import DIMENSIONS, Backlog, DurationBucket, Rollup, VolumeHour
from lapor.core import batch
from lapor.core.batch import Statement
from lapor.reports.models import Report, TimelineEvent

__all__ = ["Snapshot", "apply", "compute", "rebuild", "snapshot", "verify"]

CHUNK = 2000


Cell = tuple[dict[str, Any], dict[str, int]]  # (the unique key's values, the deltas to add)


def _upsert(model: Any, keys: Sequence[str], cells: list[Cell]) -> Statement | None:
    """Add each cell's deltas to its row, creating the row (other counters at their database default,
    zero) when it is missing: one statement for all the cells of one table, naming only the key and
    the counters it adds to. Cells come sorted and distinct, so two events lock rows in the same order
    and cannot deadlock."""
    cells = [(key, deltas) for key, deltas in cells if any(deltas.values())]
    if not cells:
        return None
    opts = model._meta
    added = sorted({name for _, deltas in cells for name, delta in deltas.items() if delta})
    fields = [opts.get_field(name) for name in (*keys, *added)]
    key_fields = fields[: len(keys)]
    params: list[Any] = []
    for key, deltas in cells:
        params.extend(f.get_db_prep_save(key[f.name], connection) for f in key_fields)
        params.extend(deltas.get(name, 0) for name in added)
    # Only names from the model's meta, quoted, go into the text; every value is a bound parameter.
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    rows = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(cells))
    unique = ", ".join(quote(opts.get_field(k).column) for k in keys)
    adds = ", ".join(f"{quote(c)} = {table}.{quote(c)} + EXCLUDED.{quote(c)}" for c in added)
    sql = f"INSERT INTO {table} ({names}) VALUES {rows} ON CONFLICT ({unique}) DO UPDATE SET {adds}"  # noqa: S608  # nosec B608
    return sql, params


DURATION_KEYS = (*DIMENSIONS, "metric", "days")
BACKLOG_KEYS = ("agency", "category", "province", "entered_on")
VOLUME_KEYS = ("hour", "category", "region")


def _cells(keys: Sequence[str], deltas: dict[tuple[Any, ...], dict[str, int]]) -> list[Cell]:
    """Each cell's key values by column name, in key order (the order rows are locked in)."""
    return [(dict(zip(keys, key, strict=True)), deltas[key]) for key in sorted(deltas)]


def _counts(deltas: dict[Any, int]) -> dict[Any, dict[str, int]]:
    return {key: {"count": delta} for key, delta in deltas.items()}


def apply(facts: Facts) -> None:
    """Add one event's facts to the stored rollups (caller's transaction). Inside `batch.held()`, the
    facts of every event of the block are summed and written once (ADR 0033): `facts` is added to."""
    batch.fold("rollups", facts, merge=Facts.merge, write=_statements)


def _statements(facts: Facts) -> list[Statement | None]:
    by_cell: dict[tuple[Any, ...], dict[str, int]] = {}
    for (cell, measure), delta in facts.counts.items():
        measures = by_cell.setdefault(cell, {})
        measures[measure] = measures.get(measure, 0) + delta
    durations = {(*cell, metric, days): delta for (cell, metric, days), delta in facts.durations.items()}
    # One batch, in the caller's transaction, locking cells in sorted order (ADR 0010, 0028); inside
    # `batch.held()` it goes with the block's other writes, once for all its events (ADR 0032, 0033).
    return [
        _upsert(Rollup, DIMENSIONS, _cells(DIMENSIONS, by_cell)),
        _upsert(DurationBucket, DURATION_KEYS, _cells(DURATION_KEYS, _counts(durations))),
        _upsert(Backlog, BACKLOG_KEYS, _cells(BACKLOG_KEYS, _counts(facts.backlog))),
        _upsert(VolumeHour, VOLUME_KEYS, _cells(VOLUME_KEYS, _counts(facts.volume))),
    ]


def row_of(event: TimelineEvent) -> EventRow:
    agency = event.agency
    return EventRow(
        pk=event.pk,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        created_at=event.created_at,
        agency=agency.code if agency else "",
        agency_tz=agency.timezone if agency else "",
        agency_province=agency.region_id.split(".")[0] if agency and agency.region_id else "",
        unit=event.unit.code if event.unit_id and event.unit else "",
        data=event.data or {},
    )


def dims_of(report: Report) -> ReportDims:
    return ReportDims(
        kind=report.kind,
        category=report.category.code if report.category_id and report.category else "",
        region=report.region_id or "",
    )


_EVENT_FIELDS = (
    "pk",
    "report_id",
    "action",
    "from_status",
    "to_status",
    "created_at",
    "agency__code",
    "agency__timezone",
    "agency__region_id",
    "unit__code",
    "data",
)


def _row(values: dict[str, Any]) -> EventRow:
    region = values["agency__region_id"] or ""
    return EventRow(
        pk=values["pk"],
        action=values["action"],
        from_status=values["from_status"],
        to_status=values["to_status"],
        created_at=values["created_at"],
        agency=values["agency__code"] or "",
        agency_tz=values["agency__timezone"] or "",
        agency_province=region.split(".")[0] if region else "",
        unit=values["unit__code"] or "",
        data=values["data"] or {},
    )


def history_of(event: TimelineEvent) -> list[EventRow]:
    """The report's earlier events, oldest first (by id: one report's events are written under its lock)."""
    if event.action == "submit":
        return []
    rows = (
        TimelineEvent.objects.filter(report_id=event.report_id, pk__lt=event.pk)
        .order_by("pk")
        .values(*_EVENT_FIELDS)
    )
    return [_row(values) for values in rows]


def _reports() -> Iterator[tuple[ReportDims, list[EventRow]]]:
    """Every report with its whole timeline, streamed in chunks of reports (two queries per chunk)."""
    last = 0
    while True:
        reports = list(
            Report.objects.filter(pk__gt=last)
            .order_by("pk")
            .values("pk", "kind", "category__code", "region_id")[:CHUNK]
        )
        if not reports:
            return
        last = reports[-1]["pk"]
        events: dict[int, list[EventRow]] = {}
        qs = (
            TimelineEvent.objects.filter(report_id__gte=reports[0]["pk"], report_id__lte=last)
            .order_by("report_id", "pk")
            .values(*_EVENT_FIELDS)
        )
        for values in qs.iterator(chunk_size=CHUNK):
            events.setdefault(values["report_id"], []).append(_row(values))
        for r in reports:
            dims = ReportDims(kind=r["kind"], category=r["category__code"] or "", region=r["region_id"] or "")
            yield dims, events.get(r["pk"], [])


def compute() -> Facts:
    """A full recomputation from the timeline."""
    total = Facts()
    for dims, timeline in _reports():
        for i, event in enumerate(timeline):
            total.merge(derive(dims, timeline[:i], event))
    return total


@dataclass(frozen=True)
class Snapshot:
    """Rollups as comparable dicts, zero cells dropped."""

    counts: dict[tuple[tuple[Any, ...], str], int]
    durations: dict[tuple[tuple[Any, ...], str, int], int]
    backlog: dict[tuple[Any, ...], int]
    volume: dict[tuple[Any, ...], int]

    @classmethod
    def of(cls, facts: Facts) -> "Snapshot":
        return cls(
            counts={k: v for k, v in facts.counts.items() if v},
            durations={k: v for k, v in facts.durations.items() if v},
            backlog={k: v for k, v in facts.backlog.items() if v},
            volume={k: v for k, v in facts.volume.items() if v},
        )


def snapshot() -> Snapshot:
    """What is stored now."""
    facts = Facts()
    measures = [f.name for f in Rollup._meta.concrete_fields if f.name not in (*DIMENSIONS, "id")]
    for values in Rollup.objects.values(*DIMENSIONS, *measures).iterator(chunk_size=CHUNK):
        cell = tuple(values[d] for d in DIMENSIONS)
        for m in measures:
            if values[m]:
                facts.counts[(cell, m)] = values[m]
    for values in DurationBucket.objects.values(*DIMENSIONS, "metric", "days", "count").iterator(CHUNK):
        facts.durations[(tuple(values[d] for d in DIMENSIONS), values["metric"], values["days"])] = values[
            "count"
        ]
    for b in Backlog.objects.values_list("agency", "category", "province", "entered_on", "count"):
        facts.backlog[b[:4]] = b[4]
    for v in VolumeHour.objects.values_list("hour", "category", "region", "count"):
        facts.volume[v[:3]] = v[3]
    return Snapshot.of(facts)


def rebuild() -> Snapshot:
    """Replace every rollup with a recomputation from the timeline, in one transaction."""
    facts = compute()
    with transaction.atomic():
        for model in (Rollup, DurationBucket, Backlog, VolumeHour):
            model.objects.all().delete()
        cells: dict[tuple[Any, ...], dict[str, int]] = {}
        for (cell, measure), delta in facts.counts.items():
            cells.setdefault(cell, {})[measure] = delta
        Rollup.objects.bulk_create(
            [Rollup(**dict(zip(DIMENSIONS, cell, strict=True)), **values) for cell, values in cells.items()],
            batch_size=CHUNK,
        )
        DurationBucket.objects.bulk_create(
            [
                DurationBucket(**dict(zip(DIMENSIONS, cell, strict=True)), metric=metric, days=days, count=n)
                for (cell, metric, days), n in facts.durations.items()
                if n
            ],
            batch_size=CHUNK,
        )
        Backlog.objects.bulk_create(
            [
                Backlog(agency=a, category=c, province=p, entered_on=d, count=n)
                for (a, c, p, d), n in facts.backlog.items()
                if n
            ],
            batch_size=CHUNK,
        )
        VolumeHour.objects.bulk_create(
            [VolumeHour(hour=h, category=c, region=r, count=n) for (h, c, r), n in facts.volume.items() if n],
            batch_size=CHUNK,
        )
        transaction.on_commit(invalidate)  # the cached statistics were computed from the old rollups
    return Snapshot.of(facts)


def verify() -> list[str]:
    """Differences between the stored rollups and a full recomputation (empty when they agree)."""
    expected, stored = Snapshot.of(compute()), snapshot()
    problems: list[str] = []
    for name in ("counts", "durations", "backlog", "volume"):
        want, have = getattr(expected, name), getattr(stored, name)
        for key in sorted(set(want) | set(have), key=repr):
            if want.get(key, 0) != have.get(key, 0):
                problems.append(f"{name} {key!r}: stored {have.get(key, 0)}, recomputed {want.get(key, 0)}")
    return problems
