"""The intake journal (ADR 0033): with a worker, a filing without attachments is accepted into one row
and written out a moment later as the same report the direct path would have written. Until then only
its reporter sees it, as submitted; nobody else, staff included, on any surface."""

import io
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from lapor.analytics import rollups
from lapor.analytics.models import Rollup
from lapor.core import clock, ids
from lapor.notifications.models import OutboxMessage
from lapor.reports import services
from lapor.reports.models import PendingFiling, Report, ReporterIdentity, TimelineEvent
from tests.api.helpers import client_for, post_json
from tests.factories import World, guest_report
from tests.reports.test_tracking_ids import SEED, _Dice, _next_draws, _take
from tests.web.helpers import client_as, page
from tests.web.test_public import _png

pytestmark = pytest.mark.django_db

FILED_AT = datetime(2026, 11, 27, 16, 30, tzinfo=ZoneInfo("Asia/Jakarta"))  # a Friday afternoon
STAFF = ["verifier", "admin_pemda", "admin_pln", "officer_pu", "supervisor", "province_supervisor"]


@pytest.fixture
def journal(settings: Any) -> Any:
    settings.LAPOR_INTAKE_JOURNAL = True
    settings.TASK_MODE = "database"  # a worker writes the rows out; tests run it by hand
    return settings


def _file(client: Client | None = None, **overrides: object) -> dict[str, str]:
    response = post_json(client or Client(), "/api/v1/reports", guest_report(**overrides))
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_a_filing_is_one_row_until_written_out_as_the_direct_path_writes_it(
    world: World, journal: Any
) -> None:
    with clock.frozen_at(FILED_AT):
        filed = _file()
    assert filed["status"] == "submitted" and filed["created"] is True and filed["access_code"]
    assert PendingFiling.objects.count() == 1
    assert not Report.objects.exists() and not OutboxMessage.objects.exists()

    assert services.filings_write_out() == 1

    assert not PendingFiling.objects.exists()
    report = Report.objects.get(tracking_id=filed["tracking_id"])
    journal.LAPOR_INTAKE_JOURNAL = False
    with clock.frozen_at(FILED_AT):
        direct = Report.objects.get(tracking_id=_file()["tracking_id"])
    for name in ["created_at", "verify_due_at", "due_at", "status", "kind", "title", "body", "region_id"]:
        assert getattr(report, name) == getattr(direct, name), name
    assert report.category_id == direct.category_id and report.sla_policy == direct.sla_policy
    identity = ReporterIdentity.objects.get(report=report)
    assert (identity.name, identity.email) == ("Budi", "budi@contoh.id")
    event = TimelineEvent.objects.get(report=report)
    assert (event.action, event.created_at, event.data) == ("submit", FILED_AT, {"channel": "api"})
    receipt = OutboxMessage.objects.get(address="budi@contoh.id", body__contains=report.tracking_id)
    assert filed["access_code"] not in receipt.body  # shown once, in the answer to the filing only
    # The access code from the answer opens the written report.
    response = Client().get(f"/api/v1/reports/{report.tracking_id}", HTTP_X_ACCESS_CODE=filed["access_code"])
    assert response.status_code == 200 and response.json()["reporter"]["name"] == "Budi"


def test_before_it_is_written_out_its_reporter_sees_it_as_submitted(world: World, journal: Any) -> None:
    filed = _file()
    code = {"HTTP_X_ACCESS_CODE": filed["access_code"]}
    response = Client().get(f"/api/v1/reports/{filed['tracking_id']}", **code)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["reporter"]["name"] == "Budi" and body["verify_due_at"]
    assert body["attachments"] == [] and body["can"] == ["reporter"]
    timeline = Client().get(f"/api/v1/reports/{filed['tracking_id']}/timeline", **code)
    assert timeline.status_code == 200 and timeline.json() == []
    # A signed-in citizen's own filing, by account.
    own = _file(client_for(world.citizen), reporter_name="", reporter_email="")
    response = client_for(world.citizen).get(f"/api/v1/reports/{own['tracking_id']}")
    assert response.status_code == 200 and response.json()["reporter"]["name"] == "Siti Aminah Rahasia"


@pytest.mark.parametrize("who", ["public", "other_citizen", *STAFF])
def test_before_it_is_written_out_nobody_else_sees_it_anywhere(world: World, journal: Any, who: str) -> None:
    user = None if who == "public" else getattr(world, who)
    filed = _file(anonymous=True)
    tracking_id = filed["tracking_id"]
    api, web = client_for(user), client_as(user)
    wrong_code = {"HTTP_X_ACCESS_CODE": "2345678923"}
    assert api.get(f"/api/v1/reports/{tracking_id}", **wrong_code).status_code == 404
    assert api.get(f"/api/v1/reports/{tracking_id}/timeline").status_code == 404
    assert web.get(f"/laporan/{tracking_id}/").status_code == 404
    assert web.get(f"/laporan/{tracking_id}/terkirim/").status_code == 302  # to the page above: 404
    assert Client().get(f"/open311/v2/requests/{tracking_id}.json").status_code == 404
    surfaces = [
        "/api/v1/reports",
        "/api/v1/reports?status=submitted",
        "/api/v1/reports?q=berlubang",  # search
        "/api/v1/open-data/reports.csv",  # export
        "/api/v1/me/data",  # a signed-in viewer's own data
        "/open311/v2/requests.json",
        "/laporan/",
        "/laporan/?q=berlubang",
    ]
    for path in surfaces:
        response = api.get(path) if path.startswith("/api") else web.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert tracking_id not in content.decode() and "Budi" not in content.decode(), path
    stats = Client().get("/api/v1/stats/overview").json()
    assert "Budi" not in str(stats)


def test_a_reporters_data_export_holds_the_filing_of_a_second_ago(world: World, journal: Any) -> None:
    citizen = client_for(world.citizen)
    tracking_id = _file(citizen)["tracking_id"]
    _file()  # a guest's filing: not theirs, and it stays in the journal
    assert PendingFiling.objects.count() == 2
    exported = citizen.get("/api/v1/me/data")
    assert exported.status_code == 200, exported.content
    assert [r["tracking_id"] for r in exported.json()["reports"]] == [tracking_id]
    assert PendingFiling.objects.get().reporter_id is None  # only the exporter's own was written out


def test_staff_see_it_once_it_is_a_report(world: World, journal: Any) -> None:
    tracking_id = _file()["tracking_id"]
    queue = client_for(world.verifier).get("/api/v1/reports?status=submitted").json()
    assert tracking_id not in [item["tracking_id"] for item in queue["items"]]
    services.filings_write_out()
    queue = client_for(world.verifier).get("/api/v1/reports?status=submitted").json()
    assert tracking_id in [item["tracking_id"] for item in queue["items"]]


def test_a_repeated_push_is_one_filing_before_and_after_the_write_out(world: World, journal: Any) -> None:
    first = _file(external_ref="WA-7781")
    again = post_json(Client(), "/api/v1/reports", guest_report(external_ref="WA-7781"))
    assert again.status_code == 200 and again.json()["tracking_id"] == first["tracking_id"]
    assert again.json()["access_code"] is None and PendingFiling.objects.count() == 1
    services.filings_write_out()
    later = post_json(Client(), "/api/v1/reports", guest_report(external_ref="WA-7781"))
    assert later.status_code == 200 and later.json()["tracking_id"] == first["tracking_id"]
    assert Report.objects.count() == 1 and not PendingFiling.objects.exists()


def test_a_tracking_id_a_report_holds_is_drawn_again(
    world: World, journal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _next_draws(2)
    _take(world, first)
    monkeypatch.setattr(ids, "secrets", _Dice(SEED))
    assert _file()["tracking_id"] == second
    assert list(PendingFiling.objects.values_list("tracking_id", flat=True)) == [second]


def test_a_row_that_cannot_be_written_stays_and_the_rest_of_its_batch_is_written(
    world: World, journal: Any
) -> None:
    clash, fine = _file()["tracking_id"], _file(reporter_email="ani@contoh.id")["tracking_id"]
    _take(world, clash)  # a report that took the id after acceptance: the one case the write-out refuses
    before = Report.objects.count()

    assert services.filings_write_out() == 1

    assert Report.objects.filter(tracking_id=fine).exists() and Report.objects.count() == before + 1
    stuck = PendingFiling.objects.get()
    assert stuck.tracking_id == clash and stuck.attempts == 1 and "IntegrityError" in stuck.last_error
    out = _command("status")
    assert out["waiting"] == 1 and out["stuck"] == []
    PendingFiling.objects.update(attempts=5)
    out = _command("status")
    assert out["stuck"][0]["tracking_id"] == clash
    assert "Budi" not in str(out) and "budi@contoh.id" not in str(out)  # counts and errors, no identity
    assert services.filings_write_out() == 0  # left to the operator, not retried forever
    assert _command("retry")["requeued"] == 1


def _command(action: str) -> dict[str, object]:
    out = io.StringIO()
    call_command("intake", action, stdout=out)
    return dict(json.loads(out.getvalue()))


def test_attachments_and_the_immediate_backend_keep_the_direct_path(world: World, journal: Any) -> None:
    response = Client().post("/", guest_report(attachments=[_png()]))
    assert response.status_code == 302 and Report.objects.count() == 1
    journal.TASK_MODE = "immediate"
    _file()
    assert Report.objects.count() == 2 and not PendingFiling.objects.exists()


def test_the_web_form_confirms_and_the_page_waits_for_the_report(world: World, journal: Any) -> None:
    client = Client()
    response = client.post("/", guest_report())
    assert response.status_code == 302
    row = PendingFiling.objects.get()
    confirmation = page(client.get(response["Location"]))
    assert row.tracking_id in confirmation and "paling lambat" in confirmation
    pending = page(client.get(f"/laporan/{row.tracking_id}/"))
    assert "sedang dicatat" in pending and 'http-equiv="refresh"' in pending
    assert Client().get(f"/laporan/{row.tracking_id}/").status_code == 404  # another browser, no code
    services.filings_write_out()
    detail = page(client.get(f"/laporan/{row.tracking_id}/"))
    assert "sedang dicatat" not in detail and "Budi" in detail and "(Anda)" in detail


def test_a_batch_written_out_counts_in_the_statistics_as_reports_filed_one_by_one(
    world: World, journal: Any
) -> None:
    for n in range(3):
        _file(reporter_email=f"warga{n}@contoh.id")
    _file(region="34", category="")  # another cell
    assert services.filings_write_out() == 4
    assert rollups.verify() == [] and rollups.snapshot() == rollups.rebuild()
    assert sum(Rollup.objects.values_list("received", flat=True)) == 4
    assert Rollup.objects.filter(received__gt=0).count() == 2  # three filings in one cell, one in another


def test_an_account_deleted_before_its_filing_is_written_out_keeps_the_filing_without_the_person(
    world: World, journal: Any
) -> None:
    citizen = client_for(world.citizen)
    tracking_id = _file(citizen, reporter_name="", reporter_email="")["tracking_id"]
    assert PendingFiling.objects.filter(reporter=world.citizen).exists()

    response = post_json(citizen, "/api/v1/me/delete", {"password": "lapor-demo"})

    assert response.status_code == 200 and response.json()["reports_deidentified"] == 1
    report = Report.objects.get(tracking_id=tracking_id)  # accepted, so not lost with the account
    assert report.reporter_id is None and report.access_code_digest == ""
    assert not ReporterIdentity.objects.filter(report=report).exists() and not PendingFiling.objects.exists()
