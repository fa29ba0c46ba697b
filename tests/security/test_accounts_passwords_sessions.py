"""Password policy (length 10, common, numeric, similar to the person's details) in Indonesian; secure
session and cookie settings; officers' sessions end with the browser and after a working day; secrets
(passwords, tokens, API keys, recovery codes) are stored only hashed."""

import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.test import Client, override_settings

from lapor.channels.apikeys import apikey_create
from lapor.channels.models import ApiKey
from lapor.core.models import AuthToken, User, hash_secret
from lapor.security.sessions import STAFF_UNTIL
from tests.factories import World

pytestmark = pytest.mark.django_db


def _signup(password: str, **extra: str) -> str:
    data = {
        "username": "budi",
        "first_name": "Budi Santoso",
        "email": "budisantoso@contoh.id",
        "password1": password,
        "password2": password,
    } | extra
    return Client().post("/akun/daftar/", data).content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek-9x", "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter."),
        ("1234567890123", "Kata sandi ini seluruhnya terdiri dari angka."),
        ("password123", "Kata sandi ini terlalu umum."),
        ("budisantoso", "Kata sandi terlalu mirip dengan"),
    ],
)
def test_weak_passwords_are_refused_in_indonesian(world: World, password: str, message: str) -> None:
    html = _signup(password)
    assert message in html
    assert not User.objects.filter(username="budi").exists()


def test_a_good_password_is_accepted_and_stored_with_the_configured_hasher(world: World) -> None:
    _signup("gerobak-bakso-malam-7")
    user = User.objects.get(username="budi")
    assert "gerobak" not in user.password
    # Tests hash fast; the real settings put argon2 first (checked in test_headers).
    assert identify_hasher(user.password).algorithm == get_hasher().algorithm
    assert user.check_password("gerobak-bakso-malam-7")


def test_tokens_and_api_keys_are_stored_only_as_digests(world: World) -> None:
    token, raw = AuthToken.issue(user=world.citizen)
    assert token.digest == hash_secret(raw) and raw not in token.digest
    assert not AuthToken.objects.filter(digest=raw).exists()
    issued = apikey_create(agency=world.pemda, name="Aplikasi Sleman", permissions=["submit"])
    stored = ApiKey.objects.get(pk=issued.key.pk)
    assert stored.digest == hash_secret(issued.raw)
    assert issued.raw not in {stored.digest, stored.prefix, stored.name, stored.slug}


def test_sign_in_rotates_the_session(world: World) -> None:
    client = Client()
    session = client.session  # a session that exists before sign-in, as a planted one would
    session["planted"] = True
    session.save()
    before = session.session_key
    client.post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"})
    assert client.session.session_key != before


def test_officer_sessions_end_with_the_browser_and_after_a_working_day(world: World, settings: Any) -> None:
    officer, citizen = Client(), Client()
    officer.post("/akun/masuk/", {"username": "verifier", "password": "lapor-demo"})
    citizen.post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"})
    # A browser-session cookie for officers (no Max-Age/Expires), a persistent one for citizens.
    officer_cookie = officer.cookies[settings.SESSION_COOKIE_NAME]
    citizen_cookie = citizen.cookies[settings.SESSION_COOKIE_NAME]
    assert officer_cookie["max-age"] == "" and officer_cookie["expires"] == ""
    assert citizen_cookie["max-age"] != ""
    assert officer_cookie["httponly"] and officer_cookie["samesite"] == "Lax"
    assert STAFF_UNTIL not in citizen.session
    assert officer.get("/staf/").status_code == 200

    session = officer.session
    session[STAFF_UNTIL] = int(time.time()) - 1  # the working day is over
    session.save()
    response = officer.get("/staf/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert "_auth_user_id" not in officer.session


def test_an_officer_session_over_ends_for_the_api_too(world: World) -> None:
    """The API keeps no flash messages: the session ends without one, and the next call is a guest's."""
    officer = Client()
    officer.post("/akun/masuk/", {"username": "verifier", "password": "lapor-demo"})
    assert officer.get("/api/v1/me/data").status_code == 200
    session = officer.session
    session[STAFF_UNTIL] = int(time.time()) - 1
    session.save()
    response = officer.get("/api/v1/me/data")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert "_auth_user_id" not in officer.session
    assert officer.get("/api/v1/me/data").status_code == 401


@override_settings(LAPOR_STAFF_SESSION_SECONDS=60)
def test_the_staff_session_length_is_a_setting(world: World) -> None:
    officer = Client()
    officer.post("/akun/masuk/", {"username": "admin_pemda", "password": "lapor-demo"})
    assert 55 <= officer.session[STAFF_UNTIL] - time.time() <= 60


def test_csrf_cookie_is_http_only_and_htmx_still_posts(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.other_citizen)
    html = client.get("/").content.decode()
    assert client.cookies[settings.CSRF_COOKIE_NAME]["httponly"]
    # htmx sends the token from the page, never from the cookie.
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert token
    response = client.post("/akun/notifikasi/baca/", HTTP_X_CSRFTOKEN=token.group(1), HTTP_HX_REQUEST="true")
    assert response.status_code != 403
    assert client.post("/akun/notifikasi/baca/", HTTP_HX_REQUEST="true").status_code == 403
