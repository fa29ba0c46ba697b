"""What reaches the log, through the real surfaces: identity views, downloads, configuration changes,
and reading the log itself."""

import io

import pytest
from django.db.models import Q
from PIL import Image

from lapor.agencies.models import Role
from lapor.agencies.services import membership_add, membership_remove, unit_create
from lapor.audit.models import AuditEntry
from lapor.audit.verify import verify_chain
from lapor.channels.apikeys import apikey_create, apikey_revoke, apikey_rotate
from lapor.core.models import User
from lapor.notifications.webhooks import subscription_create, subscription_delete, webhook_replay
from lapor.reports.models import IdentityAccess, Report
from lapor.reports.workflow import Status
from lapor.web.services import response_template_create, response_template_delete, response_template_update
from tests.api.helpers import client_for
from tests.audit.conftest import actions
from tests.factories import BODY, World, report_in
from tests.web.helpers import client_as

pytestmark = pytest.mark.django_db


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def test_each_look_at_an_anonymous_reporter_is_chained_with_its_access_row(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS, anonymous=True)
    before = AuditEntry.objects.count()
    client = client_as(world.verifier)
    for _ in range(2):
        assert client.post(f"/staf/laporan/{report.tracking_id}/identitas/").status_code == 200
    looks = _entries("identity.view")
    assert len(looks) == 2 == IdentityAccess.objects.filter(report=report).count()
    assert AuditEntry.objects.count() == before + 2
    assert {(e.actor_id, e.target_id, e.payload["surface"]) for e in looks} == {
        (world.verifier.pk, report.tracking_id, looks[0].payload["surface"])
    }
    # an agency admin is refused the identity: no look, no entry
    assert (
        client_as(world.admin_pemda).post(f"/staf/laporan/{report.tracking_id}/identitas/").status_code == 403
    )
    assert len(_entries("identity.view")) == 2
    assert verify_chain().ok


def test_a_named_reporter_seen_by_the_handler_is_not_an_identity_view(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    assert client_as(world.admin_pemda).get(f"/staf/laporan/{report.tracking_id}/").status_code == 200
    assert not _entries("identity.view")


def _photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    out.seek(0)
    out.name = "lubang.png"
    return out


def test_staff_downloads_are_recorded_and_the_reporters_own_are_not(world: World) -> None:
    data = {"title": "Jalan berlubang", "body": BODY, "region": "34.04", "category": "roads_infrastructure"}
    created = client_for(world.citizen).post("/api/v1/reports", data={**data, "attachments": [_photo()]})
    assert created.status_code == 201, created.content
    tracking_id = created.json()["tracking_id"]
    detail = client_for(world.citizen).get(f"/api/v1/reports/{tracking_id}").json()
    url = detail["attachments"][0]["url"]
    assert client_for(world.citizen).get(url).status_code == 200
    assert not _entries("attachment.download")
    assert client_for(world.verifier).get(url).status_code == 200
    (entry,) = _entries("attachment.download")
    assert (entry.actor_id, entry.target_id, entry.payload["surface"]) == (
        world.verifier.pk,
        tracking_id,
        "api",
    )


def test_membership_and_unit_changes(world: World) -> None:
    admin = world.viewer("admin_pemda")
    unit = unit_create(actor=admin, agency=world.pemda, slug="dinas-kesehatan", name="Dinas Kesehatan")
    membership = membership_add(
        actor=admin, agency=world.pemda, username="other_citizen", role=Role.UNIT_OFFICER, unit=unit
    )
    membership_remove(actor=admin, membership_id=membership.pk)
    assert actions() == ["unit.create", "membership.add", "membership.remove"]
    added, removed = _entries("membership.add")[0], _entries("membership.remove")[0]
    assert added.target_id == removed.target_id == str(membership.pk)
    assert added.payload == {
        "user": world.other_citizen.pk,
        "agency": world.pemda.pk,
        "unit": unit.pk,
        "role": Role.UNIT_OFFICER,
    }
    assert added.actor_id == world.admin_pemda.pk
    assert verify_chain().ok


def test_api_key_lifecycle_is_recorded_without_the_secret(world: World) -> None:
    issued = apikey_create(agency=world.pemda, name="Aplikasi Kabupaten", actor=world.admin_pemda)
    rotated = apikey_rotate(key=issued.key.slug, actor=world.admin_pemda)
    apikey_revoke(key=issued.key.slug)  # from the command line: no person
    assert actions() == ["apikey.create", "apikey.rotate", "apikey.revoke"]
    revoke = _entries("apikey.revoke")[0]
    assert revoke.actor_id is None and revoke.actor_display == "sistem"
    everything = str(list(AuditEntry.objects.values()))
    assert issued.raw not in everything and rotated.raw not in everything
    assert issued.key.digest not in everything


def test_webhook_changes_are_recorded(world: World) -> None:
    subscription = subscription_create(
        owner=world.admin_pemda,
        name="Sistem Kab",
        url="https://kab.example/hook",
        events=["report.routed"],
        agency=world.pemda,
    )
    # nothing replayed, nothing logged
    assert webhook_replay(deliveries=Q(pk__in=[]), actor=world.admin_pemda) == 0
    subscription_delete(subscription=subscription, actor=world.admin_pemda)
    assert actions() == ["webhook.subscribe", "webhook.unsubscribe"]
    assert {e.actor_id for e in AuditEntry.objects.all()} == {world.admin_pemda.pk}
    # a citizen following their own reports is not an admin change, and their name stays out of the log
    own = subscription_create(
        owner=world.citizen,
        name="Laporan saya",
        url="https://warga.example/hook",
        events=["report.routed"],
        agency=None,
    )
    subscription_delete(subscription=own, actor=world.citizen)
    assert AuditEntry.objects.count() == 2
    assert "Siti" not in str(list(AuditEntry.objects.values()))


def test_template_edits_are_recorded(world: World) -> None:
    admin = world.viewer("admin_pemda")
    template = response_template_create(
        actor=admin, agency=world.pemda, title="Perbaikan jalan", body="Laporan Anda sudah kami teruskan."
    )
    response_template_update(
        actor=admin, pk=template.pk, title="Perbaikan jalan", body="Sudah dijadwalkan minggu ini."
    )
    response_template_delete(actor=admin, pk=template.pk)
    assert actions() == ["template.create", "template.update", "template.delete"]
    assert {e.target_id for e in AuditEntry.objects.all()} == {str(template.pk)}


def test_reading_the_log_is_itself_logged_and_only_for_those_allowed(world: World) -> None:
    report_in(world, Status.ROUTED)
    root = User.objects.create_superuser(username="root", password="lapor-demo", email="root@contoh.id")
    seen = client_as(root).get("/admin/audit/auditentry/")
    assert seen.status_code == 200 and b"report.route" in seen.content
    entry = AuditEntry.objects.get(action="report.route")
    assert client_as(root).get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    reads = _entries("audit.read")
    assert [(r.actor_id, r.target_id) for r in reads] == [(root.pk, "list"), (root.pk, str(entry.pk))]
    # a verifier with admin-site access but without the permission reads nothing and leaves no trace
    world.verifier.is_staff = True
    world.verifier.save()
    assert client_as(world.verifier).get("/admin/audit/auditentry/").status_code == 403
    assert len(_entries("audit.read")) == 2
    # nobody can change or delete an entry through the admin
    assert (
        client_as(root).post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert verify_chain().ok


def test_reports_filed_and_confirmed_by_the_reporter_are_not_staff_actions(world: World) -> None:
    report: Report = report_in(world, Status.CLOSED)
    logged = {e.action for e in AuditEntry.objects.filter(target_id=report.tracking_id)}
    assert logged == {"report.route", "report.accept", "report.forward", "report.respond"}


def test_the_selector_fails_closed(world: World) -> None:
    from django.contrib.auth.models import Permission

    from lapor.audit.selectors import audit_entries_for

    report = report_in(world, Status.ROUTED)
    assert not audit_entries_for(viewer=world.verifier).exists()
    assert not audit_entries_for(viewer=None).exists()
    world.verifier.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    granted = User.objects.get(pk=world.verifier.pk)  # a fresh instance: permissions are cached
    rows = audit_entries_for(viewer=granted, target_type="report", target_id=report.tracking_id)
    assert [e.action for e in rows] == ["report.route"]
