"""Open311 GeoReport v2 conformance: every endpoint in both formats, the spec's field names and
types, the status mapping, the error list with 400/403/404, the default limits and paging, tokens,
servicerequestupdates, and privacy (no confidential report, no reporter contact, for every role a
key can hold)."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lapor.channels.apikeys import Issued, apikey_create, apikey_revoke
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.factories import REPORTER_NAME, World, report_in, submit

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
DESCRIPTION = "Lampu penerangan jalan di Jalan Kaliurang km 7 mati sejak seminggu, rawan kecelakaan."


def xml_of(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    text = response.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def assert_errors(response: Any, status: int, fmt: str) -> None:
    assert response.status_code == status, response.content
    if fmt == "json":
        body = response.json()
        assert isinstance(body, list) and body
        assert all(
            set(e) == {"code", "description"} and e["code"] == status and e["description"] for e in body
        )
    else:
        root = xml_of(response)
        assert root.tag == "errors"
        errors = root.findall("error")
        assert errors and all(e.findtext("code") == str(status) and e.findtext("description") for e in errors)


def post(client: Client, fmt: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data, **extra)  # form-encoded, as the spec says


def form(issued: Issued, **fields: Any) -> dict[str, Any]:
    return {
        "api_key": issued.raw,
        "service_code": "roads_infrastructure",
        "lat": "-7.7500",
        "long": "110.3800",
        "description": DESCRIPTION,
        **fields,
    }


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def key(world: World) -> Issued:
    return apikey_create(agency=world.pemda, name="Aplikasi Sleman", permissions=["submit"])


# --- discovery and services ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery(client: Client, world: World, fmt: str) -> None:
    response = client.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = response.json()
        endpoint = body["endpoints"][0]
        assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    else:
        root = xml_of(response)
        assert root.tag == "discovery"
        node = root.find("endpoints/endpoint")
        assert node is not None
        endpoint = {
            "specification": node.findtext("specification"),
            "url": node.findtext("url"),
            "type": node.findtext("type"),
            "formats": [f.text for f in node.findall("formats/format")],
            "changeset": node.findtext("changeset"),
        }
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert W3C.match(endpoint["changeset"])


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_services_one_per_category(client: Client, world: World, fmt: str) -> None:
    response = client.get(f"{BASE}/services.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        services_ = response.json()
    else:
        root = xml_of(response)
        assert root.tag == "services"
        services_ = [{child.tag: child.text for child in s} for s in root.findall("service")]
        for s in services_:
            s["metadata"] = s["metadata"] == "true"
    assert {s["service_code"] for s in services_} == {"roads_infrastructure", "social_aid"}
    for s in services_:
        assert set(s) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
        assert s["metadata"] is True and s["type"] == "realtime"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition(client: Client, world: World, fmt: str) -> None:
    response = client.get(f"{BASE}/services/social_aid.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = response.json()
        attributes = body["attributes"]
    else:
        root = xml_of(response)
        assert root.tag == "service_definition"
        body = {"service_code": root.findtext("service_code")}
        attributes = []
        for node in root.findall("attributes/attribute"):
            item: dict[str, Any] = {c.tag: c.text or "" for c in node if c.tag != "values"}
            item["variable"], item["required"] = item["variable"] == "true", item["required"] == "true"
            item["order"] = int(item["order"])
            values = [
                {"key": v.findtext("key"), "name": v.findtext("name")} for v in node.findall("values/value")
            ]
            if values:
                item["values"] = values
            attributes.append(item)
    assert body["service_code"] == "social_aid"
    required_keys = {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
    }
    for attribute in attributes:
        assert required_keys <= set(attribute)
        assert attribute["datatype"] in {
            "string",
            "number",
            "datetime",
            "text",
            "singlevaluelist",
            "multivaluelist",
        }
        assert ("values" in attribute) == attribute["datatype"].endswith("valuelist")
    assert [a["order"] for a in attributes] == list(range(1, len(attributes) + 1))
    program = next(a for a in attributes if a["code"] == "program")
    assert (
        program["required"] is True
        and {"key": "pkh", "name": "Program Keluarga Harapan"} in program["values"]
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_definition_is_404(client: Client, world: World, fmt: str) -> None:
    assert_errors(client.get(f"{BASE}/services/no_such_thing.{fmt}"), 404, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_jurisdiction(client: Client, world: World, fmt: str) -> None:
    assert client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "lapor.go.id"}).status_code == 200
    assert_errors(client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "chicago.gov"}), 404, fmt)


def test_unknown_format_and_path_are_404(client: Client, world: World) -> None:
    assert_errors(client.get(f"{BASE}/services.yaml"), 404, "xml")
    assert_errors(client.get(f"{BASE}/nothing.json"), 404, "json")


# --- POST requests --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_request_creates_a_report(client: Client, world: World, key: Issued, fmt: str) -> None:
    response = post(client, fmt, form(key, email="warga@contoh.id", first_name="Budi", last_name="Santoso"))
    assert response.status_code == 201, response.content
    if fmt == "json":
        (created,) = response.json()
    else:
        root = xml_of(response)
        assert root.tag == "service_requests"
        (node,) = root.findall("request")
        created = {c.tag: c.text for c in node}
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    report = Report.objects.get(tracking_id=created["service_request_id"])
    assert report.channel == "open311" and report.status == Status.SUBMITTED
    assert report.category is not None and report.category.code == "roads_infrastructure"
    assert (report.lat, report.lon) == (-7.75, 110.38)
    assert report.identity.name == "Budi Santoso" and report.identity.email == "warga@contoh.id"
    assert not report.anonymous


def test_post_with_attributes_and_anonymous_contact(client: Client, world: World, key: Issued) -> None:
    data = form(
        key,
        service_code="social_aid",
        **{
            "attribute[program]": "pkh",
            "attribute[title]": "PKH tidak cair",
            "attribute[region]": "34.04",
            "attribute[kind]": "complaint",
            "attribute[confidential]": "true",
        },
    )
    data.pop("lat"), data.pop("long")
    data["address_string"] = "Dusun Krapyak, Sleman, DIY"
    response = post(client, "json", data)
    assert response.status_code == 201, response.content
    report = Report.objects.get(tracking_id=response.json()[0]["service_request_id"])
    assert report.title == "PKH tidak cair" and report.region_id == "34.04" and report.confidential
    assert "Program Keluarga Harapan" in report.body and report.address == "Dusun Krapyak, Sleman, DIY"
    assert report.anonymous  # no name, no e-mail, no phone: anonymous contact is allowed


def test_multivaluelist_attribute(client: Client, world: World, key: Issued) -> None:
    from lapor.agencies.models import Category

    Category.objects.create(
        code="civil_registry", name="Administrasi Kependudukan", name_en="Civil", resolution_days=5
    )
    data = form(key, service_code="civil_registry")
    response = client.post(f"{BASE}/requests.json", {**data, "attribute[documents][]": ["ktp", "kk"]})
    assert response.status_code == 201, response.content
    report = Report.objects.get(tracking_id=response.json()[0]["service_request_id"])
    assert "KTP-el, Kartu Keluarga" in report.body


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "change",
    [
        {"api_key": ""},
        {"api_key": "lpk_abcdefgh_notarealkeynotarealkeynotareal"},
    ],
)
def test_post_without_valid_key_is_403(
    client: Client, world: World, key: Issued, fmt: str, change: dict
) -> None:
    assert_errors(post(client, fmt, {**form(key), **change}), 403, fmt)
    assert not Report.objects.exists()


def test_revoked_key_and_key_without_submit_are_403(client: Client, world: World, key: Issued) -> None:
    reader = apikey_create(agency=world.pemda, name="Dasbor", permissions=["read"])
    assert_errors(post(client, "json", form(reader)), 403, "json")
    apikey_revoke(key=key.key)
    assert_errors(post(client, "xml", form(key)), 403, "xml")


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "change",
    [
        {"service_code": ""},
        {"service_code": "unknown_code"},
        {"lat": "", "long": ""},  # no location at all
        {"lat": "utara"},
        {"long": ""},
        {"description": ""},
        {"description": "pendek"},
        {"description": "x" * 4001},
        {"email": "bukan-surel"},
        {"service_code": "social_aid"},  # required attribute[program] missing
        {"service_code": "social_aid", "attribute[program]": "xyz"},
        {"attribute[incident_date]": "kemarin"},
        {"jurisdiction_id": ""},
    ],
)
def test_invalid_requests_are_400(client: Client, world: World, key: Issued, fmt: str, change: dict) -> None:
    data = {k: v for k, v in {**form(key), **change}.items() if v != "" or k in {"lat", "long", "api_key"}}
    if change == {"jurisdiction_id": ""}:
        data = {**form(key), "service_code": "roads_infrastructure", "attribute[kind]": "nonsense"}
    assert_errors(post(client, fmt, data), 400, fmt)
    assert not Report.objects.exists()


def test_post_with_unknown_jurisdiction_is_404(client: Client, world: World, key: Issued) -> None:
    assert_errors(post(client, "json", form(key, jurisdiction_id="other.city")), 404, "json")


# --- GET requests, one request, tokens ------------------------------------------------------------


def _as_dicts(response: Any, fmt: str) -> list[dict[str, Any]]:
    if fmt == "json":
        body = response.json()
        assert isinstance(body, list)
        return body
    root = xml_of(response)
    assert root.tag == "service_requests"
    return [{child.tag: child.text or "" for child in node} for node in root.findall("request")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_requests_fields_and_status_mapping(client: Client, world: World, fmt: str) -> None:
    routed = report_in(world, Status.ROUTED)
    closed = report_in(world, Status.CLOSED)
    report_in(world, Status.SUBMITTED)  # not verified: not public
    report_in(world, Status.ARCHIVED)  # archived: not public
    report_in(world, Status.IN_PROGRESS, confidential=True)  # confidential: never
    rows = _as_dicts(client.get(f"{BASE}/requests.{fmt}"), fmt)
    assert {r["service_request_id"] for r in rows} == {routed.tracking_id, closed.tracking_id}
    by_id = {r["service_request_id"]: r for r in rows}
    for row in rows:
        assert list(row) == REQUEST_FIELDS
        assert W3C.match(row["requested_datetime"]) and W3C.match(row["updated_datetime"])
    assert by_id[routed.tracking_id]["status"] == "open"
    assert by_id[closed.tracking_id]["status"] == "closed"
    assert by_id[routed.tracking_id]["agency_responsible"] == "Pemerintah Kabupaten Sleman"
    assert by_id[closed.tracking_id]["status_notes"] == "Terima kasih"  # the latest public message
    assert by_id[routed.tracking_id]["service_code"] == "roads_infrastructure"


def test_json_types(client: Client, world: World) -> None:
    report = report_in(world, Status.ROUTED)
    Report.objects.filter(pk=report.pk).update(lat=-7.7, lon=110.4)
    (row,) = client.get(f"{BASE}/requests.json").json()
    assert isinstance(row["lat"], float) and isinstance(row["long"], float)
    assert isinstance(row["service_request_id"], str)


def test_get_requests_filters(client: Client, world: World) -> None:
    routed = report_in(world, Status.ROUTED)
    closed = report_in(world, Status.CLOSED)

    def ids(**params: str) -> set[str]:
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert ids(status="open") == {routed.tracking_id}
    assert ids(status="closed") == {closed.tracking_id}
    assert ids(status="open,closed") == {routed.tracking_id, closed.tracking_id}
    assert ids(service_code="social_aid") == set()
    assert ids(service_code="social_aid,roads_infrastructure") == {routed.tracking_id, closed.tracking_id}
    # service_request_id overrides every other filter
    assert ids(service_request_id=closed.tracking_id, status="open") == {closed.tracking_id}
    now = timezone.localtime()
    assert ids(start_date=(now - timedelta(days=1)).isoformat(timespec="seconds")) == {
        routed.tracking_id,
        closed.tracking_id,
    }
    assert ids(end_date=(now - timedelta(days=1)).isoformat(timespec="seconds")) == set()
    # the default window is the last 90 days
    Report.objects.filter(pk=routed.pk).update(created_at=timezone.now() - timedelta(days=120))
    assert ids() == {closed.tracking_id}
    old = timezone.now() - timedelta(days=125)
    assert ids(start_date=old.strftime("%Y-%m-%dT%H:%M:%SZ")) == {routed.tracking_id}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "2026-01-01"},
        {"end_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},  # over 90 days
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"page": "0"},
        {"page_size": "5000"},
    ],
)
def test_get_requests_bad_filters_are_400(client: Client, world: World, params: dict) -> None:
    assert_errors(client.get(f"{BASE}/requests.json", params), 400, "json")
    assert_errors(client.get(f"{BASE}/requests.xml", params), 400, "xml")


def test_paging(client: Client, world: World) -> None:
    made = [report_in(world, Status.ROUTED).tracking_id for _ in range(5)]
    first = client.get(f"{BASE}/requests.json", {"page_size": "2"})
    assert first["X-Total-Count"] == "5" and 'rel="next"' in first["Link"]
    seen = [r["service_request_id"] for r in first.json()]
    for page in (2, 3):
        response = client.get(f"{BASE}/requests.json", {"page_size": "2", "page": str(page)})
        seen += [r["service_request_id"] for r in response.json()]
    assert "Link" not in response
    assert sorted(seen) == sorted(made) and len(seen) == 5


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_one_request_and_404(client: Client, world: World, fmt: str) -> None:
    report = report_in(world, Status.RESPONDED)
    rows = _as_dicts(client.get(f"{BASE}/requests/{report.tracking_id}.{fmt}"), fmt)
    assert [r["service_request_id"] for r in rows] == [report.tracking_id]  # a list of one
    assert rows[0]["status_notes"] == "Perbaikan dijadwalkan minggu depan oleh Dinas PU."
    assert_errors(client.get(f"{BASE}/requests/LPR-22222222.{fmt}"), 404, fmt)
    hidden = report_in(world, Status.ROUTED, confidential=True)
    assert_errors(client.get(f"{BASE}/requests/{hidden.tracking_id}.{fmt}"), 404, fmt)
    pending = report_in(world, Status.SUBMITTED)
    assert_errors(client.get(f"{BASE}/requests/{pending.tracking_id}.{fmt}"), 404, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_tokens(client: Client, world: World, key: Issued, fmt: str) -> None:
    created = post(client, "json", form(key)).json()[0]
    rows = _as_dicts(client.get(f"{BASE}/tokens/{created['token']}.{fmt}"), fmt)
    assert rows == [{"service_request_id": created["service_request_id"], "token": created["token"]}]
    assert_errors(client.get(f"{BASE}/tokens/unknown-token.{fmt}"), 404, fmt)


def test_the_filing_key_reads_its_own_pending_request(client: Client, world: World, key: Issued) -> None:
    created = post(client, "json", form(key)).json()[0]
    url = f"{BASE}/requests/{created['service_request_id']}.json"
    assert client.get(url).status_code == 404  # not verified yet: not public
    assert client.get(url, {"api_key": key.raw}).json()[0]["status"] == "open"
    assert_errors(client.get(url, {"api_key": "lpk_zzzzzzzz_wrongwrongwrongwrongwrong"}), 403, "json")


# --- servicerequestupdates ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_updates(client: Client, world: World, fmt: str) -> None:
    report = report_in(world, Status.RESPONDED)
    report_in(world, Status.RESPONDED, confidential=True)
    response = client.get(f"{BASE}/servicerequestupdates.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        updates = response.json()
    else:
        root = xml_of(response)
        assert root.tag == "service_request_updates"
        updates = [{c.tag: c.text or "" for c in node} for node in root.findall("request_update")]
    assert {u["service_request_id"] for u in updates} == {report.tracking_id}
    for update in updates:
        assert set(update) == {
            "update_id",
            "service_request_id",
            "status",
            "updated_datetime",
            "description",
            "media_url",
            "external_status_code",
        }
        assert update["status"] == "open"
    assert any(u["description"] == "Perbaikan dijadwalkan minggu depan oleh Dinas PU." for u in updates)
    assert_errors(client.get(f"{BASE}/servicerequestupdates.{fmt}", {"start_date": "bad"}), 400, fmt)


def test_post_update_as_the_filing_system_and_as_the_agency(
    client: Client, world: World, key: Issued
) -> None:
    created = post(client, "json", form(key)).json()[0]
    report = Report.objects.get(tracking_id=created["service_request_id"])
    services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    agency_key = apikey_create(agency=world.pemda, name="SIMPEL Sleman", permissions=["act"])
    answer = {
        "api_key": agency_key.raw,
        "service_request_id": report.tracking_id,
        "description": "Lampu sudah diganti oleh petugas.",
        "status": "CLOSED",
        "update_id_ext": "simpel-77",
    }
    response = client.post(f"{BASE}/servicerequestupdates.xml", answer)
    assert response.status_code == 201, response.content
    assert xml_of(response).find("request_update/update_id") is not None
    report.refresh_from_db()
    assert report.status == Status.RESPONDED
    again = client.post(f"{BASE}/servicerequestupdates.json", answer)  # the same update_id_ext
    assert again.status_code == 201 and report.events.filter(action="respond").count() == 1
    reply = {
        "api_key": key.raw,
        "service_request_id": report.tracking_id,
        "description": "Masih mati di tiang nomor 12.",
    }
    assert client.post(f"{BASE}/servicerequestupdates.json", reply).status_code == 201
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert_errors(client.post(f"{BASE}/servicerequestupdates.json", {**reply, "api_key": ""}), 403, "json")
    assert_errors(
        client.post(f"{BASE}/servicerequestupdates.json", {**reply, "service_request_id": "LPR-22222222"}),
        404,
        "json",
    )
    assert_errors(
        client.post(f"{BASE}/servicerequestupdates.json", {**reply, "description": ""}), 400, "json"
    )


# --- privacy for every role a key can hold -----------------------------------------------------------


@pytest.mark.parametrize("permissions", [[], ["submit"], ["read"], ["act"], ["read", "act", "submit"]])
@pytest.mark.parametrize("agency", ["pemda", "ombudsman"])
def test_no_confidential_report_and_no_contact_for_any_key(
    client: Client, world: World, permissions: list[str], agency: str
) -> None:
    issued = apikey_create(
        agency=getattr(world, agency), name="Kunci uji", permissions=permissions or ["sms"]
    )
    named = report_in(world, Status.IN_PROGRESS)
    anonymous = report_in(world, Status.IN_PROGRESS, anonymous=True)
    secret = report_in(world, Status.IN_PROGRESS, confidential=True)
    guest = submit(world, guest=True).report
    services.report_route(report=guest, agency=world.pemda, actor=world.viewer("verifier"))
    for fmt in ("json", "xml"):
        params = {"api_key": issued.raw}
        listing = client.get(f"{BASE}/requests.{fmt}", params)
        one = client.get(f"{BASE}/requests/{named.tracking_id}.{fmt}", params)
        updates = client.get(f"{BASE}/servicerequestupdates.{fmt}", params)
        for response in (listing, one, updates):
            text = response.content.decode()
            assert response.status_code == 200
            for leak in (REPORTER_NAME, "Siti Rahayu", "citizen@contoh.id", "siti@contoh.id", "081234567890"):
                assert leak not in text
            assert secret.tracking_id not in text
        assert anonymous.tracking_id in listing.content.decode()
        assert_errors(client.get(f"{BASE}/requests/{secret.tracking_id}.{fmt}", params), 404, fmt)


def test_key_secrets_are_stored_hashed(world: World, key: Issued) -> None:
    from lapor.channels.models import ApiKey

    row = ApiKey.objects.get(pk=key.key.pk)
    assert key.raw not in json.dumps(list(ApiKey.objects.values()), default=str)
    assert row.digest != key.raw and len(row.digest) == 64
