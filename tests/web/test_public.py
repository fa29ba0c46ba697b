"""The public portal: filing (guest and signed in), validation that keeps input, the confirmation,
the public list and search, tracking, and the similar-reports fragment."""

import base64
import io
import json
import sys
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from lapor.core import keyset
from lapor.reports.models import Report
from lapor.reports.selectors import reports_visible_to
from lapor.reports.workflow import Status
from lapor.web.context import SESSION_CODES
from tests.factories import BODY, World, guest_report, report_in
from tests.web.helpers import client_as, cursor_before_everything, every_page, page

pytestmark = pytest.mark.django_db


def _png(name: str = "foto.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_form_page_renders_with_privacy_explained(world: World) -> None:
    html = page(Client().get("/"))
    assert 'name="body"' in html and 'name="attachments"' in html
    assert "Yang tidak akan melihat nama Anda" in html
    assert "Yang tetap melihat laporan Anda" in html
    assert "Laporan terbaru" in html


def test_guest_files_with_attachment_and_sees_code_once(world: World) -> None:
    client = Client()
    response = client.post("/", guest_report(attachments=[_png()]))
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == f"/laporan/{report.tracking_id}/terkirim/"
    assert report.attachments.count() == 1 and report.channel == "web"
    code = client.session[SESSION_CODES][report.tracking_id]
    html = page(client.get(response["Location"]))
    assert report.tracking_id in html and code in html
    assert "paling lambat" in html
    # The code stays in the session: the guest acts on their report without retyping it.
    detail = page(client.get(f"/laporan/{report.tracking_id}/"))
    assert "Budi" in detail and "(Anda)" in detail


def test_htmx_filing_redirects_the_whole_page(world: World) -> None:
    response = Client().post("/", guest_report(), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].endswith("/terkirim/")


def test_invalid_form_keeps_input_and_says_why(world: World) -> None:
    response = Client().post("/", guest_report(body="terlalu pendek", reporter_email="", title="Judul saya"))
    html = page(response)
    assert response.status_code == 200
    assert "Periksa kembali isian berikut" in html
    assert "terlalu pendek" in html and 'value="Judul saya"' in html
    assert "Isi surel atau nomor telepon" in html
    assert 'value="34.04" checked' in html  # the chosen region survives
    assert Report.objects.count() == 0


def test_htmx_invalid_form_returns_the_form_fragment(world: World) -> None:
    response = Client().post("/", guest_report(body="pendek"), HTTP_HX_REQUEST="true")
    html = page(response)
    assert response.status_code == 200 and html.lstrip().startswith("<form")


def test_wrong_file_type_is_a_clear_attachment_error(world: World) -> None:
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00not really", content_type="application/octet-stream")
    html = page(Client().post("/", guest_report(attachments=[bad])))
    assert "Jenis berkas tidak diizinkan" in html
    assert BODY in html
    assert Report.objects.count() == 0


def test_service_error_lands_on_its_field(world: World) -> None:
    html = page(Client().post("/", guest_report(incident_date="2999-01-01")))
    assert "Tanggal kejadian tidak boleh di masa depan" in html


def test_typed_region_without_javascript_is_resolved(world: World) -> None:
    Client().post("/", guest_report(region="", region_q="Sleman"))
    assert Report.objects.get().region_id == "34.04"


def test_signed_in_citizen_files_without_contact_fields(world: World) -> None:
    client = client_as(world.citizen)
    response = client.post("/", guest_report(reporter_name="", reporter_email=""))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter == world.citizen and not report.access_code_digest


def test_public_list_never_shows_confidential_even_when_searched(world: World) -> None:
    public = report_in(world, Status.IN_PROGRESS)
    secret = report_in(world, Status.IN_PROGRESS, confidential=True)
    unverified = report_in(world, Status.SUBMITTED)
    for url in [
        "/laporan/",
        "/laporan/?q=Godean",
        f"/laporan/?q={secret.tracking_id}",
        "/laporan/?status=in_progress",
        f"/laporan/?cursor={cursor_before_everything()}",
    ]:
        for client in (Client(), client_as(world.citizen), client_as(world.verifier)):
            html = page(client.get(url))
            # (the search box echoes what was typed; what matters is that no result shows it)
            assert f"/laporan/{secret.tracking_id}/" not in html, url
            assert f"/laporan/{unverified.tracking_id}/" not in html, url
    assert "0 laporan ditemukan" in page(Client().get(f"/laporan/?q={secret.tracking_id}"))
    assert public.tracking_id in page(Client().get("/laporan/?q=Godean"))
    assert public.tracking_id in page(Client().get(f"/laporan/?cursor={cursor_before_everything()}"))


def test_public_list_filters(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    assert report.tracking_id in page(Client().get("/laporan/?agency=pemda-34.04&region=34&kind=complaint"))
    assert report.tracking_id not in page(Client().get("/laporan/?agency=pln"))
    assert report.tracking_id not in page(Client().get("/laporan/?status=closed"))
    assert report.tracking_id in page(Client().get("/laporan/?category=roads_infrastructure&page=1"))


def test_track_redirects_and_rejects_bad_ids(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    response = Client().get(f"/laporan/lacak/?tracking_id={report.tracking_id.lower()}")
    assert response["Location"] == f"/laporan/{report.tracking_id}/"
    assert "tidak valid" in page(Client().get("/laporan/lacak/?tracking_id=LPR-XXXX"))


def test_similar_fragment_shows_public_candidates_only(world: World) -> None:
    # The same complaint filed twice more; the real duplicate finder sees both texts alike, and only
    # the visibility rules keep the confidential one out.
    public = report_in(world, Status.IN_PROGRESS)
    secret = report_in(world, Status.IN_PROGRESS, confidential=True)
    html = page(Client().get("/laporan/serupa/", {"title": "Jalan berlubang di Godean", "body": BODY}))
    assert public.tracking_id in html and secret.tracking_id not in html
    assert "Dukung laporan ini?" in html


def test_similar_fragment_is_empty_without_the_router(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "lapor.routing.duplicates", None)  # import raises ImportError
    response = Client().get("/laporan/serupa/", {"body": BODY})
    assert response.status_code == 200 and page(response).strip() == ""


def test_pickers_search_regions_and_agencies(world: World) -> None:
    html = page(Client().get("/cari/wilayah/", {"region_q": "slem", "field": "region"}))
    assert 'value="34.04"' in html
    html = page(Client().get("/cari/instansi/", {"target_agency_q": "PLN", "field": "target_agency"}))
    assert 'value="pln"' in html and 'name="target_agency"' in html
    html = page(
        Client().get(
            "/cari/instansi/", {"route-agency_q": "nasional", "field": "route-agency", "routable": "1"}
        )
    )
    assert "lapor-nasional" not in html


def test_pages_send_a_strict_csp(world: World) -> None:
    csp = Client().get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_past_the_counted_pages_older_reports_follow_by_cursor(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The numbered pages stop at the count's cap; "Berikutnya" goes on from the last report shown,
    page after page, through every public report once, newest first, and never a confidential one."""
    for _ in range(5):
        report_in(world, Status.ROUTED)
    hidden = report_in(world, Status.ROUTED, confidential=True)
    newest_first = reports_visible_to(viewer=world.viewer("public")).order_by("-created_at", "-id")
    public = [r.tracking_id for r in newest_first]
    assert len(public) >= 5 and hidden.tracking_id not in public
    monkeypatch.setattr(keyset, "COUNT_CAP", 2)
    monkeypatch.setattr("lapor.web.views.common.PAGE_SIZE", 2)
    seen, pages = every_page(Client(), "/laporan/", r'<span class="mono">([^<]+)</span>')
    assert "Lebih dari 2 laporan ditemukan" in pages[0] and 'rel="first"' not in pages[0]
    assert all("Laporan yang lebih lama" in html and 'rel="first"' in html for html in pages[1:])
    assert seen == public and len(pages) >= 3


def test_a_broken_page_link_shows_the_newest_reports_and_says_why(world: World) -> None:
    report = report_in(world, Status.ROUTED)
    values = json.dumps([{"t": (timezone.now() + timedelta(days=1)).isoformat()}, 2**62]) + " " * 400
    padded = base64.urlsafe_b64encode(values.encode()).decode().rstrip("=")  # well formed, far too long
    for cursor in ("bukan-kursor", padded):
        html = page(Client().get("/laporan/", {"cursor": cursor}))
        assert "Tautan halaman itu tidak valid" in html and report.tracking_id in html
