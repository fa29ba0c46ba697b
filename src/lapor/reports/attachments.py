"""Uploaded files: the type comes from the bytes (never the name), size is capped, images are
re-encoded so no EXIF or GPS survives (a photo once exposed a LAPOR! reporter), names are sanitised."""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from lapor.core.errors import Invalid, PayloadTooLarge

__all__ = ["ALLOWED_TYPES", "CleanFile", "clean_upload"]

ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them


@dataclass(frozen=True)
class CleanFile:
    name: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def safe_name(original: str, extension: str) -> str:
    stem = original.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:80] or "lampiran"
    return f"{stem}.{extension}"


def _strip_image(content: bytes, content_type: str) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise Invalid("Gambar terlalu besar.", code="image_too_large", field="attachments")
            image.load()
            upright = ImageOps.exif_transpose(image)  # keep the orientation the EXIF described
            if upright.mode not in ("RGB", "RGBA", "L"):
                upright = upright.convert("RGB")
            if content_type == "image/jpeg" and upright.mode == "RGBA":
                upright = upright.convert("RGB")
            out = io.BytesIO()
            # A fresh image from pixels only: no EXIF, GPS, XMP or comments are carried over.
            clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            clean.save(out, format=IMAGE_FORMATS[content_type], quality=88)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise Invalid(
            "Berkas gambar rusak atau tidak dapat dibaca.", code="invalid_file", field="attachments"
        ) from exc


def clean_upload(upload: UploadedFile) -> CleanFile:
    limit = settings.LAPOR_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise PayloadTooLarge(
            f"Berkas '{upload.name}' melebihi batas {limit // (1024 * 1024)} MB.",
            code="file_too_large",
            field="attachments",
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge(
            f"Berkas '{upload.name}' melebihi batas {limit // (1024 * 1024)} MB.",
            code="file_too_large",
            field="attachments",
        )
    kind = filetype.guess(content)
    content_type = kind.mime if kind else ""
    if content_type not in ALLOWED_TYPES:
        raise Invalid(
            "Jenis berkas tidak diizinkan; gunakan JPG, PNG, WEBP atau PDF.",
            code="file_type",
            field="attachments",
        )
    if content_type in IMAGE_FORMATS:
        content = _strip_image(content, content_type)
    return CleanFile(
        name=safe_name(upload.name or "", ALLOWED_TYPES[content_type]),
        content=content,
        content_type=content_type,
    )
