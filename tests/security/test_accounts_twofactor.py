"""Two-step sign-in: enrolment with a server-rendered QR code, the second sign-in step (wrong code
fails, right code passes, a recovery code works once), the token endpoint, and required mode that keeps
national verifiers and agency admins out of the console until they enrol."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lapor.core.models import User
from lapor.security import twofactor
from lapor.security.models import SecurityPolicy
from tests.factories import World
from tests.security.helpers import totp_code

pytestmark = pytest.mark.django_db


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _enrol(client: Client, user: User) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/akun/keamanan/").content.decode()
    assert "<svg" in page and "<script" not in page.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/akun/keamanan/", {"action": "confirm", "code": totp_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())
    device.refresh_from_db()
    return device, codes


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code(world: World) -> None:
    client = _signed_in("citizen")
    first = client.get("/akun/keamanan/").content.decode()
    # The QR code is inline SVG paths: nothing fetched, no script, and the same code on reload.
    svg = re.search(r"<svg.*?</svg>", first, re.S)
    assert svg and "<path" in svg.group(0) and "script" not in svg.group(0)
    assert client.get("/akun/keamanan/").content.decode().count(svg.group(0)) == 1
    device = TOTPDevice.objects.get(user=world.citizen)
    assert not device.confirmed and twofactor.is_enrolled(world.citizen) is False

    wrong = client.post("/akun/keamanan/", {"action": "confirm", "code": "000000"})
    assert "Kode tidak cocok" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device, codes = _enrol(client, world.citizen)
    assert device.confirmed and len(codes) == twofactor.RECOVERY_CODES == len(set(codes))
    # Recovery codes are stored only as digests.
    stored = set(StaticToken.objects.filter(device__user=world.citizen).values_list("token", flat=True))
    assert stored == {twofactor.recovery_digest(code) for code in codes}
    assert not stored & set(codes)
    # Shown once: the page now says it is on and lists no codes.
    again = client.get("/akun/keamanan/").content.decode()
    assert "aktif" in again and not any(code in again for code in codes)


def test_sign_in_asks_for_the_code_wrong_code_fails_right_code_passes(world: World) -> None:
    device, _codes = _enrol(_signed_in("citizen"), world.citizen)
    client = Client()
    first = client.post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"})
    assert first["Location"] == "/akun/masuk/kode/"
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in
    assert client.get("/akun/laporan/").status_code == 302

    wrong = client.post("/akun/masuk/kode/", {"code": "123456"})
    assert wrong.status_code == 200 and "Kode tidak cocok" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down after a failure; a person would wait
    session_before = client.session.session_key
    right = client.post("/akun/masuk/kode/", {"code": totp_code(device, offset_steps=1)})
    assert right["Location"] == "/akun/laporan/"
    assert client.session["_auth_user_id"] == str(world.citizen.pk)
    assert client.session.session_key != session_before  # rotated at sign-in
    assert client.get("/akun/laporan/").status_code == 200


def test_a_recovery_code_signs_in_once(world: World) -> None:
    _device, codes = _enrol(_signed_in("citizen"), world.citizen)
    for expected in (302, 200):
        client = Client()
        client.post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"})
        response = client.post("/akun/masuk/kode/", {"code": codes[0].upper()})
        assert response.status_code == expected
    assert StaticToken.objects.filter(device__user=world.citizen).count() == len(codes) - 1


def test_the_second_step_expires_and_cannot_be_reached_without_the_first(world: World) -> None:
    _enrol(_signed_in("citizen"), world.citizen)
    assert Client().get("/akun/masuk/kode/")["Location"] == "/akun/masuk/"


def test_token_endpoint_needs_the_code_once_enrolled(world: World) -> None:
    device, _codes = _enrol(_signed_in("citizen"), world.citizen)
    client = Client()
    credentials = {"username": "citizen", "password": "lapor-demo"}
    without = client.post("/api/v1/auth/token", credentials, content_type="application/json")
    assert without.status_code == 401 and without.json()["code"] == "otp_required"
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(
        "/api/v1/auth/token",
        credentials | {"otp": totp_code(device, offset_steps=1)},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["token"].startswith("lpt_")


def test_admin_login_without_the_second_step_is_sent_to_it(world: World) -> None:
    world.verifier.is_staff = True
    world.verifier.save()
    _enrol(_signed_in("verifier"), world.verifier)
    client = Client()
    client.post("/admin/login/", {"username": "verifier", "password": "lapor-demo"})
    assert client.session.get("_auth_user_id") == str(world.verifier.pk)
    assert client.get("/staf/")["Location"].startswith("/akun/masuk/kode/")
    assert client.get("/admin/")["Location"].startswith("/akun/masuk/kode/")
    assert client.get("/api/v1/reports").json()["code"] == "otp_required"


def test_required_mode_keeps_verifiers_and_agency_admins_out_of_the_console_until_enrolled(
    world: World,
) -> None:
    verifier, admin, officer = _signed_in("verifier"), _signed_in("admin_pemda"), _signed_in("officer_pu")
    assert verifier.get("/staf/").status_code == 200  # off by default
    SecurityPolicy.objects.update_or_create(pk=1, defaults={"require_two_factor": True})

    for client in (verifier, admin):
        response = client.get("/staf/")
        assert response.status_code == 302 and response["Location"].startswith("/akun/keamanan/")
        assert client.get("/staf/antrean/baru/").status_code == 302
    assert officer.get("/staf/").status_code == 200  # unit officers are not in the required roles
    # Nor can a token be taken instead.
    refused = Client().post(
        "/api/v1/auth/token",
        {"username": "verifier", "password": "lapor-demo"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "two_factor_required"

    _enrol(verifier, world.verifier)  # enrolment itself marks this session as verified
    assert verifier.get("/staf/").status_code == 200
    # Required: it cannot be switched off.
    assert "tidak dapat dimatikan" in verifier.get("/akun/keamanan/").content.decode()


def test_disable_needs_a_valid_code(world: World) -> None:
    client = _signed_in("citizen")
    device, _codes = _enrol(client, world.citizen)
    refused = client.post("/akun/keamanan/", {"action": "disable", "code": "000000"})
    assert "Kode tidak cocok" in refused.content.decode() and twofactor.is_enrolled(world.citizen)
    device.throttle_reset()
    client.post("/akun/keamanan/", {"action": "disable", "code": totp_code(device, offset_steps=1)})
    assert not twofactor.is_enrolled(world.citizen)


def test_an_administrator_turns_required_mode_on_in_the_admin(world: World) -> None:
    root = User.objects.create_superuser("root", "root@contoh.id", "akar-pohon-beringin-9")
    client = Client()
    client.force_login(root)
    listing = client.get("/admin/security/securitypolicy/")
    assert listing.status_code == 302 and listing["Location"].endswith(
        "/admin/security/securitypolicy/1/change/"
    )
    saved = client.post("/admin/security/securitypolicy/1/change/", {"require_two_factor": "on"})
    assert saved.status_code == 302
    assert SecurityPolicy.current().require_two_factor is True
    assert SecurityPolicy.objects.count() == 1
    assert twofactor.two_factor_required_for(world.verifier) and twofactor.two_factor_required_for(
        world.admin_pln
    )
    assert not twofactor.two_factor_required_for(world.supervisor)
    assert not twofactor.two_factor_required_for(world.citizen)
