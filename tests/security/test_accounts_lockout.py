"""Lockout (django-axes): N failures per username and address lock that pair out with a clear message;
a success before that resets the count; the web form, the admin login and the token endpoint all count."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings

from tests.factories import World

pytestmark = pytest.mark.django_db

LIMIT = 3


def _fail(client: Client, url: str, username: str = "citizen", **extra: str) -> int:
    return client.post(url, {"username": username, "password": "salah-sekali"}, **extra).status_code


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_web_sign_in_locks_after_failures_and_the_right_password_no_longer_helps(world: World) -> None:
    client = Client()
    assert [_fail(client, "/akun/masuk/") for _ in range(LIMIT - 1)] == [200] * (LIMIT - 1)
    locked = client.post("/akun/masuk/", {"username": "citizen", "password": "salah-sekali"})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "dikunci sementara" in locked.content.decode()
    # Even the right password is refused while locked: guessing cannot go on.
    right = client.post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"})
    assert right.status_code == 429 and "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_lockout_is_per_username_and_address(world: World) -> None:
    client = Client()
    for _ in range(LIMIT):
        _fail(client, "/akun/masuk/")
    # Another address may still sign in as the same person, and the same address as another person.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert (
        elsewhere.post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"}).status_code == 302
    )
    other = client.post("/akun/masuk/", {"username": "other_citizen", "password": "lapor-demo"})
    assert other.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_success_resets_the_count(world: World) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        _fail(client, "/akun/masuk/")
    assert client.post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="citizen").exists()
    client.post("/akun/keluar/")
    for _ in range(LIMIT - 1):
        assert _fail(client, "/akun/masuk/") == 200  # counting starts again from zero


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_token_endpoint_locks_out_in_the_api_error_shape(world: World) -> None:
    client = Client()

    def token(password: str) -> tuple[int, dict[str, object]]:
        response = client.post(
            "/api/v1/auth/token",
            {"username": "citizen", "password": password},
            content_type="application/json",
        )
        return response.status_code, response.json()

    for _ in range(LIMIT - 1):
        status, body = token("salah-sekali")
        assert status == 401 and body["code"] == "invalid_credentials"
    status, body = token("salah-sekali")
    assert status == 429
    assert body["code"] == "locked_out" and set(body) == {"code", "message", "field"}
    assert "dikunci" in str(body["message"])
    assert token("lapor-demo")[0] == 429


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_admin_login_counts_too(world: World) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        assert _fail(client, "/admin/login/", username="verifier") == 200
    assert _fail(client, "/admin/login/", username="verifier") == 429
    # The web form shares the count: same username, same address.
    assert client.post("/akun/masuk/", {"username": "verifier", "password": "lapor-demo"}).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=LIMIT, LAPOR_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_the_caller(world: World) -> None:
    # One proxy of ours: the last X-Forwarded-For entry is the client; whatever the client wrote before
    # it is ignored, so rotating a fake left part does not escape the lockout.
    for fake in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        _fail(Client(), "/akun/masuk/", HTTP_X_FORWARDED_FOR=f"{fake}, 203.0.113.7")
    locked = Client().post(
        "/akun/masuk/",
        {"username": "citizen", "password": "lapor-demo"},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
    )
    assert locked.status_code == 429
    free = Client().post(
        "/akun/masuk/", {"username": "citizen", "password": "lapor-demo"}, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert free.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_without_a_configured_proxy_forwarded_headers_are_ignored(world: World) -> None:
    for n in range(LIMIT):
        _fail(Client(), "/akun/masuk/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert AccessAttempt.objects.get(username="citizen").ip_address == "127.0.0.1"
    assert Client().post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"}).status_code == 429
