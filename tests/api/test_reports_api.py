"""/api/v1/reports end to end: filing (JSON, multipart, guest), reading, listing, acting, errors."""

import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from lapor.agencies.access import viewer_for
from lapor.agencies.models import Agency
from lapor.core.errors import NotFound
from lapor.reports import services
from lapor.reports.models import Attachment, Report, Support, TimelineEvent
from lapor.reports.workflow import Status
from tests.api.helpers import assert_error, client_for, post_json
from tests.factories import BODY, World, report_in

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports"


def valid_report(**overrides: object) -> dict[str, object]:
    return {
        "kind": "complaint",
        "title": "Jalan berlubang",
        "body": BODY,
        "region": "34.04",
        "category": "roads_infrastructure",
        **overrides,
    }


def test_citizen_files_a_report_and_reads_it_back(world: World) -> None:
    client = client_for(world.citizen)
    response = post_json(client, REPORTS, valid_report(incident_date="2026-11-01", lat=-7.75, lon=110.3))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["tracking_id"].startswith("LPR-") and created["status"] == "submitted"
    assert created["access_code"] is None  # accounts need no code

    detail = client.get(f"{REPORTS}/{created['tracking_id']}").json()
    assert (
        detail["body"] == BODY
        and detail["region"] == "34.04"
        and detail["category"] == "roads_infrastructure"
    )
    assert (
        detail["reporter"]["name"] == "Siti Aminah Rahasia"
        and detail["reporter"]["email"] == "citizen@contoh.id"
    )
    assert detail["verify_due_at"] and detail["due_at"] == detail["verify_due_at"]
    assert detail["agency"] is None and detail["supporters"] == 0 and detail["escalation_level"] == 0


def test_guest_files_with_contact_and_follows_with_the_access_code(world: World) -> None:
    guest = Client()
    response = post_json(
        guest, REPORTS, valid_report(confidential=True, reporter_name="Budi", reporter_phone="0812 3456 7890")
    )
    assert response.status_code == 201
    tracking_id, code = response.json()["tracking_id"], response.json()["access_code"]
    assert code and len(code) == 10

    # Confidential: without the code it does not exist; with it the guest sees their report
    assert_error(guest.get(f"{REPORTS}/{tracking_id}"), 404, "not_found")
    seen = guest.get(f"{REPORTS}/{tracking_id}", headers={"X-Access-Code": code})
    assert seen.status_code == 200 and seen.json()["reporter"]["phone"] == "0812 3456 7890"
    assert_error(guest.get(f"{REPORTS}/{tracking_id}", headers={"X-Access-Code": "WRONGCODE2"}), 404)


def test_guest_without_contact_is_refused_and_nothing_is_written(world: World) -> None:
    response = post_json(Client(), REPORTS, valid_report(reporter_name="Budi"))
    assert_error(response, 422, "required", "reporter_email")
    assert_error(post_json(Client(), REPORTS, valid_report()), 422, "required", "reporter_name")
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"body": "terlalu pendek"}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"kind": "gossip"}, "kind"),
        ({"region": "99.99"}, "region"),
        ({"category": "astrology"}, "category"),
        ({"target_agency": "nope"}, "target_agency"),
        ({"lat": 95, "lon": 110}, "lat"),
        ({"lat": -7.7}, "lat"),
        ({"incident_date": "2999-01-01"}, "incident_date"),
        ({"incident_date": "kemarin"}, "incident_date"),
        ({"tags": ["a"] * 11}, "tags"),
    ],
)
def test_bad_input_gets_one_error_shape_naming_the_field(world: World, overrides: dict, field: str) -> None:
    response = post_json(client_for(world.citizen), REPORTS, valid_report(**overrides))
    assert_error(response, 422, field=field)
    assert Report.objects.count() == 0


def test_malformed_json_is_a_400(world: World) -> None:
    response = client_for(world.citizen).post(REPORTS, data="{not json", content_type="application/json")
    assert_error(response, 400, "malformed")


def test_invalid_token_is_401_not_a_silent_guest(world: World) -> None:
    client = Client(headers={"Authorization": "Bearer nope"})
    assert_error(client.get(REPORTS), 401, "unauthenticated")


def test_token_endpoint(world: World) -> None:
    good = post_json(Client(), "/api/v1/auth/token", {"username": "citizen", "password": "lapor-demo"})
    assert good.status_code == 200 and good.json()["token"].startswith("lpt_")
    token = good.json()["token"]
    mine = Client(headers={"Authorization": f"Bearer {token}"}).get(REPORTS, {"mine": True})
    assert mine.status_code == 200
    bad = post_json(Client(), "/api/v1/auth/token", {"username": "citizen", "password": "salah"})
    assert_error(bad, 401, "invalid_credentials")


def test_same_external_ref_is_stored_once(world: World) -> None:
    client = client_for(world.citizen)
    first = post_json(client, REPORTS, valid_report(external_ref="app-42"))
    again = post_json(client, REPORTS, valid_report(external_ref="app-42"))
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["tracking_id"] == again.json()["tracking_id"] and again.json()["created"] is False
    assert Report.objects.count() == 1


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "S", 2: (7.0, 45.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_multipart_with_attachments_strips_metadata_and_serves_through_access_check(world: World) -> None:
    client = client_for(world.citizen)
    photo = io.BytesIO(_jpeg_with_gps())
    photo.name = "../../etc/foto rumah saya.jpg"
    data = {**valid_report(tags=None), "attachments": [photo]}
    data.pop("tags", None)
    response = client.post(REPORTS, data=data)
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    stored = attachment.file.read()
    assert b"KameraRahasia" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}
    assert attachment.name == "foto-rumah-saya.jpg" and attachment.content_type == "image/jpeg"

    detail = client.get(f"{REPORTS}/{response.json()['tracking_id']}").json()
    url = detail["attachments"][0]["url"]
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == stored
    assert_error(Client().get(url), 404)  # not verified yet: not public


def test_upload_type_comes_from_content_not_name(world: World) -> None:
    fake = io.BytesIO(b"MZ\x90\x00 this is an executable pretending to be a photo" * 10)
    fake.name = "foto.jpg"
    data = {**valid_report(), "attachments": [fake]}
    data.pop("tags", None)
    assert_error(client_for(world.citizen).post(REPORTS, data=data), 422, "file_type", "attachments")
    assert Report.objects.count() == 0


def test_oversized_upload_is_413(world: World, settings: object) -> None:
    settings.LAPOR_ATTACHMENT_MAX_BYTES = 1000  # type: ignore[attr-defined]
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * 2000)
    big.name = "bukti.pdf"
    data = {**valid_report(), "attachments": [big]}
    data.pop("tags", None)
    assert_error(client_for(world.citizen).post(REPORTS, data=data), 413, "file_too_large")
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


def test_full_life_through_the_api(world: World) -> None:
    citizen, verifier = client_for(world.citizen), client_for(world.verifier)
    admin, officer = client_for(world.admin_pemda), client_for(world.officer_pu)
    tid = post_json(citizen, REPORTS, valid_report()).json()["tracking_id"]

    def act(client: Client, action: str, **params: object) -> dict:
        response = post_json(client, f"{REPORTS}/{tid}/actions/{action}", params)
        assert response.status_code == 200, response.content
        return response.json()

    assert (
        act(verifier, "route", agency="pemda-34.04", message="Diteruskan ke Pemkab Sleman")["status"]
        == "routed"
    )
    assert act(admin, "accept")["status"] == "in_progress"
    assert act(admin, "forward", unit="pemda-34.04/dinas-pu")["unit"] == "pemda-34.04/dinas-pu"
    assert act(officer, "respond", message="Lubang sudah ditambal pada 20 November.")["status"] == "responded"
    assert (
        act(citizen, "reply", message="Masih ada satu lubang lagi di sebelahnya.")["status"] == "in_progress"
    )
    assert act(officer, "respond", message="Lubang kedua juga sudah ditambal.")["status"] == "responded"
    closed = act(citizen, "confirm", rating=5, comment="Cepat, terima kasih")
    assert closed["status"] == "closed" and closed["rating"] == 5

    timeline = Client().get(f"{REPORTS}/{tid}/timeline").json()
    assert [e["action"] for e in timeline] == [
        "submit",
        "route",
        "accept",
        "forward",
        "respond",
        "reply",
        "respond",
        "confirm",
    ]
    assert all(e["actor"] is None and e["note"] is None for e in timeline)
    staff_timeline = verifier.get(f"{REPORTS}/{tid}/timeline").json()
    assert staff_timeline[1]["actor"] == "verifier" and staff_timeline[1]["note"] == ""


def test_action_errors(world: World) -> None:
    report = report_in(world, Status.ROUTED)
    url = f"{REPORTS}/{report.tracking_id}/actions"
    admin, other_admin = client_for(world.admin_pemda), client_for(world.admin_pln)
    events = TimelineEvent.objects.filter(report=report).count()

    assert_error(post_json(admin, f"{url}/confirm", {"rating": 5}), 409, "invalid_transition")
    assert_error(post_json(client_for(world.citizen), f"{url}/accept", {}), 403, "forbidden_action")
    assert_error(post_json(other_admin, f"{url}/accept", {}), 403)  # public report, not their agency
    assert_error(post_json(admin, f"{url}/decline", {}), 422, "required", "reason")
    assert_error(post_json(admin, f"{url}/decline", {"reason": "malas"}), 422, "invalid_choice", "reason")
    assert_error(post_json(admin, f"{url}/forward", {"unit": "pemda-34.04/dinas-pu"}), 409)
    assert_error(post_json(admin, f"{url}/teleport", {}), 422)
    assert_error(post_json(client_for(world.verifier), f"{url}/escalate", {}), 403)
    assert TimelineEvent.objects.filter(report=report).count() == events
    report.refresh_from_db()
    assert report.status == Status.ROUTED


def test_decline_twice_flags_and_returns_to_the_verifiers(world: World) -> None:
    report = report_in(world, Status.ROUTED)
    verifier, admin = client_for(world.verifier), client_for(world.admin_pemda)
    url = f"{REPORTS}/{report.tracking_id}/actions"
    first = post_json(
        admin, f"{url}/decline", {"reason": "wrong_level", "message": "Kewenangan provinsi"}
    ).json()
    assert first["status"] == "submitted" and first["agency"] is None
    post_json(verifier, f"{url}/route", {"agency": "pemda-34.04"})
    second = post_json(admin, f"{url}/decline", {"reason": "not_authority"})
    assert second.status_code == 200
    assert verifier.get(f"{REPORTS}/{report.tracking_id}").json()["flagged"] is True


def test_support_once_per_person(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    url = f"{REPORTS}/{report.tracking_id}/support"
    other = client_for(world.other_citizen)
    assert post_json(other, url, {}).json() == {"supporters": 1, "supported": True, "created": True}
    assert post_json(other, url, {}).json() == {"supporters": 1, "supported": True, "created": False}
    assert_error(post_json(client_for(world.citizen), url, {}), 409, "own_report")
    assert_error(post_json(Client(), url, {}), 401)


def test_support_is_judged_on_the_report_as_it_is_now(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)  # loaded while public
    Report.objects.filter(pk=report.pk).update(confidential=True)  # then made confidential
    with pytest.raises(NotFound):
        services.report_support(report=report, actor=viewer_for(world.other_citizen))
    assert not Support.objects.filter(report=report).exists()
    assert Report.objects.get(pk=report.pk).supporters_count == 0


def test_merge_moves_supporters(world: World) -> None:
    original = report_in(world, Status.IN_PROGRESS)
    duplicate = report_in(world, Status.SUBMITTED)
    response = post_json(
        client_for(world.verifier),
        f"{REPORTS}/{duplicate.tracking_id}/actions/merge",
        {"duplicate_of": original.tracking_id},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "archived" and response.json()["duplicate_of"] == original.tracking_id
    original.refresh_from_db()
    # Both are the same citizen's: a reporter never becomes a supporter of their own report
    assert original.supporters_count == 0


def test_list_filters_and_pagination(world: World) -> None:
    for _ in range(3):
        report_in(world, Status.IN_PROGRESS)
    report_in(world, Status.SUBMITTED)
    public = Client().get(REPORTS, {"page_size": 2}).json()
    assert public["count"] == 3 and public["pages"] == 2 and len(public["items"]) == 2
    assert Client().get(REPORTS, {"status": "submitted"}).json()["count"] == 0
    verifier = client_for(world.verifier)
    assert verifier.get(REPORTS, {"status": "submitted"}).json()["count"] == 1
    assert verifier.get(REPORTS, {"region": "34"}).json()["count"] == 4
    assert verifier.get(REPORTS, {"q": "godean pasar"}).json()["count"] == 4
    assert verifier.get(REPORTS, {"q": "tidakadakatainidisana"}).json()["count"] == 0
    assert verifier.get(REPORTS, {"agency": "pemda-34.04"}).json()["count"] == 3
    assert_error(verifier.get(REPORTS, {"status": "lost"}), 422, field="status")
    assert_error(verifier.get(REPORTS, {"page_size": 1000}), 422, field="page_size")


def test_list_filter_codes_are_resolved_before_the_reports_are_read(world: World) -> None:
    """An unknown code lists nothing without reading a report row (a join on the code once made
    PostgreSQL walk every report newest first, 6 s at 10M, looking for a match); a known one filters by
    id, and an agency that no longer takes reports keeps its list."""
    report = report_in(world, Status.IN_PROGRESS)
    verifier = client_for(world.verifier)
    for params in ({"category": "tidak-ada", "q": "pasar"}, {"agency": "tidak-ada"}):
        with CaptureQueriesContext(connection) as queries:
            page = verifier.get(REPORTS, params).json()
        assert page["count"] == 0 and page["items"] == []
        assert not [q for q in queries.captured_queries if "reports_report" in q["sql"]]
    category = report.category.code
    assert verifier.get(REPORTS, {"category": category}).json()["count"] == 1
    Agency.objects.filter(pk=report.agency_id).update(active=False)
    listed = verifier.get(REPORTS, {"agency": report.agency.code, "category": category}).json()
    assert [item["tracking_id"] for item in listed["items"]] == [report.tracking_id]


def test_openapi_is_served(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/reports/{tracking_id}/actions/{action}" in schema["paths"]


@pytest.mark.parametrize(
    "body", [b"z\xdeK", b"{not json", b"[1, 2]"], ids=["not-utf8", "not-json", "not-an-object"]
)
def test_a_filing_body_that_is_not_a_json_object_is_refused_in_the_error_shape(db: None, body: bytes) -> None:
    response = Client().post(REPORTS, body, content_type="application/json")
    assert_error(response, 400, "malformed")
    assert not Report.objects.exists()


def test_every_reference_in_the_openapi_document_resolves(db: None) -> None:
    """A client generator stops at the first `$ref` that names no component (the filing's own body,
    parsed by the operation itself, once did)."""
    schema = Client().get("/api/v1/openapi.json").json()
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(schema)))
    assert "ReportIn" in refs and refs <= set(schema["components"]["schemas"])
    filing = schema["components"]["schemas"]["ReportIn"]
    assert {"body", "region", "reporter_email", "external_ref"} <= set(filing["properties"])


def test_health_and_readiness(db: None) -> None:
    assert Client().get("/healthz").json() == {"status": "ok"}
    assert Client().get("/readyz").json() == {"status": "ok"}


def test_unknown_api_path_answers_in_the_error_shape(db: None) -> None:
    assert_error(Client().get("/api/v1/tidak-ada"), 404, "not_found")


def test_extend_through_the_api(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    url = f"{REPORTS}/{report.tracking_id}/actions/extend"
    admin = client_for(world.admin_pemda)
    before = admin.get(f"{REPORTS}/{report.tracking_id}").json()["resolution_due_at"]
    response = post_json(admin, url, {"working_days": 10, "message": "Menunggu pengadaan material."})
    assert response.status_code == 200 and response.json()["resolution_due_at"] > before
    assert_error(
        post_json(admin, url, {"working_days": 10, "message": "Sekali lagi mohon."}), 409, "extension_used"
    )
    assert_error(post_json(client_for(world.citizen), url, {"working_days": 3, "message": "x" * 20}), 403)


# Every action of the workflow table through the API: (status it starts from, who, parameters, status after)
API_ACTIONS = {
    "route": (Status.SUBMITTED, "verifier", {"agency": "pemda-34.04"}, "routed"),
    "hold": (Status.SUBMITTED, "verifier", {"message": "Mohon sertakan foto lokasi."}, "on_hold"),
    "provide_info": (Status.ON_HOLD, "citizen", {"message": "Foto sudah saya lampirkan."}, "submitted"),
    "archive": (Status.SUBMITTED, "verifier", {"reason": "not_public_service"}, "archived"),
    "merge": (Status.SUBMITTED, "verifier", {"duplicate_of": "<other>"}, "archived"),
    "accept": (Status.ROUTED, "admin_pemda", {}, "in_progress"),
    "forward": (Status.IN_PROGRESS, "admin_pemda", {"unit": "pemda-34.04/dinas-sosial"}, "in_progress"),
    "decline": (Status.ROUTED, "admin_pemda", {"reason": "wrong_unit"}, "submitted"),
    "respond": (Status.IN_PROGRESS, "officer_pu", {"message": "Sudah kami tindak lanjuti."}, "responded"),
    "reply": (Status.RESPONDED, "citizen", {"message": "Belum beres, masih bocor."}, "in_progress"),
    "confirm": (Status.RESPONDED, "citizen", {"rating": 4, "comment": "Baik"}, "closed"),
    "reopen": (Status.CLOSED, "citizen", {"message": "Rusak lagi setelah hujan."}, "in_progress"),
    "extend": (
        Status.IN_PROGRESS,
        "admin_pemda",
        {"working_days": 5, "message": "Menunggu anggaran."},
        "in_progress",
    ),
    "auto_close": (Status.RESPONDED, "verifier", {}, 403),  # the system's, never a person's
    "escalate": (Status.IN_PROGRESS, "verifier", {}, 403),
}


def test_the_table_is_reachable_through_the_api() -> None:
    from lapor.reports.workflow import Action

    assert set(API_ACTIONS) == set(Action.values)


@pytest.mark.parametrize("action", sorted(API_ACTIONS))
def test_every_action_through_the_api(world: World, action: str) -> None:
    status, who, params, expected = API_ACTIONS[action]
    report = report_in(world, status)
    if params.get("duplicate_of") == "<other>":
        params = {"duplicate_of": report_in(world, Status.IN_PROGRESS).tracking_id}
    response = post_json(
        client_for(getattr(world, who)), f"{REPORTS}/{report.tracking_id}/actions/{action}", params
    )
    if isinstance(expected, int):
        assert_error(response, expected)
    else:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == expected
