"""Uploaded files. The type comes from the bytes (never the name), and a name or declared type that
claims something a browser would run (HTML, SVG, script) is refused outright. Size is capped per file
and per report. Images are re-encoded from their pixels, so no EXIF, GPS, XMP, comment or appended
payload survives (a photo once exposed a LAPOR! reporter). PDFs cannot be re-encoded: they are refused
when they carry active content (JavaScript, launch actions, embedded files, HTML). Every accepted file
is then offered to the virus scanner (`reports.scanning`), which fails closed. Names are sanitised.

Files are stored outside the web root and served only through the access-checked download views, as
`Content-Disposition: attachment` with `nosniff` and a sandboxing CSP (see `download_headers`)."""

import hashlib
import io
import logging
import re
import secrets
import unicodedata
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Sum
from django.http import HttpResponseBase
from PIL import Image, ImageOps, UnidentifiedImageError

from lapor.core.errors import ApplicationError, Invalid, PayloadTooLarge
from lapor.reports.models import Attachment, Report, TimelineEvent
from lapor.reports.scanning import configured_scanner

__all__ = [
    "ALLOWED_TYPES",
    "CleanFile",
    "ScanUnavailable",
    "check_report_quota",
    "clean_upload",
    "download_headers",
    "safe_name",
    "store_attachments",
]

logger = logging.getLogger(__name__)

ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
ALIASES = {"image/apng": "image/png"}  # an animated PNG keeps its first frame
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_NAME = 80

# What a browser or an OS would run or render as a page: refused whatever the bytes are.
DANGEROUS_EXTENSIONS = frozenset(
    "htm html xhtml xht shtml mht mhtml svg svgz xml xsl js mjs cjs jsx ts vbs vbe wsf hta ps1 bat cmd "
    "com exe dll scr msi jar apk sh php phtml asp aspx jsp cgi pl py swf".split()
)
DANGEROUS_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "application/x-msdownload",
        "application/x-sh",
        "application/x-httpd-php",
        "application/x-shockwave-flash",
    }
)
# PDF dictionary keys that make a document do something when opened: scripts, launching programs,
# carried files, Flash/3D media, XFA forms (which script too), form submission to a URL. The whole file
# is searched (binary streams included), so the short `/JS` key only counts with a value after it
# (a string, a hex string or a reference): three bytes alone turn up by chance in megabytes of images.
_PDF_ACTIVE = re.compile(
    rb"/(?:JavaScript|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|GoToE)(?![A-Za-z0-9])"
    rb"|/JS(?:\s*[(<]|\s+\d+\s+\d+\s+R)"
)
_MARKUP = re.compile(
    rb"<\s*(?:html|script|iframe|svg|body|object|embed)\b|<!doctype\s+html|javascript:", re.I
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream[\r\n]+")  # viewers accept a lone CR too
PDF_INFLATE_BUDGET = 20 * 1024 * 1024  # decompressed object streams inspected per PDF


class ScanUnavailable(ApplicationError):
    """The virus scanner did not answer: the upload is refused, and trying again later may work."""

    status = 503
    default_code = "scan_unavailable"


@dataclass(frozen=True)
class CleanFile:
    name: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def safe_name(original: str, extension: str) -> str:
    """A plain ASCII stem with our extension: no path, no NUL, no second extension, no leading dot."""
    base = original.replace("\0", "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:MAX_NAME].strip("-_") or "lampiran"
    return f"{stem}.{extension}"


def _refuse_dangerous_claims(upload: UploadedFile) -> None:
    """What the client says the file is only matters when it says "something that runs"."""
    name = (upload.name or "").replace("\0", "").lower()
    parts = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].split(".")[1:]
    declared = (upload.content_type or "").split(";", 1)[0].strip().lower()
    if any(part.strip() in DANGEROUS_EXTENSIONS for part in parts) or declared in DANGEROUS_TYPES:
        raise Invalid(
            "Jenis berkas tidak diizinkan; gunakan JPG, PNG, WEBP atau PDF.",
            code="file_type",
            field="attachments",
        )


def _strip_image(content: bytes, content_type: str) -> bytes:
    fmt = IMAGE_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[fmt]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise Invalid("Gambar terlalu besar.", code="image_too_large", field="attachments")
                image.load()
                upright = ImageOps.exif_transpose(image)  # keep the orientation the EXIF described
                if upright.mode not in ("RGB", "RGBA", "L"):
                    upright = upright.convert("RGB")
                if content_type == "image/jpeg" and upright.mode == "RGBA":
                    upright = upright.convert("RGB")
                out = io.BytesIO()
                # A fresh image from pixels only: no EXIF, GPS, XMP, ICC, comments or trailing bytes.
                clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
                clean.save(out, format=fmt, quality=88)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Invalid("Gambar terlalu besar.", code="image_too_large", field="attachments") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise Invalid(
            "Berkas gambar rusak atau tidak dapat dibaca.", code="invalid_file", field="attachments"
        ) from exc


def _object_streams(content: bytes) -> list[bytes]:
    """The decompressed object streams of a PDF: where the dictionaries of a modern PDF (and a hidden
    /JavaScript action) live. One we cannot decode is refused rather than trusted."""
    found: list[bytes] = []
    budget = PDF_INFLATE_BUDGET
    for match in _PDF_STREAM.finditer(content):
        head = content[max(0, match.start() - 1024) : match.start()]
        head = head[head.rfind(b"obj") :] if b"obj" in head else head
        if b"/ObjStm" not in _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), head):
            continue
        end = content.find(b"endstream", match.end())
        raw = content[match.end() : end if end != -1 else len(content)]
        try:
            inflater = zlib.decompressobj()
            data = inflater.decompress(raw, budget + 1)
        except zlib.error as exc:
            raise _unsafe_pdf() from exc
        budget -= len(data)
        if budget < 0:
            raise _unsafe_pdf()
        found.append(data)
    return found


def _unsafe_pdf() -> Invalid:
    return Invalid(
        "PDF ini berisi skrip, berkas sisipan atau bagian yang tidak dapat diperiksa; kirim PDF biasa "
        "atau foto dokumennya.",
        code="unsafe_content",
        field="attachments",
    )


def _check_pdf(content: bytes) -> None:
    for part in (content, *_object_streams(content)):
        names = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), part)
        if _PDF_ACTIVE.search(names) or _MARKUP.search(part):
            raise _unsafe_pdf()


def _scan(content: bytes, name: str) -> None:
    scanner = configured_scanner()
    if scanner is None:
        return
    try:
        found = scanner(content)
    except Exception as exc:  # any failure to get a verdict: fail closed unless told otherwise
        logger.warning("virus scanner unavailable: %r", exc)
        if settings.LAPOR_VIRUS_SCAN_FAIL_OPEN:
            return
        raise ScanUnavailable(
            "Pemeriksaan virus sedang tidak tersedia, jadi lampiran belum dapat diterima. "
            "Silakan coba kirim lagi beberapa saat lagi.",
            field="attachments",
        ) from exc
    if found:
        logger.warning("upload %r rejected by the virus scanner: %s", name, found)
        raise Invalid(
            f"Berkas '{name}' ditolak karena terdeteksi mengandung virus atau program berbahaya.",
            code="infected",
            field="attachments",
        )


def _too_large(name: str) -> PayloadTooLarge:
    limit = settings.LAPOR_ATTACHMENT_MAX_BYTES
    return PayloadTooLarge(
        f"Berkas '{name}' melebihi batas {limit // (1024 * 1024)} MB.",
        code="file_too_large",
        field="attachments",
    )


def clean_upload(upload: UploadedFile) -> CleanFile:
    limit = settings.LAPOR_ATTACHMENT_MAX_BYTES
    shown = safe_name(upload.name or "", "")[:-1]  # never echo a raw name back into a page
    if upload.size is not None and upload.size > limit:
        raise _too_large(shown)
    _refuse_dangerous_claims(upload)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(shown)
    kind = filetype.guess(content)
    content_type = ALIASES.get(kind.mime, kind.mime) if kind else ""
    if content_type not in ALLOWED_TYPES:
        raise Invalid(
            "Jenis berkas tidak diizinkan; gunakan JPG, PNG, WEBP atau PDF.",
            code="file_type",
            field="attachments",
        )
    if content_type == "application/pdf":
        _check_pdf(content)
    _scan(content, shown)  # the bytes as sent: what was uploaded is what may carry malware
    if content_type in IMAGE_FORMATS:
        content = _strip_image(content, content_type)
    return CleanFile(
        name=safe_name(upload.name or "", ALLOWED_TYPES[content_type]),
        content=content,
        content_type=content_type,
    )


def check_report_quota(*, report: Report | None, sizes: Sequence[int]) -> None:
    """Count and total size over all of a report's files, those stored already included."""
    count, total = 0, 0
    if report is not None and report.pk is not None:
        row = Attachment.objects.filter(report=report).aggregate(n=Count("id"), bytes=Sum("size"))
        count, total = row["n"] or 0, row["bytes"] or 0
    max_files = settings.LAPOR_ATTACHMENTS_PER_REPORT
    if count + len(sizes) > max_files:
        raise Invalid(
            f"Maksimal {max_files} lampiran per laporan.", code="too_many_files", field="attachments"
        )
    cap = settings.LAPOR_ATTACHMENT_REPORT_MAX_BYTES
    if total + sum(sizes) > cap:
        raise PayloadTooLarge(
            f"Lampiran satu laporan seluruhnya paling besar {cap // (1024 * 1024)} MB.",
            code="report_too_large",
            field="attachments",
        )


def store_attachments(
    *,
    report: Report,
    event: TimelineEvent | None,
    cleaned: Sequence[CleanFile],
    role: str,
    written: list[Attachment],
) -> None:
    """Write cleaned files for a report inside the caller's transaction. The report row is locked so
    two uploads at once cannot both squeeze under the per-report cap; `written` collects what was
    put on disk so the caller can remove it if the transaction rolls back."""
    if not cleaned:
        return  # nothing to store, nothing to cap: most reports come without files (ADR 0023)
    Report.objects.select_for_update().filter(pk=report.pk).first()
    check_report_quota(report=report, sizes=[len(clean.content) for clean in cleaned])
    for clean in cleaned:
        attachment = Attachment(
            report=report,
            event=event,
            name=clean.name,
            content_type=clean.content_type,
            size=len(clean.content),
            sha256=clean.sha256,
            uploaded_by_role=role,
        )
        attachment.file.save(f"{secrets.token_hex(8)}-{clean.name}", ContentFile(clean.content), save=False)
        written.append(attachment)
        attachment.save()


def download_headers(response: HttpResponseBase) -> HttpResponseBase:
    """A stored file is data, never a page: no sniffing it into HTML, no script, no plugin, no frame."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
