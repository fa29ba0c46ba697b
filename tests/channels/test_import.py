"""`lapor import`: a 10,000-row batch imported twice is stored once, fast; rejected rows go to a CSV
beside the input with their reasons; .xlsx works the same."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from lapor.channels.importer import import_file, parse_map
from lapor.reports.models import Report, ReporterIdentity, TimelineEvent
from lapor.reports.workflow import Status
from tests.factories import World

pytestmark = pytest.mark.django_db

MAP = (
    "title=Judul,body=Isi,reporter_name=Nama,reporter_phone=Telepon,"
    "region=Wilayah,category=Kategori,incident_date=Tanggal"
)
HEADER = ["No", "Judul", "Isi", "Nama", "Telepon", "Wilayah", "Kategori", "Tanggal"]


def row(n: int) -> list[str]:
    return [
        str(n),
        f"Surat nomor {n}",
        f"Surat pengaduan warga nomor {n}: jalan di depan rumah rusak dan belum diperbaiki sejak lama.",
        f"Warga {n}",
        f"0812{n:08d}",
        "34.04",
        "roads_infrastructure",
        "2026-11-01",
    ]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_ten_thousand_rows_twice_are_stored_once(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "surat.csv", [row(n) for n in range(10_000)])
    first = import_file(path, channel="paper", mapping=parse_map(MAP))
    assert (first.created, first.existing, first.rejected) == (10_000, 0, 0)
    second = import_file(path, channel="paper", mapping=parse_map(MAP))
    assert (second.created, second.existing, second.rejected) == (0, 10_000, 0)
    assert Report.objects.count() == 10_000 == ReporterIdentity.objects.count()
    assert TimelineEvent.objects.filter(action="submit").count() == 10_000
    report = Report.objects.get(title="Surat nomor 42")
    assert report.channel == "paper" and report.status == Status.SUBMITTED and report.verify_due_at
    assert report.region_id == "34.04" and str(report.incident_date) == "2026-11-01"
    assert report.identity.phone == "081200000042"
    accepted = list(csv.reader(path.with_name("surat.accepted.csv").open()))
    assert len(accepted) == 10_001 and accepted[1][1].startswith("LPR-") and len(accepted[1][2]) == 10


def test_rejected_rows_are_written_beside_the_input(world: World, tmp_path: Path) -> None:
    good = row(1)
    short = row(2)
    short[2] = "pendek"
    no_contact = row(3)
    no_contact[4] = ""
    bad_date = row(4)
    bad_date[7] = "kemarin"
    bad_region = row(5)
    bad_region[5] = "99.99"
    path = write_csv(
        tmp_path / "loket.csv", [good, short, no_contact, bad_date, bad_region, good], delimiter=";"
    )
    out = io.StringIO()
    call_command("import", str(path), "--channel", "walk_in", "--map", MAP, "--quiet", stdout=out)
    assert "1 baru" in out.getvalue() and "1 sudah ada" in out.getvalue() and "4 ditolak" in out.getvalue()
    rejected = list(csv.DictReader(path.with_name("loket.rejected.csv").open()))
    assert [r["baris"] for r in rejected] == ["3", "4", "5", "6"]
    reasons = [r["alasan"] for r in rejected]
    assert reasons[0].startswith("body:") and reasons[1].startswith("reporter_email:")
    assert reasons[2].startswith("incident_date:") and reasons[3].startswith("region:")
    assert rejected[0]["Isi"] == "pendek"
    assert Report.objects.get().channel == "walk_in"


def test_xlsx_and_progress(world: World, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for n in range(3):
        sheet.append(row(n))
    path = tmp_path / "surat.xlsx"
    book.save(path)
    seen: list[tuple[int, int]] = []
    result = import_file(
        path, channel="paper", mapping=parse_map(MAP), progress=lambda d, t: seen.append((d, t))
    )
    assert result.created == 3 and seen[-1] == (3, 3)


@pytest.mark.parametrize("spec", ["title=Judul", "body=Isi,nonsense=X", "body"])
def test_bad_maps(spec: str) -> None:
    from lapor.core.errors import Invalid

    with pytest.raises(Invalid):
        parse_map(spec)
