"""Every role against named, anonymous and confidential reports on every /api/v1 path that shows a
report: detail, list, search, timeline, attachments. Privacy must hold by construction, whoever asks."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lapor.reports import services
from lapor.reports.models import IdentityAccess, Report
from tests.api.helpers import client_for
from tests.factories import REPORTER_NAME, World

pytestmark = pytest.mark.django_db

ROLES = [
    "public",
    "guest_with_code",
    "citizen",
    "other_citizen",
    "verifier",
    "admin_pemda",
    "admin_pln",
    "officer_pu",
    "supervisor",
    "province_supervisor",
]
VARIANTS = ["named", "anonymous", "confidential", "anonymous_confidential", "unverified"]

# Who may open a report at all, per variant (everyone else gets the same 404 as for a missing one).
HANDLERS = {"verifier", "admin_pemda", "officer_pu", "supervisor", "province_supervisor"}
REPORTER = {"citizen", "guest_with_code"}
SEES_CONFIDENTIAL = HANDLERS | REPORTER
SEES_UNVERIFIED = {"verifier", "supervisor"} | REPORTER
# Who sees an anonymous reporter's identity: the reporter and national verifiers, nobody else.
SEES_ANONYMOUS_IDENTITY = {"verifier"} | REPORTER
SEES_CONTACT = HANDLERS | REPORTER


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return SimpleUploadedFile("lokasi.png", out.getvalue())


def _make(world: World, variant: str) -> tuple[Report, str]:
    """A report by the citizen (or a guest, same person) in progress at Dinas PU Sleman."""
    anonymous = variant.startswith("anonymous")
    confidential = "confidential" in variant
    # Half the matrix is filed by a guest, so access codes are covered too.
    guest = variant in {"anonymous", "confidential"}
    draft = services.ReportDraft(
        body="Pungutan liar di kantor kelurahan Caturtunggal untuk surat pengantar KTP sebesar 50 ribu.",
        title="Pungli surat pengantar",
        region="34.04",
        anonymous=anonymous,
        confidential=confidential,
        reporter_name=REPORTER_NAME if guest else "",
        reporter_email="siti.rahasia@contoh.id" if guest else "",
    )
    actor = world.viewer("public") if guest else world.viewer("citizen")
    submitted = services.report_submit(draft=draft, actor=actor, files=[_photo()])
    report = submitted.report
    if variant != "unverified":
        verifier, admin = world.viewer("verifier"), world.viewer("admin_pemda")
        services.report_route(report=report, agency=world.pemda, actor=verifier)
        services.report_accept(report=report, actor=admin)
        services.report_forward(report=report, unit=world.unit_pu, actor=admin)
        services.report_respond(
            report=report, actor=world.viewer("officer_pu"), message="Sedang kami periksa."
        )
        services.report_reply(
            report=report,
            actor=actor,
            message="Terima kasih, saya tunggu.",
            access_code=submitted.access_code,
        )
    return report, submitted.access_code or ""


def _client(world: World, role: str, access_code: str, guest_report: bool) -> tuple[Client, dict[str, str]]:
    if role == "guest_with_code":
        return Client(), {"X-Access-Code": access_code} if guest_report else {}
    if role == "citizen" and guest_report:
        return Client(), {}  # the guest has no account: "citizen" without the code is just the public
    user = None if role == "public" else getattr(world, role)
    return client_for(user), {}


def _expected_visible(role: str, variant: str, guest_report: bool) -> bool:
    if guest_report and role == "citizen":
        role = "public"
    if not guest_report and role == "guest_with_code":
        role = "public"
    if variant == "unverified":
        return role in SEES_UNVERIFIED
    if "confidential" in variant:
        return role in SEES_CONFIDENTIAL
    return True


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_path(world: World, role: str, variant: str) -> None:
    report, code = _make(world, variant)
    guest_report = bool(code)
    client, headers = _client(world, role, code, guest_report)
    effective = (
        "public"
        if (guest_report and role == "citizen") or (not guest_report and role == "guest_with_code")
        else role
    )
    visible = _expected_visible(role, variant, guest_report)
    base = f"/api/v1/reports/{report.tracking_id}"
    anonymous = variant.startswith("anonymous")

    # Detail: visible, or exactly the 404 of a missing report
    detail = client.get(base, headers=headers)
    missing = client.get("/api/v1/reports/LPR-2222222F", headers=headers)
    if not visible:
        assert detail.status_code == 404 and detail.json() == missing.json()
        assert client.get(f"{base}/timeline", headers=headers).status_code == 404
    else:
        assert detail.status_code == 200, detail.content
        reporter = detail.json()["reporter"]
        if anonymous:
            if effective in SEES_ANONYMOUS_IDENTITY:
                assert reporter["name"] == REPORTER_NAME
            else:
                assert reporter is None
                assert REPORTER_NAME not in detail.content.decode()
        else:
            assert reporter["name"] == REPORTER_NAME
            assert (reporter["email"] is not None) == (effective in SEES_CONTACT)

        # Timeline: never names the reporter, whoever looks
        timeline = client.get(f"{base}/timeline", headers=headers)
        assert timeline.status_code == 200
        assert REPORTER_NAME not in timeline.content.decode()
        assert all(e["actor"] is None for e in timeline.json() if e["actor_role"] == "reporter")

        # Attachments: files of anonymous reports reach only the reporter and the handlers
        for attachment in detail.json()["attachments"]:
            assert client.get(attachment["url"], headers=headers).status_code == 200
        if anonymous and effective not in HANDLERS | REPORTER:
            assert detail.json()["attachments"] == []
            attachment_id = report.attachments.get().pk
            assert client.get(f"{base}/attachments/{attachment_id}", headers=headers).status_code == 404

    # Lists and search: present exactly when visible (guests' codes open one report, not lists),
    # and rows never carry an identity
    list_visible = _expected_visible("public" if role == "guest_with_code" else role, variant, guest_report)
    for params in ({}, {"q": "Caturtunggal"}, {"region": "34.04"}, {"status": report.status}):
        rows = client.get("/api/v1/reports", params, headers=headers)
        assert rows.status_code == 200
        ids = [row["tracking_id"] for row in rows.json()["items"]]
        assert (report.tracking_id in ids) == list_visible, (params, ids)
        assert REPORTER_NAME not in rows.content.decode()
        assert "siti.rahasia@contoh.id" not in rows.content.decode()

    # Every look at an anonymous identity by a verifier is on the record; nobody else's is
    looks = IdentityAccess.objects.filter(report=report)
    if anonymous and visible and effective == "verifier":
        assert looks.filter(viewer=world.verifier).exists()
    else:
        assert not looks.exists()
