"""The officer console: who gets in, which queues each role has, what each queue holds, which actions
the workspace offers, and that POSTs outside one's role answer 403 (visible) or 404 (not visible)."""

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lapor.core import keyset
from lapor.reports import services
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.queues import queue_reports
from lapor.reports.workflow import Status
from lapor.web.models import ResponseTemplate
from tests.factories import World, report_in, road_rules, submit
from tests.web.helpers import client_as, every_page, page

pytestmark = pytest.mark.django_db


def _forms(html: str) -> set[str]:
    return set(re.findall(r'id="form-([a-z_]+)"', html))


def test_console_needs_sign_in_and_a_membership(world: World) -> None:
    assert Client().get("/staf/")["Location"].startswith("/akun/masuk/?next=/staf/")
    assert client_as(world.citizen).get("/staf/").status_code == 403
    assert client_as(world.verifier).get("/staf/").status_code == 200


@pytest.mark.parametrize(
    ("user", "queues"),
    [
        ("verifier", {"baru", "ditunda", "dikembalikan"}),
        ("admin_pemda", {"masuk", "diproses", "terlambat-instansi", "dijawab"}),
        ("officer_pu", {"unit"}),
        ("supervisor", {"terlambat", "eskalasi"}),
    ],
)
def test_each_role_sees_its_own_queues(world: World, user: str, queues: set[str]) -> None:
    html = page(client_as(getattr(world, user)).get("/staf/"))
    assert set(re.findall(r'href="/staf/antrean/([a-z-]+)/"', html)) == queues
    for key in {"baru", "masuk", "unit", "eskalasi"} - queues:
        assert client_as(getattr(world, user)).get(f"/staf/antrean/{key}/").status_code == 404


def test_queues_hold_only_what_the_viewer_may_see(world: World) -> None:
    new = report_in(world, Status.SUBMITTED)
    routed = report_in(world, Status.ROUTED)
    working = report_in(world, Status.IN_PROGRESS)
    other = submit(world).report
    services.report_route(report=other, agency=world.pln, actor=world.viewer("verifier"))
    verifier = page(client_as(world.verifier).get("/staf/antrean/baru/"))
    assert new.tracking_id in verifier and routed.tracking_id not in verifier
    incoming = page(client_as(world.admin_pemda).get("/staf/antrean/masuk/"))
    assert routed.tracking_id in incoming and other.tracking_id not in incoming
    assert new.tracking_id not in incoming
    pln = page(client_as(world.admin_pln).get("/staf/antrean/masuk/"))
    assert other.tracking_id in pln and routed.tracking_id not in pln
    unit = page(client_as(world.officer_pu).get("/staf/antrean/unit/"))
    assert working.tracking_id in unit and routed.tracking_id not in unit
    assert "Tepat waktu" in unit  # deadline badge


def test_queue_search_sort_and_pagination_params(world: World) -> None:
    report = report_in(world, Status.SUBMITTED)
    client = client_as(world.verifier)
    assert report.tracking_id in page(client.get("/staf/antrean/baru/?q=Godean&sort=terbaru&kind=complaint"))
    assert report.tracking_id not in page(client.get("/staf/antrean/baru/?q=listrik"))
    assert client.get("/staf/antrean/baru/?sort=nonsense&page=99").status_code == 200


@pytest.mark.parametrize(
    ("status", "user", "offered"),
    [
        (Status.SUBMITTED, "verifier", {"route", "hold", "merge", "archive", "note"}),
        (Status.ROUTED, "admin_pemda", {"accept", "respond", "decline", "extend", "note"}),
        (Status.IN_PROGRESS, "admin_pemda", {"forward", "respond", "decline", "extend", "note"}),
        (Status.IN_PROGRESS, "officer_pu", {"respond", "note"}),
        (Status.IN_PROGRESS, "supervisor", set()),
        (Status.ROUTED, "verifier", {"merge", "archive", "note"}),
    ],
)
def test_workspace_offers_exactly_the_allowed_actions(
    world: World, status: Status, user: str, offered: set[str]
) -> None:
    report = report_in(world, status)
    html = page(client_as(getattr(world, user)).get(f"/staf/laporan/{report.tracking_id}/"))
    assert _forms(html) == offered


def test_actions_outside_the_role_are_403_or_404(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    url = f"/staf/laporan/{report.tracking_id}/aksi/"
    assert (
        client_as(world.officer_pu).post(url + "decline/", {"decline-reason": "not_authority"}).status_code
        == 403
    )
    assert (
        client_as(world.supervisor).post(url + "respond/", {"respond-message": "x" * 20}).status_code == 403
    )
    assert client_as(world.admin_pln).post(url + "respond/", {"respond-message": "x" * 20}).status_code == 404
    assert client_as(world.admin_pln).get(f"/staf/laporan/{report.tracking_id}/").status_code == 404
    assert client_as(world.citizen).post(url + "respond/", {}).status_code == 403
    assert client_as(world.admin_pemda).post(url + "bogus/", {}).status_code == 404
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


def test_route_accept_forward_respond_through_the_forms(world: World) -> None:
    report = submit(world).report
    ws = f"/staf/laporan/{report.tracking_id}/"
    client_as(world.verifier).post(ws + "aksi/route/", {"route-agency": "pemda-34.04", "route-note": "cek"})
    admin = client_as(world.admin_pemda)
    admin.post(ws + "aksi/accept/", {})
    admin.post(ws + "aksi/forward/", {"forward-unit": "pemda-34.04/dinas-pu"})
    client_as(world.officer_pu).post(ws + "aksi/respond/", {"respond-message": "Sudah kami tambal pagi ini."})
    report.refresh_from_db()
    assert report.status == Status.RESPONDED and report.unit == world.unit_pu


def test_invalid_action_keeps_input(world: World) -> None:
    report = report_in(world, Status.SUBMITTED)
    html = page(
        client_as(world.verifier).post(
            f"/staf/laporan/{report.tracking_id}/aksi/route/",
            {"route-agency_q": "tidak ada instansi ini", "route-note": "Catatan saya"},
        )
    )
    assert "Catatan saya" in html and 'class="error"' in html
    hold = page(
        client_as(world.verifier).post(
            f"/staf/laporan/{report.tracking_id}/aksi/hold/", {"hold-note": "Simpan"}
        )
    )
    assert "Simpan" in hold and '<details class="action" open>' in hold.replace(" open>", " open>")


def test_wrong_status_is_a_message_not_a_crash(world: World) -> None:
    report = report_in(world, Status.ROUTED)
    client = client_as(world.admin_pemda)
    client.post(f"/staf/laporan/{report.tracking_id}/aksi/accept/", {})
    # a second accept from a stale page: the workflow refuses and the page says so
    response = client.post(f"/staf/laporan/{report.tracking_id}/aksi/accept/", {}, follow=True)
    assert response.status_code in {200, 403}


def test_decline_returns_to_the_queues(world: World) -> None:
    report = report_in(world, Status.ROUTED)
    response = client_as(world.admin_pemda).post(
        f"/staf/laporan/{report.tracking_id}/aksi/decline/", {"decline-reason": "not_authority"}
    )
    assert response["Location"] == "/staf/"
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.decline_count == 1
    assert report.tracking_id in page(client_as(world.verifier).get("/staf/antrean/dikembalikan/"))


def test_internal_note_is_staff_only(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    client_as(world.officer_pu).post(
        f"/staf/laporan/{report.tracking_id}/aksi/note/", {"note-note": "Tim survei berangkat besok."}
    )
    assert TimelineEvent.objects.filter(report=report, action="note").exists()
    assert "Tim survei" in page(client_as(world.admin_pemda).get(f"/staf/laporan/{report.tracking_id}/"))
    assert "Tim survei" not in page(client_as(world.citizen).get(f"/laporan/{report.tracking_id}/"))
    assert "Tim survei" not in page(Client().get(f"/laporan/{report.tracking_id}/"))


def test_respond_offers_the_agency_templates(world: World) -> None:
    ResponseTemplate.objects.create(
        agency=world.pemda, title="Sudah dijadwalkan", body="Perbaikan dijadwalkan."
    )
    ResponseTemplate.objects.create(agency=world.pln, title="Templat PLN", body="Gangguan listrik ditangani.")
    report = report_in(world, Status.IN_PROGRESS)
    html = page(client_as(world.officer_pu).get(f"/staf/laporan/{report.tracking_id}/"))
    assert "Sudah dijadwalkan" in html and "Perbaikan dijadwalkan." in html
    assert "Templat PLN" not in html


def test_bulk_route_and_archive_report_each_failure(world: World) -> None:
    first, second = report_in(world, Status.SUBMITTED), report_in(world, Status.SUBMITTED)
    gone = report_in(world, Status.ROUTED)
    client = client_as(world.verifier)
    response = client.post(
        "/staf/antrean/baru/massal/",
        {"ids": [first.tracking_id, gone.tracking_id], "action": "route", "agency": "pemda-34.04"},
        follow=True,
    )
    html = page(response)
    assert "1 laporan berhasil diproses" in html and f"{gone.tracking_id} gagal" in html
    client.post(
        "/staf/antrean/baru/massal/",
        {"ids": [second.tracking_id], "action": "archive", "reason": "too_general"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.ROUTED and second.status == Status.ARCHIVED


def test_bulk_is_not_offered_outside_verifier_queues(world: World) -> None:
    report = report_in(world, Status.ROUTED)
    client = client_as(world.admin_pemda)
    assert 'name="ids"' not in page(client.get("/staf/antrean/masuk/"))
    assert client.post("/staf/antrean/masuk/massal/", {"ids": [report.tracking_id]}).status_code == 403
    assert client.post("/staf/antrean/baru/massal/", {"ids": [report.tracking_id]}).status_code == 404


def test_routing_suggestions_appear_in_the_route_form(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any
) -> None:
    from lapor.routing import store
    from lapor.routing.suggest import suggest

    settings.MODEL_DIR = tmp_path  # no trained model: the seed model, trained in memory
    store.forget()
    road_rules(world)
    report = report_in(world, Status.SUBMITTED)
    # The real router, on the seed model and the road rules: a road in Sleman goes to Sleman's government.
    best = suggest(title=report.title, body=report.body, region="34.04", category="roads_infrastructure")[0]
    assert best.agency_code == "pemda-34.04"
    html = page(client_as(world.verifier).get(f"/staf/laporan/{report.tracking_id}/saran/"))
    assert 'value="pemda-34.04"' in html and f"{best.confidence:.0%}" in html
    monkeypatch.setitem(sys.modules, "lapor.routing.suggest", None)
    assert page(client_as(world.verifier).get(f"/staf/laporan/{report.tracking_id}/saran/")).strip() == ""
    store.forget()  # the next test reads its own model folder


def test_merge_candidates_and_merge(world: World) -> None:
    # The same complaint filed twice: the real duplicate finder offers the first as the main report.
    main, duplicate = report_in(world, Status.ROUTED), report_in(world, Status.SUBMITTED)
    client = client_as(world.verifier)
    html = page(client.get(f"/staf/laporan/{duplicate.tracking_id}/serupa/"))
    assert f'value="{main.tracking_id}"' in html
    client.post(
        f"/staf/laporan/{duplicate.tracking_id}/aksi/merge/", {"merge-duplicate_of_pick": main.tracking_id}
    )
    duplicate.refresh_from_db()
    assert duplicate.status == Status.ARCHIVED and duplicate.duplicate_of_id == main.pk
    # The merged report points at the main one (loaded on demand: report_get does not join it).
    html = page(client.get(f"/laporan/{duplicate.tracking_id}/"))
    assert f'href="/laporan/{main.tracking_id}/"' in html


def test_templates_console_for_agency_admins_only(world: World) -> None:
    admin = client_as(world.admin_pemda)
    admin.post(
        "/staf/templat/",
        {"agency": "pemda-34.04", "title": "Terima kasih", "body": "Terima kasih, kami cek."},
    )
    template = ResponseTemplate.objects.get()
    assert "Terima kasih" in page(admin.get("/staf/templat/"))
    admin.post(
        f"/staf/templat/{template.pk}/",
        {"agency": "pemda-34.04", "title": "Baru", "body": "Isi yang baru sekali."},
    )
    template.refresh_from_db()
    assert template.title == "Baru"
    assert client_as(world.admin_pln).get(f"/staf/templat/{template.pk}/").status_code == 404
    assert client_as(world.admin_pln).post(f"/staf/templat/{template.pk}/hapus/").status_code == 404
    assert client_as(world.officer_pu).get("/staf/templat/").status_code == 403
    dup = page(
        admin.post("/staf/templat/", {"agency": "pemda-34.04", "title": "Baru", "body": "Lagi yang sama."})
    )
    assert "sudah dipakai" in dup
    admin.post(f"/staf/templat/{template.pk}/hapus/")
    assert not ResponseTemplate.objects.exists()
    assert Report.objects.count() == 0


@pytest.mark.parametrize("sort", ["tenggat", "terbaru", "dukungan"])
def test_a_queue_past_its_counted_pages_goes_on_by_cursor_in_its_order(
    world: World, monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    """Ten numbered pages at most (the count's cap); "Berikutnya" then goes on in the queue's own
    order, so a verifier reaches every report of a long queue once, and a broken link says so."""
    for _ in range(5):
        report_in(world, Status.SUBMITTED)
    verifier = world.viewer("verifier")
    expected = [r.tracking_id for r in queue_reports(viewer=verifier, key="baru", sort=sort)]
    assert len(expected) >= 5
    monkeypatch.setattr(keyset, "COUNT_CAP", 2)
    monkeypatch.setattr("lapor.web.views.common.PAGE_SIZE", 2)
    client = client_as(world.verifier)
    seen, pages = every_page(client, f"/staf/antrean/baru/?sort={sort}", r'href="/staf/laporan/([^/]+)/"')
    assert '<span class="count">2+</span></h1>' in pages[0] and len(pages) >= 3
    assert seen == expected
    broken = page(client.get("/staf/antrean/baru/", {"cursor": "bukan-kursor", "sort": sort}))
    assert "Tautan halaman itu tidak valid" in broken and expected[0] in broken
