"""Two-step sign-in with an authenticator app (django-otp's TOTP device) and one-time recovery codes
(django-otp's static device). Services here are the only writers of those devices (ADR 0016).

Recovery codes are stored as a digest, like API tokens: django-otp keeps static tokens in plain text,
so we hand it the digest of what the person typed and it compares digests."""

import hashlib
import secrets
from dataclasses import dataclass
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lapor.agencies.access import viewer_for
from lapor.core.errors import Invalid
from lapor.core.models import User
from lapor.security.models import SecurityPolicy

__all__ = [
    "RECOVERY_CODES",
    "Enrolment",
    "is_enrolled",
    "qr_svg",
    "recovery_digest",
    "two_factor_confirm",
    "two_factor_disable",
    "two_factor_required_for",
    "two_factor_start",
    "verify_code",
]

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
# No 0/O or 1/l/I: codes get typed from paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret_b32: str  # for typing into the app when the camera cannot read the code
    url: str  # otpauth://


def recovery_digest(code: str) -> str:
    """What is stored for a recovery code: 16 hex characters of its SHA-256 (StaticToken holds 16)."""
    normalized = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normalized.encode()).hexdigest()[:16]


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required_for(user: User) -> bool:
    """Required when the admin switched it on and the person is a national verifier or an agency admin."""
    if not SecurityPolicy.current().require_two_factor:
        return False
    v = viewer_for(user)
    return v.is_verifier or bool(v.admin_agency_ids)


def _enrolment(device: TOTPDevice) -> Enrolment:
    import base64

    return Enrolment(device, base64.b32encode(device.bin_key).decode(), device.config_url)


def two_factor_start(*, user: User) -> Enrolment:
    """The pending (unconfirmed) device, created once, so reloading the page shows the same QR code."""
    if is_enrolled(user):
        raise Invalid("Verifikasi dua langkah sudah aktif.", code="already_enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return _enrolment(device)


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app; returns the recovery codes, shown once."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise Invalid("Mulai pemasangan terlebih dahulu.", code="not_started")
    if not device.verify_token(_digits(code)):
        raise Invalid(
            "Kode tidak cocok. Periksa jam ponsel Anda lalu coba lagi.", code="bad_code", field="code"
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=recovery_digest(c)) for c in codes)
    return device, codes


def _digits(code: str) -> str:
    return "".join(code.split())


def verify_code(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code (an app code or a recovery code, which is then used up).
    Both devices throttle after failures (django-otp), on top of the sign-in rate limit."""
    code = code.strip()
    if not code:
        return None
    digits = _digits(code)
    if digits.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(digits):
                return device
        return None
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(recovery_digest(code)):
            return static
    return None


@transaction.atomic
def two_factor_disable(*, user: User, code: str) -> None:
    if two_factor_required_for(user):
        raise Invalid("Verifikasi dua langkah wajib untuk peran Anda.", code="required")
    if verify_code(user=user, code=code) is None:
        raise Invalid("Kode tidak cocok.", code="bad_code", field="code")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def qr_svg(url: str) -> str:
    """The otpauth URL as an SVG path: no script, no inline style, nothing fetched."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration: the SVG goes straight into the page.
    return svg[svg.index("<svg") :]
