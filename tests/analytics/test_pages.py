"""The statistics pages, downloads and the early-warning page (privacy: reports only through the viewer)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lapor.analytics.models import Alert
from tests.analytics.test_rollups import scenario
from tests.factories import REPORTER_NAME, World


def test_public_pages_read_rollups_only(world: World, client: Client) -> None:
    scenario(world)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/statistik/?period=2025-02")
    assert page.status_code == 200
    html = page.content.decode()
    assert "chart-trend-data" in html and "Cara penilaian" in html and REPORTER_NAME not in html
    assert not any("reports_report" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        agency = client.get("/instansi/pemda-34.04/?period=2025-02")
    assert agency.status_code == 200 and "Pemerintah Kabupaten Sleman" in agency.content.decode()
    assert not any("reports_report" in q["sql"] for q in queries.captured_queries)
    assert client.get("/instansi/tidak-ada/").status_code == 404
    assert client.get("/statistik/?period=rusak").status_code == 200  # falls back to this year
    monthly = client.get("/instansi/pemda-34.04/laporan-bulanan/?period=2025-02")
    assert monthly.status_code == 200 and "followup_rate" in monthly.content.decode()


def test_downloads(world: World, client: Client) -> None:
    scenario(world)
    csv = client.get("/statistik/unduh/by_category.csv?period=2025-02")
    assert csv.status_code == 200 and csv.content.decode().splitlines()[1].startswith("roads_infrastructure,")
    xlsx = client.get("/statistik/unduh/peers.xlsx?agency=pemda-34.04&period=2025-02")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/statistik/unduh/nothing.csv").status_code == 404


def test_alert_page_shows_only_reports_the_viewer_may_see(world: World, client: Client) -> None:
    reports = scenario(world)
    moment = datetime(2025, 2, 28, tzinfo=ZoneInfo("Asia/Jakarta"))
    Alert.objects.create(
        kind=Alert.Kind.VOLUME_SPIKE,
        key="volume:roads_infrastructure:34.04",
        title="Lonjakan laporan roads_infrastructure",
        report_ids=[r.pk for r in reports.values()],  # type: ignore[attr-defined]
        first_seen_at=moment,
        last_seen_at=moment,
    )
    assert client.get("/staf/peringatan/").status_code == 302  # sign in first
    client.force_login(world.admin_pln)
    html = client.get("/staf/peringatan/").content.decode()
    r2, r4, r5 = reports["r2"], reports["r4"], reports["r5"]
    assert r2.tracking_id in html  # pln handled r2
    # r4 is confidential and r5 unverified: neither is pln's, so both stay hidden (only counted).
    assert r4.tracking_id not in html and r5.tracking_id not in html  # type: ignore[attr-defined]
    assert "3 laporan lain tidak dapat Anda lihat" in html
    client.force_login(world.supervisor)
    html = client.get("/staf/peringatan/").content.decode()
    assert all(r.tracking_id in html for r in reports.values())  # type: ignore[attr-defined]
    assert REPORTER_NAME not in html


def test_the_alert_page_reads_every_alerts_reports_at_once(world: World, client: Client) -> None:
    """One query for the reports of all alerts, however many alerts there are, and each alert still
    lists its own reports only."""
    reports = list(scenario(world).values())
    moment = datetime(2025, 2, 28, tzinfo=ZoneInfo("Asia/Jakarta"))

    def alert(n: int) -> Alert:
        return Alert.objects.create(
            kind=Alert.Kind.VOLUME_SPIKE,
            key=f"volume:{n}",
            title=f"Peringatan {n}",
            report_ids=[reports[n % len(reports)].pk],  # type: ignore[attr-defined]
            first_seen_at=moment,
            last_seen_at=moment,
        )

    client.force_login(world.supervisor)
    client.get("/staf/peringatan/")  # a session's first page does its own first-visit work
    alert(0)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/staf/peringatan/").status_code == 200
    for n in range(1, 4):
        alert(n)
    with CaptureQueriesContext(connection) as four:
        html = client.get("/staf/peringatan/").content.decode()
    assert len(four.captured_queries) == len(one.captured_queries)
    for n in range(4):
        section = html.split(f"Peringatan {n}")[1].split("Peringatan ")[0]
        assert reports[n % len(reports)].tracking_id in section  # type: ignore[attr-defined]
        others = {r.tracking_id for i, r in enumerate(reports) if i != n % len(reports)}  # type: ignore[attr-defined]
        assert not any(t in section for t in others)
