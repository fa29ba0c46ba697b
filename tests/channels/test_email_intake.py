"""E-mail intake over real SMTP on 127.0.0.1: a message becomes a report with its attachment, a
delivery twice is stored once, a reply from the reporter's address joins the thread, a reply from
anyone else does not."""

import io
import smtplib
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from PIL import Image

from lapor.channels.smtpd import IntakeHandler
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.factories import World
from tests.security.test_uploads_scanner import TcpClamd

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "Selamat pagi. Puskesmas Depok III menolak pasien BPJS pada malam hari tanpa alasan yang jelas."


@pytest.fixture
def smtp(world: World) -> Iterator[tuple[str, int]]:
    with socket.socket() as probe:  # a free port (aiosmtpd's start-up check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(IntakeHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield "127.0.0.1", port
    controller.stop()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def message(sender: str, subject: str, body: str, message_id: str, *, attach: bool = False) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = sender, "lapor@localhost", subject, message_id
    msg.set_content(body)
    if attach:
        msg.add_attachment(jpeg(), maintype="image", subtype="jpeg", filename="foto.jpg")
        msg.add_attachment(
            b"MZ\x90\x00 not allowed", maintype="application", subtype="octet-stream", filename="x.exe"
        )
    return msg


def send(server: tuple[str, int], msg: EmailMessage, to: str = "lapor@localhost") -> None:
    with smtplib.SMTP(*server, timeout=10) as client:
        client.send_message(msg, to_addrs=[to])


def test_mail_becomes_a_report_once_and_replies_join_the_thread(smtp: tuple[str, int], world: World) -> None:
    first = message(
        "Budi Santoso <budi@contoh.id>", "Puskesmas menolak pasien", BODY, "<m1@contoh.id>", attach=True
    )
    send(smtp, first)
    send(smtp, first)  # delivered twice
    report = Report.objects.get()
    assert report.channel == "email" and report.external_ref == "m1@contoh.id"
    assert report.title == "Puskesmas menolak pasien" and report.body == BODY
    assert report.identity.name == "Budi Santoso" and report.identity.email == "budi@contoh.id"
    assert [a.name for a in report.attachments.all()] == ["foto.jpg"]  # the .exe was left out
    receipt = [m for m in mail.outbox if m.to == ["budi@contoh.id"]]
    assert len(receipt) == 1 and report.tracking_id in receipt[0].subject

    services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    services.report_respond(report=report, actor=world.viewer("admin_pemda"), message="Sudah kami tegur.")
    stranger = message(
        "orang@lain.id", f"Re: {report.tracking_id}", "Saya bukan pelapornya tapi ikut membalas.", "<m2@x>"
    )
    send(smtp, stranger)
    report.refresh_from_db()
    assert report.status == Status.RESPONDED
    assert any(m.to == ["orang@lain.id"] for m in mail.outbox)

    reply = message(
        "budi@contoh.id",
        f"Re: Laporan Anda diterima: {report.tracking_id}",
        "Belum ada perubahan, malam tadi masih ditolak.\n\nOn Mon, LAPOR wrote:\n> Sudah kami tegur.",
        "<m3@contoh.id>",
    )
    send(smtp, reply)
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    event = report.events.get(action="reply")
    assert event.message == "Belum ada perubahan, malam tadi masih ditolak."


@pytest.fixture
def clamd() -> Iterator[TcpClamd]:
    server = TcpClamd()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_attachments_beyond_a_reports_total_are_left_out_and_each_file_is_scanned_once(
    smtp: tuple[str, int], world: World, clamd: TcpClamd, settings: Any
) -> None:
    settings.LAPOR_VIRUS_SCANNER = f"clamd://127.0.0.1:{clamd.server_address[1]}"
    photo = jpeg()
    settings.LAPOR_ATTACHMENT_REPORT_MAX_BYTES = 2 * len(photo) + len(photo) // 2  # room for two photos
    msg = message("budi@contoh.id", "Jalan rusak di depan sekolah", BODY, "<m7@contoh.id>")
    for n in range(3):
        msg.add_attachment(photo, maintype="image", subtype="jpeg", filename=f"foto{n}.jpg")
    send(smtp, msg)
    report = Report.objects.get()  # filed with what fits, not refused as a whole
    assert sorted(a.name for a in report.attachments.all()) == ["foto0.jpg", "foto1.jpg"]
    assert clamd.streams == [photo, photo]  # the third was left out unread; none was scanned twice


def test_other_recipients_are_refused(smtp: tuple[str, int], world: World) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(smtp, message("budi@contoh.id", "x", BODY, "<m9@x>"), to="other@localhost")
    assert not Report.objects.exists()


def test_a_too_short_mail_is_answered_not_filed(smtp: tuple[str, int], world: World) -> None:
    send(smtp, message("ani@contoh.id", "Tolong", "Jalan rusak.", "<m5@x>"))
    assert not Report.objects.exists()
    (answer,) = [m for m in mail.outbox if m.to == ["ani@contoh.id"]]
    assert "belum dapat diterima" in answer.body


def test_auto_replies_are_never_answered(smtp: tuple[str, int], world: World) -> None:
    auto = message(
        "mailer-daemon@contoh.id",
        "Undeliverable",
        "Delivery failed for this message, sorry about it.",
        "<m6@x>",
    )
    auto["Auto-Submitted"] = "auto-replied"
    send(smtp, auto)
    assert not Report.objects.exists() and not mail.outbox


def test_smtpd_command_is_registered() -> None:
    from django.core.management import get_commands

    assert get_commands()["smtpd"] == "lapor.channels"
    _: Any = None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's in-memory test database stays open")
def test_a_mail_gives_its_thread_connection_back(world: World) -> None:
    """Mail is filed on the event loop's executor threads, which end with the server: a connection
    kept on one would stay open (seen as "database is being accessed by other users" at teardown)."""
    from lapor.channels.smtpd import _process

    still_open: list[bool] = []

    def deliver() -> None:
        _process(message("warga@example.invalid", "Puskesmas", BODY, "<thread@x>").as_bytes())
        still_open.append(connection.connection is not None)

    thread = threading.Thread(target=deliver)
    thread.start()
    thread.join()
    assert Report.objects.filter(channel="email").count() == 1
    assert still_open == [False]
