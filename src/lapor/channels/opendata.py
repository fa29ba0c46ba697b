"""Open data: every public report as one de-identified CSV row (DESIGN §4: the public sees verified,
non-confidential, unarchived reports; nothing else is ever exported).

De-identification: no reporter (not even a named reporter's name), no street address, coordinates
rounded to 2 decimals (about 1 km), and e-mail addresses, phone numbers and 16-digit NIK numbers
masked in the title and body. The columns are documented in docs/integration.md (`SCHEMA`)."""

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from lapor.agencies.access import Viewer
from lapor.reports.models import Report
from lapor.reports.selectors import reports_visible_to

__all__ = ["SCHEMA", "csv_lines", "daily_export", "scrub"]

SCHEMA: tuple[tuple[str, str], ...] = (
    ("tracking_id", "Nomor pelacakan publik (LPR-…)"),
    ("kind", "complaint | aspiration | information_request"),
    ("category", "Kode kategori (taksonomi DESIGN §4)"),
    ("status", "submitted | on_hold | routed | in_progress | responded | closed"),
    ("agency", "Kode instansi penanggung jawab"),
    ("agency_name", "Nama instansi"),
    ("unit", "Kode unit kerja"),
    ("region", "Kode wilayah Kemendagri"),
    ("region_name", "Nama wilayah"),
    ("lat", "Lintang, dibulatkan 2 desimal"),
    ("lon", "Bujur, dibulatkan 2 desimal"),
    ("channel", "Kanal masuk (web, api, open311, email, sms, social, walk_in, paper, integration:…)"),
    ("title", "Judul (kontak pribadi disamarkan)"),
    ("body", "Isi laporan (kontak pribadi disamarkan)"),
    ("supporters", "Jumlah dukungan"),
    ("escalation_level", "Tingkat eskalasi 0–3"),
    ("rating", "Penilaian pelapor 1–5, kosong jika belum"),
    ("created_at", "Waktu laporan masuk (ISO 8601)"),
    ("verified_at", "Waktu pertama didisposisikan"),
    ("first_response_at", "Waktu tindak lanjut pertama"),
    ("closed_at", "Waktu selesai"),
    ("resolution_due_at", "Batas penyelesaian"),
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(\+62|62|0)\s?8[\d\s-]{7,14}\d")
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


def scrub(text: str) -> str:
    text = EMAIL.sub("[surel]", text)
    text = NIK.sub("[NIK]", text)
    return PHONE.sub("[telepon]", text)


def _when(moment: object) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""  # type: ignore[arg-type]


def _row(report: Report) -> list[object]:
    return [
        report.tracking_id,
        report.kind,
        report.category.code if report.category else "",
        report.status,
        report.agency.code if report.agency else "",
        report.agency.name if report.agency else "",
        report.unit.code if report.unit else "",
        report.region_id or "",
        report.region.name if report.region else "",
        round(report.lat, 2) if report.lat is not None else "",
        round(report.lon, 2) if report.lon is not None else "",
        report.channel,
        scrub(report.title),
        scrub(report.body),
        report.supporters_count,
        report.escalation_level,
        report.rating or "",
        _when(report.created_at),
        _when(report.verified_at),
        _when(report.first_response_at),
        _when(report.closed_at),
        _when(report.resolution_due_at),
    ]


def csv_lines(*, chunk: int = 2000) -> Iterator[str]:
    """The export, line by line, streamed from the public selector (constant memory)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in SCHEMA])
    yield buffer.getvalue()
    reports = reports_visible_to(viewer=Viewer.public()).order_by("created_at", "id")
    for report in reports.iterator(chunk_size=chunk):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_row(report))
        yield buffer.getvalue()


def daily_export(
    *, day: date | None = None, directory: str | None = None, force: bool = False
) -> Path | None:
    """Writes `lapor-reports-<day>.csv` (and `lapor-reports-latest.csv`) atomically; None when the
    day's file is already there, so the worker may call this as often as it likes."""
    day = day or timezone.localdate()
    folder = Path(directory or settings.LAPOR_OPENDATA_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"lapor-reports-{day.isoformat()}.csv"
    if target.exists() and not force:
        return None
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        for line in csv_lines():
            out.write(line)
    os.replace(temporary, target)
    latest = folder / "lapor-reports-latest.csv"
    latest.unlink(missing_ok=True)
    latest.write_bytes(target.read_bytes())
    return target
