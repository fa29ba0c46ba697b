"""The limits on the doors: filing (web form, API, Open311, channel webhooks), sign-in, support and the
read API; per address for anonymous callers, per account for signed-in people and integrations; 429
with Retry-After in the one error shape (a friendly page for people)."""

from typing import Any

import pytest
from django.test import Client

from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.api.helpers import client_for, post_json
from tests.factories import World, guest_report, report_in

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports"


@pytest.fixture(autouse=True)
def _counters_rolled_back_per_test(database_limiter: None) -> None:
    """The database cache lives in the test transaction, so no count leaks into the next test."""


def limits(settings: Any, **rules: dict[str, tuple[int, int] | None]) -> None:
    generous = dict.fromkeys(("ip", "account"), (100_000, 60))
    settings.LAPOR_RATE_LIMITS = {
        rule: rules.get(rule, generous) for rule in ("filing", "channel", "signin", "support", "read")
    }


def assert_rate_limited(response: Any) -> None:
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert set(body) == {"code", "message", "field"} and body["code"] == "rate_limited"
    assert "Terlalu banyak permintaan" in body["message"]


def test_api_filing_per_address_refuses_the_third_and_writes_nothing(
    world: World, settings: Any, limiter: str
) -> None:
    limits(settings, filing={"ip": (2, 3600), "account": (2, 3600)})
    guest = Client()
    assert [post_json(guest, REPORTS, guest_report()).status_code for _ in range(2)] == [201, 201]
    assert_rate_limited(post_json(guest, REPORTS, guest_report()))
    assert Report.objects.count() == 2
    # Another address is not held back.
    assert post_json(Client(REMOTE_ADDR="198.51.100.20"), REPORTS, guest_report()).status_code == 201


def test_signed_in_callers_are_counted_per_account_not_per_address(world: World, settings: Any) -> None:
    # An office behind one address: each account gets its own budget.
    limits(settings, filing={"ip": (1, 3600), "account": (2, 3600)})
    citizen, other = client_for(world.citizen), client_for(world.other_citizen)
    assert [post_json(citizen, REPORTS, guest_report()).status_code for _ in range(2)] == [201, 201]
    assert_rate_limited(post_json(citizen, REPORTS, guest_report()))
    assert post_json(other, REPORTS, guest_report()).status_code == 201
    # A session counts as the same account as that person's token.
    session = Client()
    session.force_login(world.citizen)
    assert session.post("/", {}).status_code == 429


def test_web_filing_form_answers_a_friendly_page(world: World, settings: Any) -> None:
    limits(settings, filing={"ip": (2, 3600), "account": (2, 3600)})
    client = Client()
    assert [client.post("/", {}).status_code for _ in range(2)] == [200, 200]  # the form, with errors
    refused = client.post("/", {})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    html = refused.content.decode()
    assert "<h1>Terlalu banyak permintaan</h1>" in html and "<!doctype html>" in html
    assert client.get("/").status_code == 200  # reading the form is not filing


def test_open311_and_channel_webhooks_are_limited(world: World, settings: Any) -> None:
    limits(
        settings, filing={"ip": (1, 3600), "account": (1, 3600)}, channel={"ip": (1, 60), "account": (1, 60)}
    )
    client = Client()
    assert client.post("/open311/v2/requests.json", {}).status_code != 429
    assert_rate_limited(client.post("/open311/v2/requests.json", {}))
    assert client.post("/channels/sms/inbound", b"{}", content_type="application/json").status_code != 429
    assert_rate_limited(client.post("/channels/sms/inbound", b"{}", content_type="application/json"))
    assert_rate_limited(client.post("/channels/social/inbound", b"{}", content_type="application/json"))


def test_sign_in_doors_share_one_budget_per_address(world: World, settings: Any) -> None:
    limits(settings, signin={"ip": (3, 600), "account": None})
    client = Client()
    wrong = {"username": "nobody", "password": "salah-sekali"}
    assert client.post("/akun/masuk/", wrong).status_code == 200
    assert client.post("/admin/login/", wrong).status_code == 200
    assert post_json(client, "/api/v1/auth/token", wrong).status_code == 401
    assert_rate_limited(post_json(client, "/api/v1/auth/token", wrong))
    page = client.post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"})
    assert page.status_code == 429 and "Terlalu banyak permintaan" in page.content.decode()
    assert client.get("/akun/masuk/").status_code == 200  # the form itself still shows


def test_support_is_limited_per_account(world: World, settings: Any) -> None:
    limits(settings, support={"ip": (100, 3600), "account": (1, 3600)})
    first, second = report_in(world, Status.IN_PROGRESS), report_in(world, Status.IN_PROGRESS)
    other = client_for(world.other_citizen)
    assert post_json(other, f"{REPORTS}/{first.tracking_id}/support", {}).status_code == 200
    assert_rate_limited(post_json(other, f"{REPORTS}/{second.tracking_id}/support", {}))
    web = Client()
    web.force_login(world.other_citizen)
    refused = web.post(f"/laporan/{second.tracking_id}/dukung/")
    assert refused.status_code == 429
    second.refresh_from_db()
    assert second.supporters_count == 0


def test_public_read_api_per_address_and_per_account(world: World, settings: Any, limiter: str) -> None:
    limits(settings, read={"ip": (3, 60), "account": (4, 60)})
    public = Client()
    assert [public.get("/api/v1/categories").status_code for _ in range(2)] == [200, 200]
    assert public.get("/open311/v2/services.json").status_code == 200  # one budget for both APIs
    assert_rate_limited(public.get(f"{REPORTS}"))
    citizen = client_for(world.citizen)
    assert [citizen.get("/api/v1/categories").status_code for _ in range(4)] == [200] * 4
    assert_rate_limited(citizen.get("/api/v1/categories"))
    assert Client().get("/").status_code == 200  # pages are not the read API
    # Reads sent as POST share the budget.
    assert_rate_limited(post_json(public, "/api/v1/routing/suggest", {"title": "jalan", "body": "rusak"}))


def test_a_limit_set_to_none_is_off(world: World, settings: Any) -> None:
    limits(settings, read={"ip": None, "account": None})
    client = Client()
    assert {client.get("/api/v1/categories").status_code for _ in range(5)} == {200}


def test_retries_with_the_same_idempotency_key_are_not_counted_again(
    world: World, settings: Any, limiter: str
) -> None:
    """A client that retries correctly (same key, same body) is answered from the record; only new
    filings use up the budget."""
    limits(settings, filing={"ip": (2, 3600), "account": (2, 3600)})
    guest, body = Client(), guest_report()
    first = post_json(guest, REPORTS, body, HTTP_IDEMPOTENCY_KEY="satu")
    assert first.status_code == 201
    for _ in range(4):
        again = post_json(guest, REPORTS, body, HTTP_IDEMPOTENCY_KEY="satu")
        assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
        assert again.json()["tracking_id"] == first.json()["tracking_id"]
    assert post_json(guest, REPORTS, guest_report(), HTTP_IDEMPOTENCY_KEY="dua").status_code == 201
    assert_rate_limited(post_json(guest, REPORTS, guest_report(), HTTP_IDEMPOTENCY_KEY="tiga"))
    assert Report.objects.count() == 2
