"""POST /api/v1/routing/suggest (staff) and POST /api/v1/reports/similar (anyone)."""

import pytest

from lapor.reports.workflow import Status
from tests.api.helpers import assert_error, client_for, post_json
from tests.factories import REPORTER_NAME, World, report_in

pytestmark = pytest.mark.django_db

SUGGEST = "/api/v1/routing/suggest"
SIMILAR = "/api/v1/reports/similar"
BANSOS = {
    "title": "Bansos belum cair",
    "body": "Bantuan PKH ibu saya sudah 4 bulan belum cair padahal terdaftar di DTKS",
}


@pytest.mark.parametrize("who", ["verifier", "admin_pln"])
def test_staff_get_three_suggestions(routed_world: World, who: str) -> None:
    response = post_json(client_for(getattr(routed_world, who)), SUGGEST, {**BANSOS, "region": "34.04"})
    assert response.status_code == 200, response.content
    suggestions = response.json()["suggestions"]
    assert [s["agency_code"] for s in suggestions] == ["pemda-34.04", "pemda-34", "kemensos"]
    assert set(suggestions[0]) == {"agency_code", "agency_name", "unit_code", "confidence", "reason"}
    assert suggestions[0]["unit_code"] == "pemda-34.04/dinas-sosial"
    assert "kategori social_aid" in suggestions[0]["reason"]


@pytest.mark.parametrize("who", ["citizen", "officer_pu", "supervisor"])
def test_others_are_forbidden(routed_world: World, who: str) -> None:
    assert_error(post_json(client_for(getattr(routed_world, who)), SUGGEST, BANSOS), 403, "forbidden")


def test_anonymous_callers_must_sign_in(routed_world: World) -> None:
    assert_error(post_json(client_for(None), SUGGEST, BANSOS), 401, "unauthenticated")


def test_suggest_validates_its_input(routed_world: World) -> None:
    client = client_for(routed_world.verifier)
    assert_error(post_json(client, SUGGEST, {"title": "x"}), 422, "invalid", "body")
    assert_error(post_json(client, SUGGEST, {"title": "", "body": "   "}), 422, "required", "body")
    assert_error(post_json(client, SUGGEST, {**BANSOS, "region": "99.99"}), 422, "unknown_region", "region")
    assert_error(
        post_json(client, SUGGEST, {**BANSOS, "category": "nope"}), 422, "unknown_category", "category"
    )
    assert_error(post_json(client, SUGGEST, {**BANSOS, "body": "x" * 10_001}), 422, "invalid", "body")
    assert_error(client.post(SUGGEST, data="{nope", content_type="application/json"), 400)


def test_similar_is_open_to_anyone_and_shows_only_public_reports(world: World) -> None:
    public = report_in(world, Status.ROUTED, anonymous=True)
    secret = report_in(world, Status.ROUTED, confidential=True)
    fresh = report_in(world, Status.SUBMITTED)
    body = {
        "title": "Jalan Godean berlubang",
        "body": "Jalan depan pasar Godean berlubang besar, pengendara jatuh",
        "region": "34.04",
    }
    response = post_json(client_for(None), SIMILAR, body)
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [i["tracking_id"] for i in items] == [public.tracking_id]
    assert set(items[0]) == {"tracking_id", "title", "status", "score", "supporters"}
    text = response.content.decode()
    assert secret.tracking_id not in text and fresh.tracking_id not in text
    assert REPORTER_NAME not in text and "citizen@contoh.id" not in text
    # the verifier also sees the unverified one, but never the confidential one
    staff = post_json(client_for(world.verifier), SIMILAR, body).json()["items"]
    assert {i["tracking_id"] for i in staff} == {public.tracking_id, fresh.tracking_id}


def test_similar_validates_its_input(world: World) -> None:
    client = client_for(None)
    assert_error(post_json(client, SIMILAR, {"title": "", "body": ""}), 422, "required", "body")
    assert_error(
        post_json(client, SIMILAR, {"body": "jalan rusak", "category": "nope"}),
        422,
        "unknown_category",
        "category",
    )


def test_similar_is_not_mistaken_for_a_tracking_id(world: World) -> None:
    response = client_for(None).get(SIMILAR)
    assert response.status_code in {404, 405}
    assert post_json(client_for(None), SIMILAR, {"body": "jalan rusak parah sekali"}).status_code == 200
