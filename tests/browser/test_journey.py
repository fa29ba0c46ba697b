"""The whole journey in a real browser: a guest files a report with an attachment and tracks it; the
verifier routes it; the agency admin accepts and forwards it; the unit officer responds; the reporter
confirms with a rating. Every page is photographed, and no request may leave 127.0.0.1."""

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import Session
from tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Lampu penerangan jalan di Jl. Kaliurang km 7 mati sejak tiga minggu, rawan kecelakaan malam hari."


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "lampu-mati.png"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


def _submit(session: Session, selector: str) -> None:
    with session.page.expect_navigation():
        session.page.click(selector)


def test_guest_to_confirmed(open_session: Any, tmp_path: Path) -> None:
    build_world()
    # Given a guest on a phone
    guest: Session = open_session("1-guest", width=360)
    guest.go("/")
    guest.shot("form")
    page = guest.page
    page.check("input[name=kind][value=complaint]")
    page.fill("#id_title", "Lampu jalan mati di Kaliurang")
    page.fill("#id_body", BODY)
    page.fill("#id_region_q", "Sleman")
    page.check("input[name=region][value='34.04']")
    page.select_option("#id_category", "roads_infrastructure")
    page.set_input_files("#id_attachments", str(_photo(tmp_path)))
    page.fill("#id_reporter_name", "Budi Santoso")
    page.fill("#id_reporter_email", "budi@contoh.id")
    guest.shot("form-filled")
    # When they send it
    with page.expect_navigation(url="**/terkirim/"):
        page.click("#report-form button[type=submit]")
    # Then the confirmation shows the tracking ID and, once, the access code
    tracking_id = page.inner_text("#tracking-id").strip()
    assert tracking_id.startswith("LPR-")
    assert len(page.inner_text("#access-code").strip()) == 10
    assert "paling lambat" in guest.text()
    guest.shot("confirmation")
    _submit(guest, "text=Lihat status laporan")
    assert "Budi Santoso" in guest.text()  # the reporter sees their own name
    assert "lampu-mati.png" in guest.text()
    guest.shot("tracking")

    # The verifier routes it to the regency government
    verifier: Session = open_session("2-verifier")
    verifier.login("verifier")
    verifier.go("/staf/antrean/baru/")
    assert tracking_id in verifier.text()
    verifier.shot("queue-new")
    _submit(verifier, f"a[href='/staf/laporan/{tracking_id}/']")
    verifier.shot("workspace")
    verifier.page.fill("#id_route-agency_q", "Sleman")
    verifier.page.check("input[name=route-agency][value='pemda-34.04']")
    verifier.page.fill("#id_route-message", "Diteruskan ke Pemerintah Kabupaten Sleman.")
    _submit(verifier, "#form-route button[type=submit]")
    assert "Laporan didisposisikan" in verifier.text()
    verifier.shot("routed")

    # The agency admin accepts and forwards to Dinas PU
    admin: Session = open_session("3-agency-admin")
    admin.login("admin_pemda")
    admin.go("/staf/antrean/masuk/")
    assert tracking_id in admin.text()
    admin.shot("queue-incoming")
    admin.go(f"/staf/laporan/{tracking_id}/")
    _submit(admin, "#form-accept button[type=submit]")
    admin.page.select_option("#id_forward-unit", "pemda-34.04/dinas-pu")
    _submit(admin, "#form-forward button[type=submit]")
    assert "Dinas PU" in admin.text()
    admin.shot("forwarded")

    # The unit officer responds
    officer: Session = open_session("4-unit-officer")
    officer.login("officer_pu")
    officer.go("/staf/antrean/unit/")
    assert tracking_id in officer.text()
    officer.go(f"/staf/laporan/{tracking_id}/")
    officer.page.fill("#id_respond-message", "Lampu sudah diganti oleh tim Dinas PU pada hari ini.")
    _submit(officer, "#form-respond button[type=submit]")
    assert "Tindak lanjut terkirim" in officer.text()
    officer.shot("responded")

    # The guest (same session, no code retyped) confirms with a rating
    guest.go(f"/laporan/{tracking_id}/")
    assert "Lampu sudah diganti" in guest.text()
    page.check("input[name=rating][value='5']")
    page.fill("#id_comment", "Cepat sekali, terima kasih.")
    _submit(guest, "text=Nyatakan selesai")
    assert "Penilaian pelapor: 5 dari 5" in guest.text()
    guest.shot("closed")

    for session in (guest, verifier, admin, officer):
        assert session.traffic.off_site() == [], session.traffic.off_site()
        assert session.traffic.csp == [], session.traffic.csp
        assert session.traffic.failures == [], session.traffic.failures
