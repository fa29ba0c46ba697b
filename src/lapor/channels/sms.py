"""SMS and WhatsApp, inbound. Two adapters turn a gateway's request into one `Inbound` (a generic
JSON shape and Twilio's form shape); `sms_received` turns that into a report, or answers `CEK <id>`
with the report's status. Answers travel through the outbound SMS path of notifications: the receipt
with the tracking ID is the ordinary receipt of the reporter's passive account (which hears by SMS),
sent when the report is written: with the intake journal (ADR 0033), a few seconds after filing."""

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from lapor.agencies.access import Viewer, viewer_for
from lapor.channels.contacts import contact_user, existing_contact, normalize_phone
from lapor.core.errors import ApplicationError, Invalid, NotFound, Unauthenticated
from lapor.notifications.direct import message_send
from lapor.reports import services
from lapor.reports.journal import report_or_filing
from lapor.reports.workflow import Status

__all__ = ["Inbound", "Outcome", "parse_generic", "parse_twilio", "sms_received", "verify_signature"]

CHECK = re.compile(r"^\s*CEK\s+(\S+)\s*$", re.IGNORECASE)
MAX_SKEW = 300  # seconds a signed request may be old
SENDER_NAME = "Pelapor SMS"


@dataclass(frozen=True)
class Inbound:
    sender: str
    text: str
    message_id: str
    via: str = "sms"  # or "whatsapp"


@dataclass(frozen=True)
class Outcome:
    kind: str  # "report", "status", "rejected"
    tracking_id: str | None = None
    created: bool = False
    reason: str = ""


def parse_generic(body: bytes) -> Inbound:
    try:
        data = json.loads(body or b"null")
    except json.JSONDecodeError as exc:
        raise Invalid("Badan permintaan bukan JSON yang valid.", code="malformed") from exc
    if not isinstance(data, dict):
        raise Invalid("Badan permintaan harus objek JSON.", code="malformed")
    for name in ("from", "text", "message_id"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise Invalid(f"'{name}' wajib diisi.", code="required", field=name)
    via = "whatsapp" if str(data.get("channel", "")).lower() == "whatsapp" else "sms"
    return Inbound(sender=data["from"], text=data["text"], message_id=data["message_id"][:100], via=via)


def parse_twilio(form: dict[str, str]) -> Inbound:
    for name in ("From", "Body", "MessageSid"):
        if not form.get(name, "").strip():
            raise Invalid(f"'{name}' wajib diisi.", code="required", field=name)
    sender = form["From"]
    via = "whatsapp" if sender.startswith("whatsapp:") else "sms"
    return Inbound(sender=sender, text=form["Body"], message_id=form["MessageSid"][:100], via=via)


def verify_signature(request: HttpRequest) -> bool:
    """A gateway without an API key signs with the shared secret: HMAC-SHA256 over
    "<X-LAPOR-Timestamp>.<body>" in `X-LAPOR-Signature: sha256=<hex>`, or Twilio's own
    `X-Twilio-Signature` (HMAC-SHA1 of the URL and the sorted form fields, base64)."""
    secret = settings.LAPOR_SMS_SHARED_SECRET
    if not secret:
        return False
    if twilio := request.headers.get("X-Twilio-Signature"):
        signed = request.build_absolute_uri() + "".join(
            f"{k}{v}" for k in sorted(request.POST) for v in request.POST.getlist(k)
        )
        digest = hmac.new(secret.encode(), signed.encode(), hashlib.sha1).digest()
        return hmac.compare_digest(base64.b64encode(digest).decode(), twilio)
    stamp, signature = (
        request.headers.get("X-LAPOR-Timestamp", ""),
        request.headers.get("X-LAPOR-Signature", ""),
    )
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > MAX_SKEW:
        return False
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"sha256={expected}", signature)


def _reply(sender: str, message_id: str, text: str) -> None:
    message_send(
        channel="sms", address=sender, subject="LAPOR", body=text, dedupe_key=f"sms-in:{message_id}:reply"
    )


def _status(inbound: Inbound, sender: str, tracking_id: str) -> Outcome:
    """Own reports and public ones only; anything else reads "not found", like everywhere else."""
    user = existing_contact("sms", sender)
    viewer = viewer_for(user) if user else Viewer.public()
    try:  # a filing not yet written out too, to its sender
        report = report_or_filing(viewer=viewer, tracking_id=tracking_id).report
    except NotFound:
        _reply(sender, inbound.message_id, f"LAPOR: laporan {tracking_id.upper()} tidak ditemukan.")
        return Outcome(kind="status", reason="not_found")
    where = f" oleh {report.agency.name}" if report.agency and report.status != Status.SUBMITTED else ""
    label = Status(report.status).label
    _reply(sender, inbound.message_id, f"LAPOR {report.tracking_id}: {label}{where}.")
    return Outcome(kind="status", tracking_id=report.tracking_id)


def sms_received(inbound: Inbound) -> Outcome:
    sender = normalize_phone(inbound.sender)
    if sender is None:
        raise Invalid("Nomor pengirim tidak valid.", code="invalid_phone", field="from")
    with transaction.atomic():
        if match := CHECK.match(inbound.text):
            return _status(inbound, sender, match.group(1))
        user = contact_user(kind="sms", address=sender, name=SENDER_NAME)
        draft = services.ReportDraft(
            body=inbound.text,
            reporter_name=SENDER_NAME,
            channel="sms",
            external_ref=f"{inbound.via}:{inbound.message_id}",
            tags=(inbound.via,),
        )
        try:
            submitted = services.report_file(draft=draft, actor=viewer_for(user))
        except ApplicationError as exc:
            _reply(
                sender,
                inbound.message_id,
                "LAPOR: laporan belum dapat diterima. Tulis keluhan Anda minimal 20 karakter, "
                "atau kirim CEK <nomor laporan> untuk melihat status.",
            )
            return Outcome(kind="rejected", reason=exc.message)
    return Outcome(kind="report", tracking_id=submitted.report.tracking_id, created=submitted.created)


def require_gateway(request: HttpRequest, *, key_ok: bool) -> None:
    if not (key_ok or verify_signature(request)):
        raise Unauthenticated("Kunci API atau tanda tangan gerbang SMS tidak valid.")
