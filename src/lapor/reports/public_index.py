"""A search index of the public reports, for the public list's text searches and combined filters
(ADR 0035).

PostgreSQL answers the public list in order from its partial indexes when it has at most one filter.
A text search, or two filters together, needs every match first: GIN and bitmap scans return them in
no order, so at 10M reports a common word costs 0.1–0.7 s and grows with the table. This index
(tantivy, on the node's own disk) keeps, for every public report, its words (the lexemes of
PostgreSQL's own `search` vector, so both stem alike), its filters as terms and its filing time as a
column, and returns the newest matching ids in milliseconds.

It holds public reports only, and it is a copy: its ids are read back through the visibility
selector, so a report that stopped being public since the last sync is simply not shown. When the
index is missing, or its last sync is older than `LAPOR_SEARCH_INDEX_MAX_LAG`, lists use PostgreSQL
as before. PostgreSQL only: the words come from the `search` column."""

import json
import os
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper
from django.db.models.expressions import RawSQL
from django.utils import timezone

from lapor.agencies.selectors import agency_by_code, category_by_code
from lapor.reports.models import PUBLIC_ROWS, Report
from lapor.reports.search_text import search_words, typed_tracking_id
from lapor.reports.selectors import ReportFilters

__all__ = ["newest_ids", "rebuild", "status", "sync"]

STATE = "lapor-sync.json"
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
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_integer_field("ts", fast=True)
    for name in _RAW_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw")
    builder.add_unsigned_field("category", indexed=True)
    builder.add_unsigned_field("agency", indexed=True)
    builder.add_text_field("words", tokenizer_name="whitespace", index_option="basic")
    return builder.build()


SCHEMA = _schema()


def _folder() -> Path:
    return Path(settings.LAPOR_SEARCH_INDEX)


def _lexemes(text: str) -> list[str]:
    return [match.replace("''", "'") for match in _LEXEME.findall(text or "")]


def _document(row: tuple[Any, ...]) -> tantivy.Document:
    pk, created_at, status_, kind, region, category, agency, words, _public = row  # _COLUMNS
    doc = tantivy.Document()
    doc.add_unsigned("id", pk)
    doc.add_integer("ts", int(created_at.timestamp() * 1_000_000))
    doc.add_text("status", status_)
    doc.add_text("kind", kind)
    parts = (region or "").split(".")
    for depth in range(1, len(parts) + 1):  # "34.04" is within "34" and "34.04"
        doc.add_text("within", ".".join(parts[:depth]))
    doc.add_unsigned("category", category or 0)
    doc.add_unsigned("agency", agency or 0)
    doc.add_text("words", " ".join(_lexemes(words)))
    return doc


def _rows(*, changed_since: datetime | None = None) -> Iterator[tuple[Any, ...]]:
    """Every public report, or every report changed since a moment with whether it is public now
    (`PUBLIC_ROWS`, what the public sees). Streamed: a rebuild reads millions of rows."""
    reports = Report.objects.annotate(
        words=RawSQL("search::text", ()),  # the stored vector, a column of PostgreSQL only (migration 0004)
        public=ExpressionWrapper(PUBLIC_ROWS, output_field=BooleanField()),
    )
    if changed_since is None:
        reports = reports.filter(PUBLIC_ROWS)
    else:
        reports = reports.filter(updated_at__gte=changed_since)
    return reports.values_list(*_COLUMNS).iterator(chunk_size=5_000)


def _write_state(folder: Path, watermark: datetime) -> None:
    state = {"watermark": watermark.isoformat(), "synced_at": time.time()}
    temporary = folder / f"{STATE}.tmp"
    temporary.write_text(json.dumps(state))
    os.replace(temporary, folder / STATE)  # readers never see half a file


def _read_state(folder: Path) -> dict[str, Any] | None:
    """The last sync's watermark and time; None for no index, or a file that is not ours."""
    try:
        state = json.loads((folder / STATE).read_text())
        datetime.fromisoformat(state["watermark"])
        float(state["synced_at"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return dict(state)


def rebuild() -> int:
    """A new index of every public report, swapped in whole; returns how many it holds."""
    folder = _folder()
    building = folder.with_name(folder.name + ".building")
    _remove(building)
    building.mkdir(parents=True)
    started = timezone.now()
    index = tantivy.Index(SCHEMA, path=str(building))
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    count = 0
    for row in _rows():
        writer.add_document(_document(row))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    _write_state(building, started)
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
    index = tantivy.Index.open(str(folder))
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    count = 0
    for row in _rows(changed_since=since):
        # By query: a u64 term passed as a Python int would name an i64 term and delete nothing.
        writer.delete_documents_by_query(tantivy.Query.term_query(SCHEMA, "id", row[0]))
        if row[-1]:
            writer.add_document(_document(row))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    _write_state(folder, started)
    return count


def status() -> dict[str, Any]:
    folder = _folder()
    state = _read_state(folder) or {}
    reader = _reader()
    return {
        "folder": str(folder),
        "reports": reader.num_docs if reader is not None else None,
        "watermark": state.get("watermark"),
        "lag_s": round(time.time() - state["synced_at"], 1) if state else None,
    }


# Per process: the opened index, reloaded at most once a second, and whether its last sync is recent.
_READER: dict[str, Any] = {}


def _reader() -> Any:
    now = time.monotonic()
    if _READER.get("checked", -1.0) > now - 1.0:
        return _READER.get("searcher")
    folder = _folder()
    state = _read_state(folder)
    fresh = state is not None and time.time() - state["synced_at"] < settings.LAPOR_SEARCH_INDEX_MAX_LAG
    searcher = None
    if fresh:
        index = _READER.get("index")
        if index is None or _READER.get("folder") != str(folder):
            index = tantivy.Index.open(str(folder))
        index.reload()
        searcher = index.searcher()
        _READER.update(index=index, folder=str(folder))
    _READER.update(checked=now, searcher=searcher)
    return searcher


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
    """A search, or two filters: what PostgreSQL cannot read in order from one index. A date range
    and "mine" are not in the index."""
    if filters.mine or filters.date_from or filters.date_to:
        return False
    given = [filters.status, filters.kind, filters.category, filters.agency, filters.region]
    return bool(filters.q) or sum(value is not None for value in given) >= 2


def newest_ids(filters: ReportFilters, limit: int) -> list[int] | None:
    """The ids of the newest `limit` public reports matching `filters`, newest first; None when the
    index cannot answer (off, missing, behind, or a list PostgreSQL answers as well or its own way)."""
    if not (enabled() and _worth_it(filters)):
        return None
    terms: list[tantivy.Query] = []
    if filters.q:
        words = search_words(filters.q)
        if typed_tracking_id(words):
            return None  # PostgreSQL finds that report by its key
        if (lexemes := _lexemes_of(" ".join(words))) is None:
            return None
        terms += [tantivy.Query.term_query(SCHEMA, "words", lexeme) for lexeme in lexemes]
    for name, value in (("status", filters.status), ("kind", filters.kind), ("within", filters.region)):
        if value is not None:
            terms.append(tantivy.Query.term_query(SCHEMA, name, value))
    for name, code, lookup in (
        ("category", filters.category, category_by_code),
        ("agency", filters.agency, agency_by_code),
    ):
        if code is None:
            continue
        if (row := lookup(code)) is None:
            return []  # a code that names nothing
        terms.append(tantivy.Query.term_query(SCHEMA, name, row.pk))
    searcher = _reader()
    if searcher is None:
        return None
    query = tantivy.Query.boolean_query([(tantivy.Occur.Must, term) for term in terms])
    found = searcher.search(query, limit=limit, count=False, order_by_field="ts")
    return [searcher.doc(address)["id"][0] for _ts, address in found.hits]
