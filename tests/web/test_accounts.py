"""Accounts: register, sign in (officers land in the console), sign out, reset a password, my reports."""

import re

import pytest
from django.core import mail
from django.test import Client

from lapor.core.models import User
from lapor.reports.workflow import Status
from tests.factories import World, report_in
from tests.web.helpers import client_as, page

pytestmark = pytest.mark.django_db


def test_register_signs_in_and_keeps_input_on_error(world: World) -> None:
    client = Client()
    bad = page(
        client.post(
            "/akun/daftar/", {"username": "budi", "first_name": "Budi", "email": "x", "password1": "a"}
        )
    )
    assert 'value="Budi"' in bad and "Periksa kembali" in bad
    response = client.post(
        "/akun/daftar/",
        {
            "username": "budi",
            "first_name": "Budi Santoso",
            "email": "budi@contoh.id",
            "phone": "0812345678",
            "password1": "pasar-godean-2026",
            "password2": "pasar-godean-2026",
        },
    )
    assert response["Location"] == "/akun/laporan/"
    assert User.objects.get(username="budi").email == "budi@contoh.id"
    assert "Laporan saya" in page(client.get("/akun/laporan/"))


def test_sign_in_lands_by_role_and_sign_out_is_a_post(world: World) -> None:
    client = Client()
    response = client.post("/akun/masuk/", {"username": "verifier", "password": "lapor-demo"})
    assert response["Location"] == "/staf/"
    assert client.get("/akun/keluar/").status_code == 405
    assert client.post("/akun/keluar/")["Location"] == "/"
    citizen = Client().post("/akun/masuk/", {"username": "citizen", "password": "lapor-demo"})
    assert citizen["Location"] == "/akun/laporan/"
    wrong = page(Client().post("/akun/masuk/", {"username": "citizen", "password": "salah"}))
    assert 'value="citizen"' in wrong


def test_password_reset_by_email(world: World) -> None:
    client = Client()
    assert (
        client.post("/akun/sandi/lupa/", {"email": "citizen@contoh.id"})["Location"]
        == "/akun/sandi/lupa/terkirim/"
    )
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/akun/sandi/atur/\S+/)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert "Buat kata sandi baru" in page(form)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "sandi-baru-2026!", "new_password2": "sandi-baru-2026!"}
    )
    assert done["Location"] == "/akun/sandi/atur/selesai/"
    assert Client().login(username="citizen", password="sandi-baru-2026!")


def test_my_reports_lists_own_reports_in_every_status(world: World) -> None:
    mine = report_in(world, Status.SUBMITTED, confidential=True)
    html = page(client_as(world.citizen).get("/akun/laporan/"))
    assert mine.tracking_id in html and "Rahasia" in html
    assert mine.tracking_id not in page(client_as(world.other_citizen).get("/akun/laporan/"))
    assert Client().get("/akun/laporan/")["Location"].startswith("/akun/masuk/")
