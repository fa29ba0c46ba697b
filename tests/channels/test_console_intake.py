"""Console: an officer records a walk-in complaint on a citizen's behalf; webhook deliveries with replay."""

from typing import Any

import pytest
from django.test import Client

from lapor.audit.models import AuditEntry
from lapor.notifications.webhook_models import WebhookDelivery
from lapor.notifications.webhooks import subscription_create
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.factories import World, report_in

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_officer_records_a_walk_in_complaint(world: World) -> None:
    client = signed_in(world.admin_pemda)
    assert client.get("/staf/laporan-langsung/").status_code == 200
    response = client.post(
        "/staf/laporan-langsung/",
        {
            "channel": "walk_in",
            "kind": "complaint",
            "title": "Pungutan di kelurahan",
            "body": "Warga diminta membayar Rp50.000 untuk surat pengantar di kantor kelurahan Caturtunggal.",
            "category": "roads_infrastructure",
            "region": "34.04",
            "reporter_name": "Pak Harjo",
            "reporter_phone": "081311112222",
        },
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.channel == "walk_in" and report.reporter is None and report.identity.name == "Pak Harjo"
    html = response.content.decode()
    assert report.tracking_id in html and "Kode akses" in html
    invalid = client.post(
        "/staf/laporan-langsung/",
        {"channel": "walk_in", "kind": "complaint", "body": "pendek", "reporter_name": "X"},
    )
    assert invalid.status_code == 200 and Report.objects.count() == 1
    # Who typed it in is on the audit chain; the refused attempt left nothing there.
    (entry,) = AuditEntry.objects.filter(action="report.intake")
    assert (entry.actor_id, entry.target_id, entry.payload) == (
        world.admin_pemda.pk,
        report.tracking_id,
        {"channel": "walk_in"},
    )


def test_citizens_cannot_use_the_console(world: World) -> None:
    assert signed_in(world.citizen).get("/staf/laporan-langsung/").status_code == 403
    assert Client().get("/staf/webhook/").status_code == 302


def test_webhook_deliveries_page_and_replay(world: World, django_capture_on_commit_callbacks: Any) -> None:
    subscription_create(
        owner=world.admin_pemda,
        url="http://127.0.0.1:9/down",
        events=["report.routed"],
        agency=world.pemda,
        name="SIMPEL",
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_in(world, Status.ROUTED)
    delivery = WebhookDelivery.objects.get()
    client = signed_in(world.admin_pemda)
    page = client.get("/staf/webhook/")
    assert page.status_code == 200 and delivery.tracking_id in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staf/webhook/{delivery.pk}/kirim-ulang/").status_code == 302
    delivery.refresh_from_db()
    assert delivery.log.count() == 2  # replayed: another attempt logged
    other = signed_in(world.admin_pln)
    assert delivery.tracking_id not in other.get("/staf/webhook/").content.decode()
    assert other.post(f"/staf/webhook/{delivery.pk}/kirim-ulang/").status_code == 404
