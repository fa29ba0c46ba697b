"""Batches of paper letters and walk-in complaints from a spreadsheet (.csv or .xlsx).

`--map title=Judul,body=Isi,...` names the column of each field. Every row gets an external
reference (the mapped `external_ref` column, else a digest of the row's mapped values), so importing
the same file twice stores every letter once. Rows that cannot be filed are written, with the
reason, to `<file>.rejected.csv` beside the input; the filed ones, with their tracking IDs and the
guests' access codes (to send back to the citizens by post), to `<file>.accepted.csv`."""

import csv
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lapor.agencies.access import Viewer
from lapor.core.errors import ApplicationError, Invalid
from lapor.reports.models import Channel
from lapor.reports.services import ReportDraft
from lapor.reports.services.bulk import report_submit_many

__all__ = ["FIELDS", "ImportResult", "import_file", "parse_map"]

FIELDS = frozenset(
    {
        "title",
        "body",
        "kind",
        "incident_date",
        "region",
        "address",
        "lat",
        "lon",
        "category",
        "target_agency",
        "tags",
        "anonymous",
        "confidential",
        "reporter_name",
        "reporter_email",
        "reporter_phone",
        "external_ref",
    }
)
CHANNELS = frozenset({Channel.PAPER, Channel.WALK_IN})
CHUNK = 500
TRUE = {"1", "true", "ya", "y", "yes", "benar"}
FALSE = {"", "0", "false", "tidak", "t", "no", "n", "salah"}


@dataclass
class ImportResult:
    created: int = 0
    existing: int = 0
    rejected: int = 0
    seconds: float = 0.0
    rejected_file: Path | None = None
    accepted_file: Path | None = None
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_map(spec: str) -> dict[str, str]:
    """ "title=Judul,body=Isi" → {"title": "Judul", "body": "Isi"}; `body` is required."""
    mapping: dict[str, str] = {}
    for pair in (p for p in spec.split(",") if p.strip()):
        name, sep, column = pair.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not column:
            raise Invalid(f"Pemetaan '{pair}' harus berbentuk field=Kolom.", field="map")
        if name not in FIELDS:
            raise Invalid(f"Field '{name}' tidak dikenal; pilihan: {', '.join(sorted(FIELDS))}.", field="map")
        mapping[name] = column
    if "body" not in mapping:
        raise Invalid("Pemetaan wajib menyebut body=<kolom isi laporan>.", field="map")
    return mapping


def _rows(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [str(v or "").strip() for v in next(values, ())]
        return header, ([_cell(v) for v in row] for row in values)
    if path.suffix.lower() != ".csv":
        raise Invalid("Berkas harus .csv atau .xlsx.", field="file")
    handle = path.open(encoding="utf-8-sig", newline="")
    sample = handle.read(8192)
    handle.seek(0)
    dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    reader = csv.reader(handle, dialect)
    header = [h.strip() for h in next(reader, [])]
    return header, reader


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise Invalid(
        f"Tanggal '{value}' tidak dikenali (pakai YYYY-MM-DD atau DD/MM/YYYY).", field="incident_date"
    )


def _bool(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise Invalid(f"Nilai '{value}' bukan ya/tidak.", field=name)


def _float(value: str, name: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError as exc:
        raise Invalid(f"'{value}' bukan angka.", field=name) from exc


def _draft(values: dict[str, str], channel: str) -> ReportDraft:
    ref = values.get("external_ref", "").strip()
    if not ref:
        digest = hashlib.sha256(json.dumps(sorted(values.items()), ensure_ascii=False).encode()).hexdigest()
        ref = f"row:{digest[:40]}"
    return ReportDraft(
        body=values.get("body", ""),
        title=values.get("title", "").strip()[:200],
        kind=values.get("kind", "").strip() or "complaint",
        incident_date=_date(values.get("incident_date", "")),
        region=values.get("region", "").strip() or None,
        address=values.get("address", ""),
        lat=_float(values.get("lat", ""), "lat"),
        lon=_float(values.get("lon", ""), "lon"),
        category=values.get("category", "").strip() or None,
        target_agency=values.get("target_agency", "").strip() or None,
        tags=tuple(t.strip() for t in values.get("tags", "").split(",") if t.strip()),
        anonymous=_bool(values.get("anonymous", ""), "anonymous"),
        confidential=_bool(values.get("confidential", ""), "confidential"),
        reporter_name=values.get("reporter_name", ""),
        reporter_email=values.get("reporter_email", ""),
        reporter_phone=values.get("reporter_phone", ""),
        channel=channel,
        external_ref=ref[:120],
    )


def import_file(
    path: Path,
    *,
    channel: str,
    mapping: dict[str, str],
    actor: Viewer | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    if channel not in CHANNELS:
        raise Invalid(f"Kanal impor harus salah satu dari: {', '.join(sorted(CHANNELS))}.", field="channel")
    started = time.monotonic()
    header, rows = _rows(path)
    missing = [column for column in mapping.values() if column not in header]
    if missing:
        raise Invalid(f"Kolom tidak ada di berkas: {', '.join(missing)}.", field="map")
    position = {name: header.index(column) for name, column in mapping.items()}
    data = [row for row in rows if any(cell.strip() for cell in row)]
    result = ImportResult(rows=len(data))
    rejected: list[list[str]] = []
    accepted: list[list[str]] = []
    actor = actor or Viewer.public()
    for start in range(0, len(data), CHUNK):
        chunk = data[start : start + CHUNK]
        drafts: list[tuple[int, ReportDraft, list[str]]] = []
        for offset, row in enumerate(chunk):
            number = start + offset + 2  # spreadsheet row, after the header
            values = {name: (row[i] if i < len(row) else "") for name, i in position.items()}
            try:
                drafts.append((number, _draft(values, channel), row))
            except ApplicationError as exc:
                rejected.append([str(number), *row, _reason(exc)])
        outcomes = report_submit_many(drafts=[d for _, d, _ in drafts], actor=actor)
        for (number, _d, row), outcome in zip(drafts, outcomes, strict=True):
            if outcome.error is not None:
                rejected.append([str(number), *row, _reason(outcome.error)])
                continue
            assert outcome.submitted is not None  # nosec B101  # type narrowing; no error means submitted
            if outcome.submitted.created:
                result.created += 1
                accepted.append(
                    [str(number), outcome.submitted.report.tracking_id, outcome.submitted.access_code or ""]
                )
            else:
                result.existing += 1
        if progress is not None:
            progress(min(start + CHUNK, len(data)), len(data))
    rejected.sort(key=lambda r: int(r[0]))
    result.rejected = len(rejected)
    result.errors = [(int(r[0]), r[-1]) for r in rejected]
    result.rejected_file = _write_beside(path, "rejected", ["baris", *header, "alasan"], rejected)
    result.accepted_file = _write_beside(path, "accepted", ["baris", "nomor_laporan", "kode_akses"], accepted)
    result.seconds = time.monotonic() - started
    return result


def _reason(exc: ApplicationError) -> str:
    return f"{exc.field}: {exc.message}" if exc.field else exc.message


def _write_beside(path: Path, kind: str, header: list[str], rows: list[list[str]]) -> Path | None:
    target = path.with_name(f"{path.stem}.{kind}.csv")
    if not rows:
        if kind == "rejected":  # a stale list of rejects would mislead; accepted codes are kept
            target.unlink(missing_ok=True)
        return None
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return target
