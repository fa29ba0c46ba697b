"""A reporter's own data: download it (page and API), delete the account (password), and what every
other surface shows afterwards: nothing of them. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lapor.agencies.access import viewer_for
from lapor.channels.apikeys import apikey_create
from lapor.core.models import AuthToken, User
from lapor.notifications.models import Notification, OutboxMessage, Preference
from lapor.reports import services
from lapor.reports.models import Attachment, Report, ReporterIdentity, Support, TimelineEvent
from lapor.reports.workflow import Status
from tests.factories import BODY, World, report_in

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Siti Aminah Rahasia", "citizen@contoh.id", "081234567890"
TRACES = (NAME, "Siti Aminah", EMAIL, PHONE, "citizen")


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "green").save(out, format="JPEG")
    return SimpleUploadedFile("rumah-saya.jpg", out.getvalue(), content_type="image/jpeg")


def file_with_photo(world: World, *, anonymous: bool = False) -> Report:
    draft = services.ReportDraft(
        body=BODY, title="Jalan berlubang di Godean", region="34.04", anonymous=anonymous
    )
    return services.report_submit(draft=draft, actor=world.viewer("citizen"), files=[photo()]).report


@pytest.fixture
def history(world: World) -> dict[str, Report]:
    """The citizen's footprint: a named public report with a photo and an internal note, an anonymous
    one, a closed one, a support of someone else's report, notifications and preferences."""
    named = file_with_photo(world)
    services.report_route(report=named, agency=world.pemda, actor=world.viewer("verifier"))
    services.report_note(report=named, actor=world.viewer("admin_pemda"), note="Catatan internal staf")
    anonymous = file_with_photo(world, anonymous=True)
    closed = report_in(world, Status.CLOSED)
    theirs = services.report_submit(
        draft=services.ReportDraft(body=BODY + " Lagi.", region="34.04"), actor=world.viewer("other_citizen")
    ).report
    services.report_route(report=theirs, agency=world.pemda, actor=world.viewer("verifier"))
    services.report_support(report=theirs, actor=world.viewer("citizen"))
    Preference.objects.update_or_create(user=world.citizen, defaults={"language": "en", "sms": False})
    assert Notification.objects.filter(user=world.citizen).exists()
    return {"named": named, "anonymous": anonymous, "closed": closed, "theirs": theirs}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: User) -> Client:
    _, raw = AuthToken.issue(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


# --- Download -------------------------------------------------------------------------------------------


def _check_export(data: dict[str, Any], world: World, history: dict[str, Report]) -> None:
    assert data["format"] == "lapor.personal-data.v1"
    assert data["account"]["username"] == "citizen" and data["account"]["email"] == EMAIL
    assert data["account"]["phone"] == PHONE and "password" not in json.dumps(data["account"])
    assert data["preferences"] == {"email": True, "sms": False, "in_app": True, "language": "en"}
    filed = {r["tracking_id"]: r for r in data["reports"]}
    mine = {history[k].tracking_id for k in ("named", "anonymous", "closed")}
    assert set(filed) == mine  # their own, and only theirs
    named = filed[history["named"].tracking_id]
    assert named["reporter"] == {"name": NAME, "email": EMAIL, "phone": PHONE}
    assert [a["name"] for a in named["attachments"]] == ["rumah-saya.jpg"]
    assert [e["action"] for e in named["timeline"]][:2] == ["submit", "route"]
    assert "Catatan internal staf" not in json.dumps(data)  # the timeline they may see, not the staff's
    assert filed[history["anonymous"].tracking_id]["anonymous"] is True
    assert [s["tracking_id"] for s in data["supports"]] == [history["theirs"].tracking_id]
    assert data["notifications"] and all("title" in n for n in data["notifications"])
    assert history["theirs"].body not in json.dumps(data)  # someone else's report is not theirs to take


def test_download_from_the_account_page(world: World, history: dict[str, Report]) -> None:
    client = signed_in(world.citizen)
    assert b'href="/akun/data/"' in client.get("/akun/laporan/").content  # reachable from "Laporan saya"
    page = client.get("/akun/data/")
    assert page.status_code == 200 and b"/akun/data/unduh/" in page.content and b"password" in page.content
    response = client.get("/akun/data/unduh/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    _check_export(json.loads(response.content), world, history)


def test_download_from_the_api(world: World, history: dict[str, Report]) -> None:
    response = bearer(world.citizen).get("/api/v1/me/data")
    assert response.status_code == 200, response.content
    _check_export(response.json(), world, history)


def test_download_needs_a_person(world: World, history: dict[str, Report]) -> None:
    assert Client().get("/api/v1/me/data").status_code == 401
    assert Client().get("/akun/data/unduh/").status_code == 302  # to sign in
    raw = apikey_create(agency=world.pemda, name="Integrasi Contoh", permissions=["submit"]).raw
    refused = Client(headers={"X-API-Key": raw}).get("/api/v1/me/data")
    assert refused.status_code == 403 and refused.json()["code"] == "key_permission"


# --- Delete ---------------------------------------------------------------------------------------------


def test_wrong_password_deletes_nothing(world: World, history: dict[str, Report]) -> None:
    response = signed_in(world.citizen).post("/akun/data/hapus/", {"password": "salah", "confirm": "on"})
    assert response.status_code == 422 and "Kata sandi salah" in response.content.decode()
    api = bearer(world.citizen).post(
        "/api/v1/me/delete", {"password": "salah"}, content_type="application/json"
    )
    assert api.status_code == 422 and api.json() == {
        "code": "wrong_password",
        "message": "Kata sandi salah.",
        "field": "password",
    }
    world.citizen.refresh_from_db()
    assert world.citizen.is_active and world.citizen.email == EMAIL
    assert Report.objects.filter(reporter=world.citizen).count() == 3
    assert ReporterIdentity.objects.filter(report=history["named"]).exists()


def test_staff_cannot_delete_themselves(world: World) -> None:
    api = bearer(world.verifier).post(
        "/api/v1/me/delete", {"password": "lapor-demo"}, content_type="application/json"
    )
    assert api.status_code == 409 and api.json()["code"] == "staff_account"
    world.verifier.refresh_from_db()
    assert world.verifier.is_active


@pytest.mark.parametrize("surface", ["web", "api"])
def test_delete_account_deidentifies_and_erases(
    world: World, history: dict[str, Report], surface: str, django_capture_on_commit_callbacks: Any
) -> None:
    named, anonymous = history["named"], history["anonymous"]
    files = [Path(default_storage.path(a.file.name)) for a in Attachment.objects.filter(report=named)]
    assert files and all(f.exists() for f in files)
    token_client = bearer(world.citizen)
    web = signed_in(world.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        if surface == "web":
            response = web.post("/akun/data/hapus/", {"password": "lapor-demo", "confirm": "on"})
            assert response.status_code == 302 and response["Location"] == "/"
        else:
            response = token_client.post(
                "/api/v1/me/delete", {"password": "lapor-demo"}, content_type="application/json"
            )
            assert response.status_code == 200 and response.json() == {
                "deleted": True,
                "reports_deidentified": 3,
            }

    user = User.objects.get(pk=world.citizen.pk)
    assert not user.is_active and not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email, user.phone) == ("", "", "", "")
    assert user.username.startswith("dihapus-")
    # Reports stay, as public record, with nothing that leads back to the person.
    for report in (named, anonymous, history["closed"]):
        report.refresh_from_db()
        assert report.reporter_id is None and report.access_code_digest == ""
        assert report.body == BODY and report.events.exists()
    assert not ReporterIdentity.objects.filter(report__in=[named, anonymous, history["closed"]]).exists()
    assert not Attachment.objects.filter(report__in=[named, anonymous]).exists()
    assert not any(f.exists() for f in files)
    assert not TimelineEvent.objects.filter(actor=user).exists()
    for model in (Notification, Preference, Support, AuthToken, OutboxMessage):
        assert not model.objects.filter(user=user).exists(), model
    assert history["theirs"].supports.count() == 0
    # Every way in is closed: the session, the token, the password.
    assert web.get("/akun/data/").status_code == 302
    assert token_client.get("/api/v1/me/data").status_code == 401
    assert Client().login(username="citizen", password="lapor-demo") is False


def test_other_surfaces_show_nothing_of_a_deidentified_reporter(
    world: World, history: dict[str, Report], settings: Any
) -> None:
    settings.LAPOR_RATE_LIMITS = {}
    named = history["named"]
    views = {
        "public page": (Client(), f"/laporan/{named.tracking_id}/"),
        "verifier console": (signed_in(world.verifier), f"/staf/laporan/{named.tracking_id}/"),
        "handler console": (signed_in(world.admin_pemda), f"/staf/laporan/{named.tracking_id}/"),
        "api as verifier": (bearer(world.verifier), f"/api/v1/reports/{named.tracking_id}"),
        "api as handler": (bearer(world.admin_pemda), f"/api/v1/reports/{named.tracking_id}"),
        "public list": (Client(), "/laporan/"),
        "open data": (Client(), "/api/v1/open-data/reports.csv"),
        "open311": (Client(), "/open311/v2/requests.json"),
        "open311 detail": (Client(), f"/open311/v2/requests/{named.tracking_id}.json"),
    }

    def shown(client: Client, url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body.decode()

    before = {label: shown(*where) for label, where in views.items()}
    assert NAME in before["public page"] and EMAIL in before["verifier console"]  # the test can see a leak
    assert NAME in before["api as handler"]

    bearer(world.citizen).post(
        "/api/v1/me/delete", {"password": "lapor-demo"}, content_type="application/json"
    )
    for label, where in views.items():
        text = shown(*where)
        for trace in (NAME, EMAIL, PHONE):
            assert trace not in text, (label, trace)
        assert named.tracking_id in text or label in {"open311", "open data", "public list"}, label
    detail = bearer(world.verifier).get(f"/api/v1/reports/{named.tracking_id}").json()
    assert detail["reporter"] is None and detail["attachments"] == [] and detail["body"] == BODY


def test_a_service_account_cannot_be_deleted(world: World) -> None:
    service_user = apikey_create(agency=world.pemda, name="Integrasi Contoh", permissions=["submit"]).key.user
    service_user.set_password("sandi-layanan-123")
    service_user.save()
    response = bearer(service_user).post(
        "/api/v1/me/delete", {"password": "sandi-layanan-123"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "staff_account"
    service_user.refresh_from_db()
    assert service_user.is_active


def test_signed_in_viewer_of_a_deleted_account_is_public(world: World, history: dict[str, Report]) -> None:
    bearer(world.citizen).post(
        "/api/v1/me/delete", {"password": "lapor-demo"}, content_type="application/json"
    )
    user = User.objects.get(pk=world.citizen.pk)
    viewer = viewer_for(user)
    assert viewer.user is None  # a deactivated account sees only what the public sees
