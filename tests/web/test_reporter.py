"""The report page and the reporter's own actions: with an account or with the guest's access code."""

import pytest
from django.test import Client

from lapor.reports.workflow import Status
from lapor.web.context import SESSION_CODES
from tests.factories import World, report_in, submit
from tests.web.helpers import client_as, page

pytestmark = pytest.mark.django_db


def _guest_client(tracking_id: str, code: str) -> Client:
    client = Client()
    session = client.session
    session[SESSION_CODES] = {tracking_id: code}
    session.save()
    return client


def test_public_page_shows_status_deadline_and_public_timeline(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    html = page(Client().get(f"/laporan/{report.tracking_id}/"))
    assert "Pemerintah Kabupaten Sleman" in html and "paling lambat" in html
    assert 'aria-current="step"' in html and "Riwayat dan jawaban" in html
    assert "Tindak lanjut dari Anda" not in html


def test_unverified_report_is_404_for_the_public(world: World) -> None:
    report = report_in(world, Status.SUBMITTED)
    assert Client().get(f"/laporan/{report.tracking_id}/").status_code == 404
    assert client_as(world.other_citizen).get(f"/laporan/{report.tracking_id}/").status_code == 404
    assert client_as(world.citizen).get(f"/laporan/{report.tracking_id}/").status_code == 200


def test_lowercase_tracking_id_redirects_to_canonical(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    response = Client().get(f"/laporan/{report.tracking_id.lower()}/")
    assert response.status_code == 302 and response["Location"] == f"/laporan/{report.tracking_id}/"


def test_guest_with_remembered_code_confirms_with_rating(world: World) -> None:
    submitted = submit(world, guest=True)
    report = submitted.report
    verifier, admin = world.viewer("verifier"), world.viewer("admin_pemda")
    from lapor.reports import services

    services.report_route(report=report, agency=world.pemda, actor=verifier)
    services.report_respond(report=report, actor=admin, message="Sudah diperbaiki tim kami kemarin.")
    client = _guest_client(report.tracking_id, submitted.access_code or "")
    html = page(client.get(f"/laporan/{report.tracking_id}/"))
    assert "Masalah selesai? Beri penilaian" in html and "Belum selesai? Tanggapi jawaban" in html
    # a rating is required: the form comes back with the comment kept
    html = page(client.post(f"/laporan/{report.tracking_id}/aksi/confirm/", {"comment": "Mantap sekali"}))
    assert "Mantap sekali" in html and "wajib" in html.lower()
    response = client.post(f"/laporan/{report.tracking_id}/aksi/confirm/", {"rating": "4", "comment": "Oke"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.rating == 4


def test_guest_enters_the_access_code_on_the_track_page(world: World) -> None:
    submitted = submit(world, guest=True)
    tracking_id = submitted.report.tracking_id
    client = Client()
    bad = client.post("/laporan/lacak/", {"tracking_id": tracking_id, "access_code": "SALAHKODE1"})
    assert "tidak cocok" in page(bad)
    good = client.post("/laporan/lacak/", {"tracking_id": tracking_id, "access_code": submitted.access_code})
    assert good["Location"] == f"/laporan/{tracking_id}/"
    assert client.get(good["Location"]).status_code == 200  # unverified, yet visible to its reporter


def test_reporter_provides_information_when_on_hold(world: World) -> None:
    report = report_in(world, Status.ON_HOLD)
    client = client_as(world.citizen)
    assert "Lengkapi informasi yang diminta verifikator" in page(
        client.get(f"/laporan/{report.tracking_id}/")
    )
    client.post(
        f"/laporan/{report.tracking_id}/aksi/provide_info/", {"message": "Lokasinya Jl. Godean km 5."}
    )
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_reply_and_reopen(world: World) -> None:
    report = report_in(world, Status.RESPONDED)
    client = client_as(world.citizen)
    client.post(f"/laporan/{report.tracking_id}/aksi/reply/", {"message": "Belum diperbaiki sama sekali."})
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    closed = report_in(world, Status.CLOSED)
    client.post(f"/laporan/{closed.tracking_id}/aksi/reopen/", {"message": "Jalannya berlubang lagi."})
    closed.refresh_from_db()
    assert closed.status == Status.IN_PROGRESS


def test_others_cannot_take_reporter_actions(world: World) -> None:
    report = report_in(world, Status.RESPONDED)
    url = f"/laporan/{report.tracking_id}/aksi/confirm/"
    assert client_as(world.other_citizen).post(url, {"rating": "5"}).status_code == 403
    assert client_as(world.admin_pemda).post(url, {"rating": "5"}).status_code == 403
    hidden = report_in(world, Status.SUBMITTED)
    assert (
        Client().post(f"/laporan/{hidden.tracking_id}/aksi/provide_info/", {"message": "x" * 9}).status_code
        == 404
    )
    assert Client().post(f"/laporan/{report.tracking_id}/aksi/route/", {}).status_code == 404


def test_support_needs_an_account_and_counts_once(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    url = f"/laporan/{report.tracking_id}/dukung/"
    assert Client().post(url)["Location"].startswith("/akun/masuk/")
    client = client_as(world.other_citizen)
    html = page(client.post(url, HTTP_HX_REQUEST="true"))
    assert "dukungan Anda tercatat" in html and "1 pendukung" in html
    assert "sudah mendukung" in page(client.post(url, HTTP_HX_REQUEST="true"))
    own = page(client_as(world.citizen).post(url, HTTP_HX_REQUEST="true"))
    assert "laporan Anda sendiri" in own


def test_support_redirect_never_leaves_the_site(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    response = client_as(world.other_citizen).post(
        f"/laporan/{report.tracking_id}/dukung/", {"next": "https://jahat.example/"}
    )
    assert response["Location"] == f"/laporan/{report.tracking_id}/"


def test_attachments_are_access_checked_downloads(world: World) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG")
    client = Client()
    client.post(
        "/",
        {
            "kind": "complaint",
            "body": "Lampu jalan mati di depan balai desa sudah sebulan lebih.",
            "reporter_name": "Tamu",
            "reporter_email": "tamu@contoh.id",
            "anonymous": "on",
            "attachments": [SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png")],
        },
    )
    from lapor.reports.models import Report

    report = Report.objects.get()
    attachment = report.attachments.get()
    url = f"/laporan/{report.tracking_id}/lampiran/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert Client().get(url).status_code == 404
