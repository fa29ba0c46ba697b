"""Open data: public reports only, de-identified, with the documented columns; the daily file."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from lapor.channels.opendata import SCHEMA, scrub
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.factories import REPORTER_NAME, World, report_in, submit

pytestmark = pytest.mark.django_db

LEAKS = (REPORTER_NAME, "Siti Aminah", "citizen@contoh.id", "081234567890", "Siti Rahayu", "siti@contoh.id")


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def make(world: World) -> dict[str, Report]:
    made = {
        "public": report_in(world, Status.CLOSED),
        "anonymous": report_in(world, Status.IN_PROGRESS, anonymous=True),
        "confidential": report_in(world, Status.IN_PROGRESS, confidential=True),
        "unverified": report_in(world, Status.SUBMITTED),
        "archived": report_in(world, Status.ARCHIVED),
    }
    Report.objects.filter(pk=made["public"].pk).update(
        lat=-7.716543,
        lon=110.356789,
        address="Jl. Kenanga 12 RT 03",
        body="Hubungi saya di 0812-3456-7890 atau budi@contoh.id, NIK 3404012345678901.",
    )
    return made


def test_public_reports_only_and_de_identified(world: World) -> None:
    made = make(world)
    response = Client().get("/api/v1/open-data/reports.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = rows_of(text)
    assert list(rows[0]) == [name for name, _ in SCHEMA]
    assert {r["tracking_id"] for r in rows} == {made["public"].tracking_id, made["anonymous"].tracking_id}
    public = next(r for r in rows if r["tracking_id"] == made["public"].tracking_id)
    assert (public["lat"], public["lon"]) == ("-7.72", "110.36")
    assert public["body"] == "Hubungi saya di [telepon] atau [surel], NIK [NIK]."
    assert public["status"] == "closed" and public["agency"] == "pemda-34.04" and public["rating"] == "5"
    for leak in (*LEAKS, "Kenanga", "budi@contoh.id", "3404012345678901"):
        assert leak not in text


def test_whoever_asks_gets_the_public_file(world: World) -> None:
    from tests.api.helpers import client_for

    made = make(world)
    text = b"".join(
        client_for(world.verifier).get("/api/v1/open-data/reports.csv").streaming_content
    ).decode()  # type: ignore[attr-defined]
    assert made["confidential"].tracking_id not in text and made["unverified"].tracking_id not in text


def test_daily_file(world: World, tmp_path: Path) -> None:
    submit(world)
    made = make(world)
    out = io.StringIO()
    call_command("opendata", "export", "--dir", str(tmp_path), stdout=out)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and files[1] == "lapor-reports-latest.csv"
    rows = rows_of((tmp_path / files[0]).read_text())
    assert {r["tracking_id"] for r in rows} == {made["public"].tracking_id, made["anonymous"].tracking_id}
    again = io.StringIO()
    call_command("opendata", "export", "--dir", str(tmp_path), stdout=again)
    assert '"written": null' in again.getvalue()  # once a day, however often the worker asks


def test_scrub() -> None:
    assert scrub("wa +62 812 3456 7890 / 08123456789") == "wa [telepon] / [telepon]"
