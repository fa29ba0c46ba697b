"""E-mail intake. `lapor smtpd` hands every message for the intake address to `mail_received`:
a new message becomes a report (subject → title, text → body, attachments cleaned like uploads);
a message whose subject carries a tracking ID is the reporter's reply on that report, accepted only
from the address that filed it. Whatever cannot be taken is answered by mail, through the outbox.

The Message-ID is the report's external reference, so a message delivered twice is stored once."""

import email
import email.policy
import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import transaction

from lapor.agencies.access import viewer_for
from lapor.channels.contacts import contact_user, existing_contact
from lapor.core.errors import ApplicationError
from lapor.core.ids import normalize_tracking_id
from lapor.notifications.direct import message_send
from lapor.reports import services
from lapor.reports.attachments import CleanFile, clean_upload
from lapor.reports.models import Report
from lapor.reports.workflow import Status

__all__ = ["MailOutcome", "mail_received", "text_of"]

TRACKING = re.compile(r"\bLPR-?[0-9A-Z]{8}\b", re.IGNORECASE)
QUOTE_HEADER = re.compile(r"^(On|Pada)\b.*(wrote|menulis):\s*$|^-{2,}\s*(Original Message|Pesan Asli)", re.I)
SENDER_NAME = "Pelapor surel"


@dataclass(frozen=True)
class MailOutcome:
    kind: str  # "report", "reply", "rejected", "ignored"
    tracking_id: str | None = None
    created: bool = False
    reason: str = ""


def _strip_quote(text: str) -> str:
    kept = []
    for line in text.splitlines():
        if QUOTE_HEADER.match(line.strip()):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
    return "\n".join(kept).strip()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_subtype() == "html":
        content = html.unescape(nh3.clean(re.sub(r"(?i)<br\s*/?>|</p>", "\n", content), tags=set()))
    return _strip_quote(content)


def _attachments(message: EmailMessage) -> list[CleanFile]:
    """Only what passes the upload rules, within a report's count and total size: a file that does not
    is left out, not the whole report. Each file is cleaned (and scanned) here once; the report takes
    the cleaned files as they are."""
    files: list[CleanFile] = []
    total = 0
    for part in message.iter_attachments():
        if len(files) >= settings.LAPOR_ATTACHMENTS_PER_REPORT:
            break
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes) or not content:
            continue
        if total + len(content) > settings.LAPOR_ATTACHMENT_REPORT_MAX_BYTES:
            continue  # too much for one report: left out without being cleaned or scanned
        upload = SimpleUploadedFile(part.get_filename() or "lampiran", content, part.get_content_type())
        try:
            cleaned = clean_upload(upload)
        except ApplicationError:
            continue
        if total + len(cleaned.content) <= settings.LAPOR_ATTACHMENT_REPORT_MAX_BYTES:
            files.append(cleaned)  # counted as the report will count it: after the image is re-encoded
            total += len(cleaned.content)
    return files


def _answer(address: str, message_id: str, subject: str, text: str) -> None:
    message_send(
        channel="email",
        address=address,
        subject=f"Re: {subject}"[:200] if subject else "LAPOR",
        body=text,
        dedupe_key=f"mail-in:{message_id}:answer",
    )


def _reply(report: Report, address: str, text: str, message_id: str, subject: str) -> MailOutcome:
    user = existing_contact("mail", address)
    if user is None or report.reporter_id != user.pk:
        # Not the address that filed it: say nothing about the report (it may not even exist).
        _answer(address, message_id, subject, "Balasan hanya dapat diterima dari alamat surel pelapor.")
        return MailOutcome(kind="rejected", reason="not_reporter")
    viewer = viewer_for(user)
    actions = {
        Status.ON_HOLD: services.report_provide_info,
        Status.RESPONDED: services.report_reply,
        Status.CLOSED: services.report_reopen,
    }
    action = actions.get(Status(report.status))
    if action is None:
        _answer(
            address,
            message_id,
            subject,
            f"Laporan {report.tracking_id} sedang diproses; tanggapan dapat dikirim setelah instansi "
            "menindaklanjuti atau meminta informasi tambahan.",
        )
        return MailOutcome(kind="rejected", tracking_id=report.tracking_id, reason="not_now")
    try:
        action(report=report, actor=viewer, message=text)
    except ApplicationError as exc:
        _answer(address, message_id, subject, f"Tanggapan belum dapat diterima: {exc.message}")
        return MailOutcome(kind="rejected", tracking_id=report.tracking_id, reason=exc.code)
    return MailOutcome(kind="reply", tracking_id=report.tracking_id)


def mail_received(raw: bytes) -> MailOutcome:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # nosec B101  # type narrowing; policy.default builds EmailMessage
    name, address = parseaddr(str(message.get("From", "")))
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        return MailOutcome(kind="ignored", reason="no_sender")
    auto = str(message.get("Auto-Submitted", "no")).lower()
    ours = {settings.LAPOR_INTAKE_EMAIL.lower(), parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    if auto != "no" or address in ours:
        return MailOutcome(kind="ignored", reason="auto_submitted")  # never answer a machine: no loops
    subject = str(message.get("Subject", "")).strip()
    message_id = str(message.get("Message-ID", "")).strip().strip("<>")[:120] or None
    text = text_of(message)
    with transaction.atomic():
        found = TRACKING.search(subject)
        tracking_id = normalize_tracking_id(found.group(0)) if found else None
        report = Report.objects.filter(tracking_id=tracking_id).first() if tracking_id else None
        if report is not None:
            return _reply(report, address, text, message_id or address, subject)
        user = contact_user(kind="mail", address=address, name=name.strip() or SENDER_NAME)
        draft = services.ReportDraft(
            title=subject[:200],
            body=text,
            reporter_name=name.strip()[:150] or SENDER_NAME,
            channel="email",
            external_ref=message_id,
        )
        try:
            submitted = services.report_file(draft=draft, actor=viewer_for(user), files=_attachments(message))
        except ApplicationError as exc:
            _answer(address, message_id or address, subject, f"Laporan belum dapat diterima: {exc.message}")
            return MailOutcome(kind="rejected", reason=exc.code)
    return MailOutcome(kind="report", tracking_id=submitted.report.tracking_id, created=submitted.created)
