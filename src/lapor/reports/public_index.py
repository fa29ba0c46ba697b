"""A search index of the public reports, for the public list's text searches, combined filters and
lists of one status, kind or region (ADR 0035).

PostgreSQL answers the newest public reports, and those of one category or one agency, in order from
its partial indexes. A text search, or two filters together, needs every match first: GIN and bitmap
scans return them in no order, so at 10M reports a common word costs 0.1–0.7 s and grows with the
table; a status or a province has no public index that reads it in order. This index
(tantivy, on the node's own disk) keeps, for every public report, its words (the lexemes of
PostgreSQL's own `search` vector, so both stem alike), its filters as terms (and each two of them as
one term, far rarer than either, which a list of several filters asks for), and its filing time as a
column, and returns the newest matching ids in milliseconds.

An engine too reads every match of a query to order them: "sekolah" matches 2.9M reports at 10M and
takes 25 ms. So a list walks back from its newest day through blocks of days that double in size
(`_walk`), asking each block for no more ids than it still needs: a common word is answered from its
last few days, at about the same cost at 100k and at 10M reports. A list that would walk longer than
one search over every day takes (by its rarest term), or whose first `PROBE_DAYS` promise fewer than
twice what it needs, is read in that one search instead (1–5 ms at 10M).

It holds public reports only, and it is a copy: a page's ids are read back through the visibility
selector, so a report that stopped being public since the last sync is not shown (it is still
counted until that sync: `selectors.IndexedReports`). When the
index is missing, or its last sync is older than `LAPOR_SEARCH_INDEX_MAX_LAG`, lists use PostgreSQL
as before. PostgreSQL only: the words come from the `search` column."""

import json
import os
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any, cast

import tantivy
from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from lapor.agencies.selectors import agency_by_code, category_by_code
from lapor.reports.models import PUBLIC_ROWS, Report
from lapor.reports.search_text import search_words, typed_tracking_id
from lapor.reports.selectors import ReportFilters

__all__ = ["newest_ids", "rebuild", "status", "sync"]

STATE = "lapor-sync.json"
# Bumped when the documents change shape: an index of another version is rebuilt, and not read before.
VERSION = 4
# Each report's filing day in aligned blocks of 1, 2, 4 … 2**(SPANS - 1) days, one term per size
# (`_spans`), through which a list walks back (`_walk`, `_steps`). Each search costs 0.4–1 ms at 10M,
# most of it opening the `ts` column (see `_steps`).
SPANS = 11
# The first search of a walk takes this many days at once (`_steps`). After them, a list that would
# walk through most of the years is read in one search.
PROBE_DAYS = 8
# Measured at 10M: a walk step costs 0.23–0.54 ms, one search over every day 12–32 ns for each
# document of its rarest term (2026-11-30, with pairs). Walking no longer than that search would take
# bounds a list at twice the better. The slower searches are the ones a list meets at its p99, so a
# step is weighed at the low end: 8,000 documents took p99 4.41 ms for 1,001 ids, 30,000 took 5.67.
STEP_DOCS = 8_000
# The `id` column holds each report's id scrambled: multiplied by an odd number, modulo 2**40 (a
# bijection, undone by `_report_id`). Documents are added in filing order, so ids in order would be
# stored as blocks of lines, and each read of the column opens every block's header: 0.6-1.2 ms at
# 8.4M documents. Scrambled, they are stored bit-packed: 0.03 ms for 1,001 ids, at 100k as at 10M.
_ID_BITS = 40
_ID_MASK = (1 << _ID_BITS) - 1
_ID_MULTIPLIER = 0x9E3779B97F
_ID_INVERSE = pow(_ID_MULTIPLIER, -1, 1 << _ID_BITS)
DAY_US = 86_400_000_000
_NO_DAYS = (2**62, 0)  # the days of an empty index: a walk with no steps
# Reports changed within this long before the last sync are taken again: a transaction that commits
# after a sync may carry an `updated_at` older than the watermark that sync stored.
OVERLAP = timedelta(minutes=2)
_LEXEME = re.compile(r"'((?:[^']|'')+)'")
_RAW_FIELDS = ("status", "kind", "within")
_COLUMNS = ("id", "created_at", "status", "kind", "region_id", "category_id", "agency_id", "words", "public")


def enabled() -> bool:
    return bool(settings.LAPOR_SEARCH_INDEX) and connection.vendor == "postgresql"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    builder.add_integer_field("ts", fast=True)
    for name in _RAW_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw")
    builder.add_unsigned_field("category", indexed=True)
    builder.add_unsigned_field("agency", indexed=True)
    builder.add_unsigned_field("span", indexed=True)
    builder.add_text_field("words", tokenizer_name="whitespace", index_option="basic")
    builder.add_text_field("pair", tokenizer_name="raw", index_option="basic")
    return builder.build()


SCHEMA = _schema()


def _folder() -> Path:
    return Path(settings.LAPOR_SEARCH_INDEX)


def _lexemes(text: str) -> list[str]:
    return [match.replace("''", "'") for match in _LEXEME.findall(text or "")]


def _spans(day: int) -> list[int]:
    """The blocks of days holding `day`, one of each size: (log2 of the size, the block's number)."""
    return [(size << 32) | (day >> size) for size in range(SPANS)]


def _walk(newest: int, oldest: int) -> Iterator[int]:
    """Spans covering the days from `newest` back to `oldest`, newest first, each at most twice as long
    as the one before: aligned blocks, so about 2 log2(days) steps at most (19 for three years)."""
    upper, size = newest + 1, -1
    while upper > oldest:
        size = min(size + 1, SPANS - 1, (upper & -upper).bit_length() - 1)  # aligned: `upper` ends it
        yield (size << 32) | ((upper >> size) - 1)
        upper -= 1 << size


def _days_in(spans: list[int]) -> int:
    """How many days these blocks of `_spans` cover (a block's size is its upper half, as a power of 2)."""
    return sum(1 << (span >> 32) for span in spans)


def _pair(one: tuple[str, str | int], other: tuple[str, str | int]) -> str:
    """Two filters as one term. Documents and lists name their filters in one order (status, kind,
    within, category, agency), so both make the same terms."""
    return f"{one[0]}={one[1]}&{other[0]}={other[1]}"


def _pairs(filters: list[tuple[str, str | int]]) -> list[str]:
    """Every two filters of different fields, as terms."""
    return [_pair(one, other) for one, other in combinations(filters, 2) if one[0] != other[0]]


def _document(row: tuple[Any, ...]) -> tuple[tantivy.Document, int]:
    """The report's document, and its filing day."""
    pk, created_at, status_, kind, region, category, agency, words, _public = row  # _COLUMNS
    doc = tantivy.Document()
    ts = int(created_at.timestamp() * 1_000_000)
    doc.add_unsigned("id", _stored_id(pk))
    doc.add_integer("ts", ts)
    for span in _spans(ts // DAY_US):
        doc.add_unsigned("span", span)
    parts = (region or "").split(".")
    filters: list[tuple[str, str | int]] = [
        ("status", status_),
        ("kind", kind),
        *(("within", ".".join(parts[:depth])) for depth in range(1, len(parts) + 1)),  # "34.04": "34" too
        ("category", category or 0),
        ("agency", agency or 0),
    ]
    for name, value in filters:
        if isinstance(value, int):
            doc.add_unsigned(name, value)
        else:
            doc.add_text(name, value)
    for pair in _pairs(filters):
        doc.add_text("pair", pair)
    doc.add_text("words", " ".join(_lexemes(words)))
    return doc, ts // DAY_US


def _rows(*, changed_since: datetime | None = None) -> QuerySet[Report, tuple[Any, ...]]:
    """Every public report, newest first (so that a block of days is one run of documents), or every
    report changed since a moment (by `report_updated`) with whether it is public now (`PUBLIC_ROWS`,
    what the public sees)."""
    reports = Report.objects.annotate(
        words=RawSQL("search::text", ()),  # the stored vector, a column of PostgreSQL only (migration 0004)
        public=ExpressionWrapper(PUBLIC_ROWS, output_field=BooleanField()),
    )
    if changed_since is None:
        reports = reports.filter(PUBLIC_ROWS).order_by("-created_at", "-id")
    else:
        reports = reports.filter(updated_at__gte=changed_since).order_by()  # no sort: few rows
    return reports.values_list(*_COLUMNS)


def _write_state(folder: Path, watermark: datetime, days: tuple[int, int]) -> None:
    """`days`: the oldest and newest filing day the index has held, the ends of a list's walk."""
    state = {"version": VERSION, "watermark": watermark.isoformat(), "synced_at": time.time(), "days": days}
    temporary = folder / f"{STATE}.tmp"
    temporary.write_text(json.dumps(state))
    os.replace(temporary, folder / STATE)  # readers never see half a file


def _read_state(folder: Path) -> dict[str, Any] | None:
    """The last sync's watermark, time and days; None for no index, one of another version, or a file
    that is not ours."""
    try:
        state = json.loads((folder / STATE).read_text())
        datetime.fromisoformat(state["watermark"])
        float(state["synced_at"])
        oldest, newest = (int(day) for day in state["days"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return {**state, "days": (oldest, newest)} if state.get("version") == VERSION else None


def rebuild() -> int:
    """A new index of every public report, swapped in whole; returns how many it holds."""
    folder = _folder()
    building = folder.with_name(folder.name + ".building")
    _remove(building)
    building.mkdir(parents=True)
    started = timezone.now()
    writer = tantivy.Index(SCHEMA, path=str(building)).writer(heap_size=200_000_000, num_threads=1)
    count, days = _take(writer, _rows(), _NO_DAYS)
    _write_state(building, started, days)
    old = folder.with_name(folder.name + ".old")
    _remove(old)
    if folder.exists():
        os.replace(folder, old)
    os.replace(building, folder)
    _remove(old)
    _READER.clear()
    return count


def _remove(folder: Path) -> None:
    if folder.exists():
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()


def sync() -> int:
    """Take every report changed since the last sync: replaced if public, removed if not. Returns how
    many were taken. Builds the index first if there is none."""
    folder = _folder()
    state = _read_state(folder)
    if state is None:
        rebuild()
        return 0
    since = datetime.fromisoformat(state["watermark"]) - OVERLAP
    started = timezone.now()
    writer = tantivy.Index.open(str(folder)).writer(heap_size=50_000_000, num_threads=1)
    count, days = _take(writer, _rows(changed_since=since), state["days"], replace=True)
    _write_state(folder, started, days)
    return count


def _take(
    writer: Any, rows: QuerySet[Report, tuple[Any, ...]], days: tuple[int, int], *, replace: bool = False
) -> tuple[int, tuple[int, int]]:
    """Add each row that is public (every one of a rebuild's), first removing the report's old document
    when `replace`, and commit. Returns how many rows were taken and the days, widened to theirs."""
    count = 0
    for row in rows.iterator(chunk_size=5_000):  # streamed: a rebuild reads millions
        if replace:  # by query: a u64 term passed as a Python int names an i64 term and deletes nothing
            writer.delete_documents_by_query(tantivy.Query.term_query(SCHEMA, "id", _stored_id(row[0])))
        if row[-1]:
            doc, day = _document(row)
            writer.add_document(doc)
            days = (min(days[0], day), max(days[1], day))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count, days


def status() -> dict[str, Any]:
    folder = _folder()
    state = _read_state(folder) or {}
    opened = _reader()
    return {
        "folder": str(folder),
        "reports": opened[0].num_docs if opened is not None else None,
        "watermark": state.get("watermark"),
        "lag_s": round(time.time() - state["synced_at"], 1) if state else None,
    }


# Per process: the opened index and its days, reloaded at most once a second, if its last sync is recent.
_READER: dict[str, Any] = {}


def _reader() -> tuple[Any, tuple[int, int]] | None:
    now = time.monotonic()
    if _READER.get("checked", -1.0) > now - 1.0:
        return _READER.get("opened")
    folder = _folder()
    state = _read_state(folder)
    fresh = state is not None and time.time() - state["synced_at"] < settings.LAPOR_SEARCH_INDEX_MAX_LAG
    opened = None
    if state is not None and fresh:
        index = _READER.get("index")
        if index is None or _READER.get("folder") != str(folder):
            index = tantivy.Index.open(str(folder))
        index.reload()  # after the state is read: the index holds at least the days the state names
        opened = (index.searcher(), state["days"])
        _READER.update(index=index, folder=str(folder))
    _READER.update(checked=now, opened=opened)
    return opened


@lru_cache(maxsize=4096)
def _lexemes_of(text: str) -> tuple[str, ...] | None:
    """PostgreSQL's own lexemes of a search (the `indonesian` configuration, as the `search` column),
    asked once per process for each text: the configuration does not change while it runs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT querytree(plainto_tsquery('indonesian', %s))", [text])
        (tree,) = cursor.fetchone()
    lexemes = _lexemes(tree)
    return tuple(lexemes) if lexemes and "!" not in tree else None


def _worth_it(filters: ReportFilters) -> bool:
    """What PostgreSQL cannot read in order from one of its public indexes: a search, two filters, or
    a status, kind or region (a province holds many regencies). The newest public reports, and those
    of one category or one agency, it reads from `report_public_newest`, `_category` and `_agency`,
    and current to the moment. A date range and "mine" are not in the index."""
    if filters.mine or filters.date_from or filters.date_to:
        return False
    unordered = [filters.status, filters.kind, filters.region]  # no public index of PostgreSQL's
    given = [*unordered, filters.category, filters.agency]
    return bool(filters.q) or any(unordered) or sum(value is not None for value in given) >= 2


def newest_ids(filters: ReportFilters, limit: int) -> list[int] | None:
    """The ids of the newest `limit` public reports matching `filters`, newest first; None when the
    index cannot answer (off, missing, behind, or a list PostgreSQL answers as well or its own way)."""
    if not (enabled() and _worth_it(filters)):
        return None
    terms: list[tuple[str, str | int]] = []  # (field, value), every one a must
    if filters.q:
        words = search_words(filters.q)
        if typed_tracking_id(words):
            return None  # PostgreSQL finds that report by its key
        if (lexemes := _lexemes_of(" ".join(words))) is None:
            return None
        terms += [("words", lexeme) for lexeme in lexemes]
    given: list[tuple[str, str | int]] = []  # in the documents' order of filters (`_pair`)
    for name, value in (("status", filters.status), ("kind", filters.kind), ("within", filters.region)):
        if value is not None:
            given.append((name, value))
    for name, code, lookup in (
        ("category", filters.category, category_by_code),
        ("agency", filters.agency, agency_by_code),
    ):
        if code is None:
            continue
        if (row := lookup(code)) is None:
            return []  # a code that names nothing
        given.append((name, row.pk))
    # Two filters or more as the pairs they make, which cover each of them: a pair's list is a
    # fraction of either filter's, and the engine walks the shortest list of a query.
    terms += [("pair", pair) for pair in _pairs(given)] if len(given) > 1 else given
    if (opened := _reader()) is None:
        return None
    return _walk_back(*opened, terms, limit)


def _steps(newest: int, oldest: int) -> Iterator[list[int]]:
    """The walk's blocks (`_walk`) as its searches: the blocks of the first `PROBE_DAYS` days in one,
    then each block in its own. A search ordered by `ts` opens that column, which at 10M costs more
    than the few matches of a day or two: 0.7 ms, against 0.005 at 100k."""
    blocks = _walk(newest, oldest)
    first: list[int] = []
    for span in blocks:
        first.append(span)
        if _days_in(first) >= PROBE_DAYS:
            break
    if first:
        yield first
    for span in blocks:
        yield [span]


def _walk_back(
    searcher: Any, days: tuple[int, int], terms: list[tuple[str, str | int]], limit: int
) -> list[int]:
    """The newest `limit` matches: back from the newest day (`_steps`) while that is cheaper than one
    search over every day, and then that search (which finds the walked days' matches again). One
    match more than `limit` is read, to see whether the last one shares its moment (`_in_order`)."""
    oldest, newest = days
    start = max(newest, int(time.time() * 1_000_000) // DAY_US)  # a report filed since the sync is no older
    # One search over every day costs about a walk step per STEP_DOCS documents of its rarest term.
    steps_worth = min(searcher.doc_freq(field, value) for field, value in terms) // STEP_DOCS
    found: list[tuple[int, Any]] = []
    walked = 0
    for step, spans in enumerate(_steps(start, oldest)):
        rare = walked >= PROBE_DAYS and len(found) * (start - oldest + 1) < 2 * limit * walked
        if step >= steps_worth or rare:  # walking on would cost more than the one search
            return _in_order(searcher, terms, _newest(searcher, terms, limit + 1), limit)
        found += _newest(searcher, terms, limit + 1 - len(found), spans)
        if len(found) > limit:
            break
        walked += _days_in(spans)
    return _in_order(searcher, terms, found, limit)


def _newest(
    searcher: Any, terms: list[tuple[str, str | int]], limit: int, spans: list[int] | None = None
) -> list[tuple[int, Any]]:
    """The newest `limit` matches as (ts, address), within any of `spans` when given."""
    query = _query(terms, spans)
    return list(searcher.search(query, limit=limit, count=False, order_by_field="ts").hits)


def _query(terms: list[tuple[str, str | int]], spans: list[int] | None = None, ts: int | None = None) -> Any:
    """Every term, and within any of `spans`, and at the moment `ts`, when given."""
    must = [(tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, field, value)) for field, value in terms]
    if spans:
        within = [(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, "span", span)) for span in spans]
        must.append((tantivy.Occur.Must, tantivy.Query.boolean_query(within)))
    if ts is not None:
        at = tantivy.Query.range_query(SCHEMA, "ts", tantivy.FieldType.Integer, ts, ts)
        must.append((tantivy.Occur.Must, at))
    return tantivy.Query.boolean_query(must)


def _in_order(
    searcher: Any, terms: list[tuple[str, str | int]], hits: list[tuple[int, Any]], limit: int
) -> list[int]:
    """The ids of the first `limit` of `hits` (newest first, and one more when there are) in
    PostgreSQL's order: reports filed at the same moment (a bulk filing's batch) by id, newest first.
    The engine orders such ties by where it stored them, which a sync changes. When the ties go on
    past `limit`, all of them are read, so that the ones kept are the newest ids, as in PostgreSQL,
    and a cursor that goes on from the last one misses none and repeats none."""
    if len(hits) > limit and hits[limit][0] == hits[limit - 1][0]:
        moment = hits[limit][0]
        at = _query(terms, ts=moment)
        everyone = searcher.search(at, limit=1, count=True).count
        tied = searcher.search(at, limit=everyone, count=False).hits
        hits = [hit for hit in hits if hit[0] > moment] + [(moment, address) for _ts, address in tied]
    ids = _ids(searcher, [address for _ts, address in hits])
    moments = [ts for ts, _address in hits]
    if len(set(moments)) < len(moments):  # ties: rare, and sorting a thousand pairs costs 0.1 ms
        return [pk for _ts, pk in sorted(zip(moments, ids, strict=True), reverse=True)[:limit]]
    return ids[:limit]


def _ids(searcher: Any, addresses: list[Any]) -> list[int]:
    """From the id column, in one call (a stored document would cost a block decompressed, each)."""
    stored = cast(list[int], searcher.fast_field_values("id", addresses)) if addresses else []
    return [_report_id(value) for value in stored]


def _stored_id(pk: int) -> int:
    if pk >> _ID_BITS:
        raise ValueError(f"report id {pk} does not fit the index's {_ID_BITS}-bit id column")
    return (pk * _ID_MULTIPLIER) & _ID_MASK


def _report_id(stored: int) -> int:
    return (stored * _ID_INVERSE) & _ID_MASK
