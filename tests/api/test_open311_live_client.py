"""An independent GeoReport client (the `requests` library, form-encoded exactly as FixMyStreet's
Open311 client posts) files a report against a live server, resolves its token and reads it back."""

import xml.etree.ElementTree as ET
from typing import Any

import pytest
import requests

from lapor.channels.apikeys import apikey_create
from lapor.reports import services
from lapor.reports.models import Report
from tests.factories import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_georeport_client_files_and_reads(live_server: Any, world: World) -> None:
    issued = apikey_create(agency=world.pemda, name="Klien GeoReport", permissions=["submit"])
    base = f"{live_server.url}/open311/v2"
    session = requests.Session()

    services_xml = session.get(f"{base}/services.xml", timeout=10)
    assert services_xml.status_code == 200 and services_xml.headers["Content-Type"].startswith("text/xml")
    codes = [s.findtext("service_code") for s in ET.fromstring(services_xml.content).findall("service")]
    assert "roads_infrastructure" in codes
    definition = session.get(f"{base}/services/roads_infrastructure.json", timeout=10).json()
    assert any(a["code"] == "road_status" for a in definition["attributes"])

    posted = session.post(
        f"{base}/requests.xml",
        data={
            "api_key": issued.raw,
            "jurisdiction_id": "lapor.go.id",
            "service_code": "roads_infrastructure",
            "lat": "-7.7520",
            "long": "110.3640",
            "email": "warga@contoh.id",
            "first_name": "Budi",
            "last_name": "Santoso",
            "phone": "081299990000",
            "description": "Jalan Godean km 5 berlubang dalam dan tergenang air saat hujan.",
            "attribute[road_status]": "province",
        },
        headers={"Idempotency-Key": "fms-report-1001"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    node = ET.fromstring(posted.content).find("request")
    assert node is not None
    request_id, token = node.findtext("service_request_id"), node.findtext("token")
    assert request_id and token

    retried = session.post(
        f"{base}/requests.xml",
        data={
            "api_key": issued.raw,
            "jurisdiction_id": "lapor.go.id",
            "service_code": "roads_infrastructure",
            "lat": "-7.7520",
            "long": "110.3640",
            "email": "warga@contoh.id",
            "first_name": "Budi",
            "last_name": "Santoso",
            "phone": "081299990000",
            "description": "Jalan Godean km 5 berlubang dalam dan tergenang air saat hujan.",
            "attribute[road_status]": "province",
        },
        headers={"Idempotency-Key": "fms-report-1001"},
        timeout=10,
    )
    assert retried.content == posted.content and retried.headers["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1

    resolved = session.get(f"{base}/tokens/{token}.json", timeout=10).json()
    assert resolved == [{"service_request_id": request_id, "token": token}]

    report = Report.objects.get(tracking_id=request_id)
    services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"), message="Ke PU")
    one = session.get(f"{base}/requests/{request_id}.json", timeout=10).json()
    assert one[0]["service_request_id"] == request_id and one[0]["status"] == "open"
    assert one[0]["agency_responsible"] == "Pemerintah Kabupaten Sleman"
    assert "Budi" not in str(one) and "warga@contoh.id" not in str(one)
    listing = session.get(f"{base}/requests.xml", params={"status": "open"}, timeout=10)
    assert request_id in listing.text

    refused = session.post(f"{base}/requests.json", data={"service_code": "roads_infrastructure"}, timeout=10)
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
