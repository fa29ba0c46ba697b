"""Malicious uploads, through the web filing form and the API alike: names that climb out of the upload
directory, polyglots, SVG and HTML dressed as images, PDFs that script, oversize files and reports,
decompression bombs, and photos that would give away where the reporter lives. Then the way back out:
files are only ever downloads, only through the access check, never from a static or media URL."""

import io
import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from django.views.static import serve as static_serve
from PIL import Image

from lapor.agencies.access import Viewer
from lapor.core.errors import ApplicationError
from lapor.reports import services
from lapor.reports.attachments import CleanFile, clean_upload, safe_name, store_attachments
from lapor.reports.models import Attachment, Report
from lapor.reports.workflow import Actor
from tests.factories import BODY, World, guest_report

pytestmark = pytest.mark.django_db

# What the web form shows for each error code (the API answers the code itself).
MESSAGES = {
    "file_type": "Jenis berkas tidak diizinkan",
    "unsafe_content": "PDF ini berisi skrip",
    "invalid_file": "rusak atau tidak dapat dibaca",
    "image_too_large": "Gambar terlalu besar",
    "file_too_large": "melebihi batas",
    "report_too_large": "seluruhnya paling besar",
    "too_many_files": "lampiran per laporan",
    "infected": "terdeteksi mengandung virus",
    "scan_unavailable": "Pemeriksaan virus sedang tidak tersedia",
}
STATUS = {"file_too_large": 413, "report_too_large": 413, "scan_unavailable": 503}


# --- Hostile and ordinary files ------------------------------------------------------------------------


def jpeg(size: tuple[int, int] = (32, 24), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", **save)
    return out.getvalue()


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format="PNG")
    return out.getvalue()


def _pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="PDF")
    return out.getvalue()


PDF = _pdf()  # once: Pillow stamps the time into each PDF it writes


def pdf() -> bytes:
    return PDF


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "S", 2: (7.0, 45.0, 12.5), 3: "E", 4: (110.0, 21.0, 3.25)}  # GPSInfo
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><exif:GPSLatitude>7,45S</exif:GPSLatitude></rdf:RDF>'
    return jpeg(exif=exif, comment=b"rumah-pelapor-godean", xmp=xmp + b"</x:xmpmeta>")


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims a huge canvas: decoding it would need gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))

    header = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 4096))
        + chunk(b"IEND", b"")
    )


def pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.4\n" + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_object_stream(hidden: bytes, eol: bytes = b"\n") -> bytes:
    """A PDF whose dictionaries sit compressed in an object stream, as modern writers produce them."""
    packed = zlib.compress(b"2 0 " + hidden)
    head = b"1 0 obj<</Type/Obj#53tm/N 1/First 4/Filter/FlateDecode/Length %d>>stream" % len(packed)
    return pdf_with(head + eol + packed + b"\nendstream\nendobj\n3 0 obj<</Length 4>>stream\nq Q\nendstream")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><circle r="4"/></svg>'
HTML = b"<!DOCTYPE html><html><body><script>fetch('/akun/').then(r=>r.text())</script></body></html>"
GIF_JS = b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;*/=alert(1);"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"payload.exe" + b"\x00" * 40 + b"PK\x05\x06" + b"\x00" * 18


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Filing through either surface ----------------------------------------------------------------------


@dataclass
class Outcome:
    report: Report | None
    status: int
    text: str  # the API's error code, or the web page

    def rejected_with(self, code: str) -> bool:
        assert self.report is None, "a rejected upload must leave no report"
        assert Report.objects.count() == 0 and Attachment.objects.count() == 0
        if self.text.startswith("<") or "\n" in self.text:  # the web page shows the message
            return MESSAGES[code] in self.text and self.status == 200
        return self.text == code and self.status == STATUS.get(code, 422)


GUEST = guest_report()


def file_report(surface: str, files: list[SimpleUploadedFile]) -> Outcome:
    if surface == "api":
        response = Client().post("/api/v1/reports", data={**GUEST, "attachments": files})
        if response.status_code == 201:
            return Outcome(Report.objects.get(tracking_id=response.json()["tracking_id"]), 201, "")
        body = response.json()
        assert set(body) == {"code", "message", "field"} and body["field"] == "attachments", body
        return Outcome(None, response.status_code, body["code"])
    response = Client().post("/", {**GUEST, "attachments": files})
    if response.status_code == 302:
        return Outcome(Report.objects.get(), 302, "")
    return Outcome(None, response.status_code, response.content.decode())


@pytest.fixture(params=["web", "api"])
def surface(request: pytest.FixtureRequest, world: World, settings: Any) -> str:
    settings.LAPOR_RATE_LIMITS = {}  # many filings from one address: this is not the rate-limit test
    return str(request.param)


def only_file(report: Report) -> tuple[Attachment, bytes]:
    attachment = report.attachments.get()
    with attachment.file.open("rb") as handle:
        return attachment, handle.read()


# --- Names ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\windows\\system32\\foto.jpg", "foto.jpg"),
        ("C:\\Users\\siti\\Desktop\\bukti jalan.jpg", "bukti-jalan.jpg"),
        ("foto\0.jpg", "foto.jpg"),
        ("....jpg", "lampiran.jpg"),
        (".htaccess", "lampiran.jpg"),
        ("Jalan Rusak — Godean (1).jpg", "Jalan-Rusak-Godean-1.jpg"),
        ("\u202egpj.exe", "gpj.jpg"),  # right-to-left override: shown reversed, dropped here
        ("x" * 5000 + ".jpg", "x" * 80 + ".jpg"),
    ],
)
def test_safe_name_strips_paths_nul_and_length(raw: str, expected: str) -> None:
    assert safe_name(raw, "jpg") == expected


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.jpg", "..\\..\\boot.ini.jpg", "foto\0.jpg", "C:\\temp\\" + "panjang" * 400 + ".jpg"],
)
def test_hostile_names_stay_inside_the_upload_directory(surface: str, name: str) -> None:
    outcome = file_report(surface, [upload(name, jpeg(), "image/jpeg")])
    assert outcome.report is not None, outcome.text[:500]
    attachment, _ = only_file(outcome.report)
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    stored = Path(default_storage.path(attachment.file.name)).resolve()
    assert stored.is_relative_to(root) and stored.exists()
    assert ".." not in attachment.file.name and "\\" not in attachment.name and "\0" not in attachment.name
    assert attachment.name.endswith(".jpg") and len(attachment.name) <= 84
    assert stored.name.endswith(attachment.name)


@pytest.mark.parametrize(
    "name", ["foto.jpg\0.html", "bukti.html.jpg", "peta.svg", "skrip.js", "a.php.png", "lampiran.exe"]
)
def test_a_name_claiming_something_that_runs_is_refused_whatever_the_bytes(name: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        clean_upload(upload(name, jpeg(), "image/jpeg"))
    assert caught.value.code == "file_type"


@pytest.mark.parametrize("declared", ["text/html", "image/svg+xml", "application/javascript", "text/xml"])
def test_a_declared_type_that_runs_is_refused_whatever_the_bytes(surface: str, declared: str) -> None:
    assert file_report(surface, [upload("foto.jpg", jpeg(), declared)]).rejected_with("file_type")


# --- Types by content -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "declared", "code"),
    [
        ("peta.png", SVG, "image/png", "file_type"),  # SVG dressed as PNG
        ("foto.jpg", HTML, "image/jpeg", "file_type"),  # HTML dressed as JPEG
        ("foto.jpg", b"\xff\xd8\xff\xe0" + HTML, "image/jpeg", "invalid_file"),  # JPEG magic, then HTML
        ("anim.gif", GIF_JS, "image/gif", "file_type"),  # GIF/JavaScript polyglot: GIF is not allowed
        ("foto.jpg", GIF_JS, "image/jpeg", "file_type"),
        ("dokumen.pdf", ZIP, "application/pdf", "file_type"),
        ("laporan.pdf", b"MZ\x90\x00" + b"\0" * 200, "application/pdf", "file_type"),
        ("halaman.pdf", b"<html>%PDF-1.4\n" + HTML, "application/pdf", "file_type"),  # %PDF not at 0
    ],
)
def test_type_comes_from_the_bytes(surface: str, name: str, content: bytes, declared: str, code: str) -> None:
    assert file_report(surface, [upload(name, content, declared)]).rejected_with(code)


@pytest.mark.parametrize(
    "content",
    [
        pdf_with(b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj"),
        pdf_with(b"1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>endobj"),
        pdf_with(b"1 0 obj<</Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>>>endobj"),
        pdf_with(b"1 0 obj<</Type/Catalog/Names<</EmbeddedFiles 2 0 R>>>>endobj"),
        pdf_with(b"1 0 obj<</Type/Catalog>>endobj\n<html><body><script>alert(1)</script></body></html>"),
        pdf_object_stream(b"<</S/JavaScript/JS(app.alert(1))>>"),  # hidden in a compressed object stream
        pdf_object_stream(b"<</S/JavaScript/JS(app.alert(1))>>", eol=b"\r"),
        pdf_with(b"1 0 obj<</Type/ObjStm/N 1/First 4/Length 9>>stream\nnot-zlib!\nendstream\nendobj"),
    ],
    ids=[
        "js",
        "hex-escaped-js",
        "launch",
        "embedded-file",
        "pdf-html-polyglot",
        "objstm-js",
        "objstm-js-cr",
        "objstm-opaque",
    ],
)
def test_pdfs_with_active_content_are_refused(surface: str, content: bytes) -> None:
    assert file_report(surface, [upload("dokumen.pdf", content, "application/pdf")]).rejected_with(
        "unsafe_content"
    )


def test_a_plain_pdf_is_accepted_byte_for_byte(surface: str) -> None:
    content = pdf()
    outcome = file_report(surface, [upload("surat.pdf", content, "application/pdf")])
    assert outcome.report is not None, outcome.text[:500]
    attachment, stored = only_file(outcome.report)
    assert (
        stored == content and attachment.content_type == "application/pdf" and attachment.name == "surat.pdf"
    )


def test_a_pdf_with_a_harmless_object_stream_is_accepted(surface: str) -> None:
    content = pdf_object_stream(b"<</Type/Catalog/Pages 4 0 R>>")
    outcome = file_report(surface, [upload("surat.pdf", content, "application/pdf")])
    assert outcome.report is not None, outcome.text[:500]
    assert only_file(outcome.report)[1] == content


def test_binary_streams_are_not_mistaken_for_active_content() -> None:
    """Megabytes of image data contain short byte patterns by chance; a photo-scan PDF must pass."""
    noise = random.Random(8).randbytes(1_500_000) + b"/JS\xff\x07/XF" + random.Random(9).randbytes(1_500_000)
    head = b"1 0 obj<</Type/XObject/Subtype/Image/Filter/DCTDecode/Length %d>>stream\n" % len(noise)
    content = pdf_with(head + noise + b"\nendstream\nendobj")
    assert clean_upload(upload("pindaian.pdf", content, "application/pdf")).content == content


def test_a_png_named_pdf_is_stored_as_the_png_it_is(surface: str) -> None:
    outcome = file_report(surface, [upload("surat.pdf", png(), "application/pdf")])
    assert outcome.report is not None, outcome.text[:500]
    attachment, stored = only_file(outcome.report)
    assert attachment.content_type == "image/png" and attachment.name == "surat.png"
    assert Image.open(io.BytesIO(stored)).format == "PNG"


@pytest.mark.parametrize("trailer", [ZIP, HTML], ids=["zip", "html"])
def test_a_jpeg_with_a_payload_appended_is_reencoded_without_it(surface: str, trailer: bytes) -> None:
    outcome = file_report(surface, [upload("foto.jpg", jpeg() + trailer, "image/jpeg")])
    assert outcome.report is not None, outcome.text[:500]
    _, stored = only_file(outcome.report)
    assert b"PK\x03\x04" not in stored and b"<script" not in stored and b"payload.exe" not in stored
    assert stored.endswith(b"\xff\xd9")  # the JPEG ends where its pixels end
    assert Image.open(io.BytesIO(stored)).size == (32, 24)


# --- Metadata -------------------------------------------------------------------------------------------


def test_gps_exif_xmp_and_comments_are_gone_after_upload(surface: str) -> None:
    original = jpeg_with_gps()
    assert b"KameraRahasia" in original and b"rumah-pelapor" in original and b"GPSLatitude" in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture does carry GPS
    outcome = file_report(surface, [upload("rumah.jpg", original, "image/jpeg")])
    assert outcome.report is not None, outcome.text[:500]
    _, stored = only_file(outcome.report)
    for marker in (b"Exif", b"KameraRahasia", b"rumah-pelapor", b"GPSLatitude", b"xmpmeta", b"adobe:ns"):
        assert marker not in stored, marker
    image = Image.open(io.BytesIO(stored))
    assert image.getexif() == {} and not image.getexif().get_ifd(0x8825)
    assert "comment" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info


# --- Sizes ----------------------------------------------------------------------------------------------


def test_oversize_file_is_refused_before_it_is_decoded(surface: str, settings: Any) -> None:
    settings.LAPOR_ATTACHMENT_MAX_BYTES = 50_000
    big = jpeg() + b"\0" * 60_000
    assert file_report(surface, [upload("besar.jpg", big, "image/jpeg")]).rejected_with("file_too_large")


def test_report_total_is_capped_across_files(surface: str, settings: Any) -> None:
    settings.LAPOR_ATTACHMENT_MAX_BYTES = 40_000
    settings.LAPOR_ATTACHMENT_REPORT_MAX_BYTES = 70_000
    each = pdf() + b"%" + b"x" * 30_000  # a PDF comment: valid, and about 31 kB
    files = [upload(f"surat{i}.pdf", each, "application/pdf") for i in range(3)]
    assert file_report(surface, files).rejected_with("report_too_large")


def test_too_many_files_are_refused(surface: str, settings: Any) -> None:
    settings.LAPOR_ATTACHMENTS_PER_REPORT = 2
    files = [upload(f"foto{i}.png", png(), "image/png") for i in range(3)]
    assert file_report(surface, files).rejected_with("too_many_files")


def test_files_added_later_count_against_the_same_caps(world: World, settings: Any) -> None:
    settings.LAPOR_ATTACHMENT_REPORT_MAX_BYTES = 1_000
    settings.LAPOR_ATTACHMENTS_PER_REPORT = 2
    first = upload("a.pdf", pdf_with(b"%" + b"a" * 600), "application/pdf")
    report = services.report_submit(
        draft=services.ReportDraft(body=BODY, reporter_name="Budi", reporter_email="budi@contoh.id"),
        actor=Viewer.public(),
        files=[first],
    ).report
    later = CleanFile(name="b.pdf", content=pdf_with(b"%" + b"b" * 600), content_type="application/pdf")
    written: list[Attachment] = []
    with pytest.raises(ApplicationError) as caught, transaction.atomic():
        store_attachments(report=report, event=None, cleaned=[later], role=Actor.REPORTER, written=written)
    assert caught.value.code == "report_too_large" and caught.value.status == 413 and written == []
    small = CleanFile(name="c.pdf", content=pdf_with(b""), content_type="application/pdf")
    with transaction.atomic():
        store_attachments(report=report, event=None, cleaned=[small], role=Actor.REPORTER, written=written)
    assert report.attachments.count() == 2
    with pytest.raises(ApplicationError) as caught, transaction.atomic():
        store_attachments(report=report, event=None, cleaned=[small], role=Actor.REPORTER, written=[])
    assert caught.value.code == "too_many_files" and report.attachments.count() == 2


@pytest.mark.parametrize(
    ("width", "height"), [(100_000, 100_000), (8_000, 6_000)], ids=["pillow-bomb", "over-our-cap"]
)
def test_decompression_bombs_are_refused_undecoded(surface: str, width: int, height: int) -> None:
    bomb = png_header_only(width, height)
    assert len(bomb) < 200
    assert file_report(surface, [upload("bom.png", bomb, "image/png")]).rejected_with("image_too_large")


def test_a_failed_file_leaves_nothing_on_disk(surface: str) -> None:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    before = set(root.rglob("*")) if root.exists() else set()
    files = [upload("ok.png", png(), "image/png"), upload("peta.svg", SVG, "image/svg+xml")]
    assert file_report(surface, files).rejected_with("file_type")
    after = set(root.rglob("*")) if root.exists() else set()
    assert {p for p in after - before if p.is_file()} == set()


# --- Serving --------------------------------------------------------------------------------------------


def _report_with_file(world: World, *, anonymous: bool, routed: bool) -> tuple[Report, Attachment]:
    draft = services.ReportDraft(body=BODY, region="34.04", anonymous=anonymous)
    report = services.report_submit(
        draft=draft, actor=world.viewer("citizen"), files=[upload("surat.pdf", pdf(), "application/pdf")]
    ).report
    if routed:
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    return report, report.attachments.get()


def _urls(report: Report, attachment: Attachment) -> dict[str, str]:
    return {
        "web": f"/laporan/{report.tracking_id}/lampiran/{attachment.pk}/",
        "api": f"/api/v1/reports/{report.tracking_id}/attachments/{attachment.pk}",
    }


@pytest.mark.parametrize("where", ["web", "api"])
def test_downloads_are_attachments_that_cannot_run(world: World, where: str) -> None:
    report, attachment = _report_with_file(world, anonymous=False, routed=True)
    response = Client().get(_urls(report, attachment)[where])  # named and public: the public may download
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and 'filename="surat.pdf"' in (response["Content-Disposition"])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == pdf()


@pytest.mark.parametrize("where", ["web", "api"])
def test_files_of_an_anonymous_report_are_never_public(world: World, where: str) -> None:
    report, attachment = _report_with_file(world, anonymous=True, routed=True)
    url = _urls(report, attachment)[where]
    assert Client().get(url).status_code == 404
    other = Client()
    other.force_login(world.other_citizen)
    assert other.get(url).status_code == 404
    outsider = Client()
    outsider.force_login(world.admin_pln)  # staff, but not handling this report
    assert outsider.get(url).status_code == 404
    reporter = Client()
    reporter.force_login(world.citizen)
    assert reporter.get(url).status_code == 200
    handler = Client()
    handler.force_login(world.admin_pemda)
    assert handler.get(url).status_code == 200


def test_an_attachment_id_of_another_report_is_not_found(world: World) -> None:
    mine, _ = _report_with_file(world, anonymous=False, routed=True)
    _, foreign = _report_with_file(world, anonymous=True, routed=True)
    for url in _urls(mine, foreign).values():
        assert Client().get(url).status_code == 404


def _serves_files(pattern: Any) -> bool:
    """True for a route to django.views.static.serve (what `static(MEDIA_URL, ...)` would add)."""
    if hasattr(pattern, "url_patterns"):
        return any(_serves_files(p) for p in pattern.url_patterns)
    callback = getattr(pattern, "callback", None)
    return callback is static_serve


def test_uploads_live_outside_the_web_root_and_no_url_serves_them(world: World) -> None:
    report, attachment = _report_with_file(world, anonymous=True, routed=False)
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    static_root = Path(settings.STATIC_ROOT).resolve()
    assert not root.is_relative_to(static_root) and not static_root.is_relative_to(root)
    assert not getattr(settings, "WHITENOISE_ROOT", None) and not getattr(settings, "MEDIA_ROOT", "")
    assert not any(_serves_files(pattern) for pattern in get_resolver().url_patterns)
    assert not any(Path(d).resolve() == root for d in getattr(settings, "STATICFILES_DIRS", []))
    relative = attachment.file.name
    assert Path(default_storage.path(relative)).exists()
    for prefix in ("/static/", "/media/", "/uploads/", "/var/uploads/", "/static/../uploads/", "/"):
        path = prefix + relative
        assert Client().get(path).status_code == 404, path
        with pytest.raises(Resolver404):
            resolve(path)
