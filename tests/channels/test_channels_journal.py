"""SMS, social mentions and e-mail go through the intake journal like the API and the web form (ADR
0033): a message is accepted into one row, answered with its tracking ID, stored once however often a
gateway retries it, and written out as the report the direct path would have stored."""

from typing import Any

import pytest
from django.test import Client

from lapor.channels.apikeys import apikey_create
from lapor.channels.email import mail_received
from lapor.notifications.models import OutboxMessage
from lapor.reports import services
from lapor.reports.models import PendingFiling, Report
from tests.channels.helpers import MENTION, Gateway, push_twice
from tests.channels.test_email_intake import BODY, message
from tests.channels.test_sms_social import TEXT, send
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(settings: Any, gateway: Gateway) -> Any:
    settings.LAPOR_INTAKE_JOURNAL = True
    settings.TASK_MODE = "database"  # a worker writes the rows out; tests run it by hand
    return settings


def test_an_sms_is_accepted_once_answers_cek_to_its_sender_only_and_is_written_out(
    world: World, journal: Any
) -> None:
    client = Client()
    sms = {"from": "0812-3456-7000", "text": TEXT, "message_id": "gw-1"}
    first, again = send(client, sms), send(client, sms)  # the gateway retried the same message
    assert first.status_code == 201 and again.status_code == 200, (first.content, again.content)
    tracking_id = first.json()["tracking_id"]
    assert again.json()["tracking_id"] == tracking_id
    assert PendingFiling.objects.count() == 1 and not Report.objects.exists()

    own = send(client, {"from": "+6281234567000", "text": f"CEK {tracking_id}", "message_id": "gw-2"})
    other = send(client, {"from": "+6281299999999", "text": f"CEK {tracking_id}", "message_id": "gw-3"})
    assert own.json()["result"] == "status" and other.json()["result"] == "status"
    replies = {m.address: m.body for m in OutboxMessage.objects.filter(channel="sms")}
    assert replies == {
        "+6281234567000": f"LAPOR {tracking_id}: Belum Terverifikasi.",
        "+6281299999999": f"LAPOR: laporan {tracking_id} tidak ditemukan.",  # not theirs, not public
    }

    assert services.filings_write_out() == 1
    report = Report.objects.get(tracking_id=tracking_id)
    assert (report.channel, report.external_ref, report.body) == ("sms", "sms:gw-1", TEXT)
    assert report.identity.phone == "+6281234567000"
    receipt = OutboxMessage.objects.get(channel="sms", address="+6281234567000", body__contains="diterima")
    assert tracking_id in receipt.body
    assert send(client, sms).json()["tracking_id"] == tracking_id and Report.objects.count() == 1


def test_a_social_mention_pushed_twice_is_one_filing_then_one_report(world: World, journal: Any) -> None:
    bridge = apikey_create(agency=world.national, name="Jembatan Medsos", permissions=["social"])
    client = Client(headers={"X-API-Key": bridge.raw})
    tracking_id = push_twice(client, MENTION)
    assert PendingFiling.objects.count() == 1 and not Report.objects.exists()
    assert services.filings_write_out() == 1
    report = Report.objects.get()
    assert report.tracking_id == tracking_id and report.external_ref == MENTION["url"]
    assert report.identity.name == "@warga_sleman" and report.tags == ["x"]


def _mail(message_id: str, *, attach: bool = False) -> bytes:
    sender, subject = "Budi <budi@contoh.id>", "Puskesmas menolak pasien"
    return bytes(message(sender, subject, BODY, message_id, attach=attach))


def test_a_mail_without_attachments_goes_through_the_journal_and_one_with_them_does_not(
    world: World, journal: Any
) -> None:
    plain = mail_received(_mail("<m1@contoh.id>"))
    assert plain.kind == "report" and plain.created
    assert mail_received(_mail("<m1@contoh.id>")).tracking_id == plain.tracking_id  # delivered twice
    assert PendingFiling.objects.count() == 1 and not Report.objects.exists()

    attached = mail_received(_mail("<m2@contoh.id>", attach=True))  # files are checked while it waits
    assert Report.objects.get().tracking_id == attached.tracking_id
    assert services.filings_write_out() == 1
    written = Report.objects.get(tracking_id=plain.tracking_id)
    assert (written.channel, written.external_ref, written.title) == (
        "email",
        "m1@contoh.id",
        "Puskesmas menolak pasien",
    )
