"""Notifications: written with the event, delivered after commit, retried with backoff, in the
reader's language and channels, and never carrying an anonymous reporter's identity."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from lapor.agencies.access import Viewer
from lapor.core import clock
from lapor.notifications.delivery import BACKOFF, deliver_now, flush
from lapor.notifications.models import Notification, OutboxMessage
from lapor.notifications.selectors import unread_count
from lapor.notifications.services import notifications_mark_read, preference_update
from lapor.reports import services
from lapor.reports.sweep import sweep
from tests.factories import BODY, REPORTER_NAME, World, submit

pytestmark = pytest.mark.django_db


def test_receipt_and_new_work_are_sent_after_commit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(world).report
    assert [m.to for m in mail.outbox] == [["citizen@contoh.id"]]
    assert report.tracking_id in mail.outbox[0].subject
    assert mail.outbox[0].extra_headers["X-LAPOR-Message-Id"]
    assert unread_count(user=world.citizen) == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_route(
            report=report, agency=world.pemda, actor=world.viewer("verifier"), message="Ke Pemkab"
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["admin_pemda@contoh.id", "citizen@contoh.id"]
    assert OutboxMessage.objects.filter(state="sent").count() == 3


def test_anonymous_reporter_never_appears_in_officer_messages(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(world, anonymous=True).report
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
        services.report_accept(report=report, actor=world.viewer("admin_pemda"))
        services.report_forward(report=report, unit=world.unit_pu, actor=world.viewer("admin_pemda"))
    officer_mail = [m for m in mail.outbox if m.to[0] != "citizen@contoh.id"]
    assert {m.to[0] for m in officer_mail} == {"admin_pemda@contoh.id", "officer_pu@contoh.id"}
    for message in officer_mail:
        assert REPORTER_NAME not in message.subject + message.body
    officer_inbox = Notification.objects.exclude(user=world.citizen)
    assert officer_inbox.exists()
    assert not any(REPORTER_NAME in n.title + n.body for n in officer_inbox)


def test_nothing_is_written_when_the_change_rolls_back(world: World) -> None:
    report = submit(world).report
    before = (OutboxMessage.objects.count(), Notification.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
        raise RuntimeError("the database went away after the route")
    assert (OutboxMessage.objects.count(), Notification.objects.count()) == before


def test_guest_gets_the_receipt_by_email(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, guest=True)
    assert mail.outbox[0].to == ["siti@contoh.id"]
    assert "kode akses" in mail.outbox[0].body


def test_messages_are_plain_text_with_the_reporter_s_own_characters(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    title = 'Jalan & trotoar "Godean" <rusak> O\'ong'
    draft = services.ReportDraft(
        body=BODY, title=title, region="34.04", reporter_name="Siti Rahayu", reporter_email="siti@contoh.id"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(draft=draft, actor=Viewer.public())
    assert title in mail.outbox[0].body  # as typed: no HTML entities in an e-mail or SMS
    assert "&amp;" not in mail.outbox[0].body and "&quot;" not in mail.outbox[0].body


def test_channels_and_language_follow_the_preference(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    preference_update(user=world.citizen, email=False, sms=False, in_app=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        submit(world)
    assert mail.outbox == []
    note = Notification.objects.get(user=world.citizen)
    assert note.title.startswith("Your report was received")
    assert notifications_mark_read(user=world.citizen) == 1 and unread_count(user=world.citizen) == 0


class _Gateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    fail = True

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Gateway.received.append(body)
        self.send_response(503 if _Gateway.fail else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_sms_retries_with_backoff_then_succeeds_and_fails_for_good(world: World, settings: Any) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.LAPOR_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    try:
        preference_update(user=world.citizen, email=False, sms=True, in_app=False, language="id")
        submit(world)  # on_commit is not run here: the message waits in the outbox
        message = OutboxMessage.objects.get(channel="sms")
        assert message.address == "081234567890"

        _Gateway.fail = True
        start = clock.now()
        for attempt in range(1, len(BACKOFF) + 1):
            with clock.frozen_at(
                start + sum(BACKOFF[: attempt - 1], timedelta()) + timedelta(seconds=attempt)
            ):
                assert deliver_now(str(message.pk)) == "pending"
            message.refresh_from_db()
            assert message.attempts == attempt and "503" in message.last_error
        # The gateway got the same id every time, so it can drop repeats
        assert {r["id"] for r in _Gateway.received} == {str(message.pk)}

        with clock.frozen_at(message.next_attempt_at + timedelta(seconds=1)):
            assert deliver_now(str(message.pk)) == "failed"

        # An admin retries; the gateway is back
        OutboxMessage.objects.filter(pk=message.pk).update(
            state="pending", attempts=0, next_attempt_at=clock.now()
        )
        _Gateway.fail = False
        assert flush() == 1  # the immediate task backend delivers on enqueue
        message.refresh_from_db()
        assert message.state == "sent" and message.sent_at is not None
    finally:
        server.shutdown()


def test_reminder_and_escalation_reach_the_right_people(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen_at(clock.now() - timedelta(days=120)):  # past the 60-working-day referral
        report = submit(world).report
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep()
    assert result["escalations"] == 3
    subjects = {(m.to[0], m.subject.split(":")[0]) for m in mail.outbox}
    # level 1: agency admin; level 2: parent agency (province) admins + verifiers; level 3: Ombudsman
    assert ("admin_pemda@contoh.id", "Eskalasi tingkat 1") in subjects
    assert ("verifier@contoh.id", "Eskalasi tingkat 2") in subjects
    assert ("supervisor@contoh.id", "Eskalasi tingkat 3") in subjects
    # ...and the reporter sees every public step, the Ombudsman offer included
    reporter_mail = [m for m in mail.outbox if m.to == ["citizen@contoh.id"]]
    assert any("Ombudsman" in m.body for m in reporter_mail)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep()["escalations"] == 0
    assert mail.outbox == []


def test_due_tomorrow_reminder_once(world: World, django_capture_on_commit_callbacks: Any) -> None:
    report = submit(world).report
    assert report.remind_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(now=report.remind_at + timedelta(minutes=1))["reminders"] == 1
        assert sweep(now=report.remind_at + timedelta(minutes=2))["reminders"] == 0
    assert [m.to[0] for m in mail.outbox] == ["verifier@contoh.id"]
    assert mail.outbox[0].subject.startswith("Batas waktu besok")


def test_flush_relays_a_burst_in_batches_until_none_is_due(world: World) -> None:
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            dedupe_key=f"burst{n}", channel="email", address=f"warga{n}@contoh.id", subject="s", body="b"
        )
        for n in range(5)
    )
    assert flush(limit=2) == 5  # three batches (2, 2, 1) in one round, not one batch per interval
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == [f"warga{n}@contoh.id" for n in range(5)]
    assert flush(limit=2) == 0
