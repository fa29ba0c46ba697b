"""The bell and the notification settings, as a signed-in citizen uses them."""

from typing import Any

import pytest
from django.test import Client

from lapor.notifications.models import Preference
from lapor.notifications.selectors import unread_count
from tests.factories import World, submit

pytestmark = pytest.mark.django_db


def signed_in(world: World, who: str = "citizen") -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def test_bell_counts_unread_and_marks_them_read(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report = submit(world).report  # the receipt lands in the citizen's inbox
    client = signed_in(world)
    page = client.get("/").content.decode()
    assert 'class="count"' in page and ">1</span>" in page
    inbox = client.get("/akun/notifikasi/").content.decode()
    assert report.tracking_id in inbox
    assert client.post("/akun/notifikasi/baca/").status_code == 302
    assert unread_count(user=world.citizen) == 0
    assert 'class="count"' not in client.get("/").content.decode()


def test_inbox_is_private(world: World) -> None:
    report = submit(world).report
    other = signed_in(world, "other_citizen").get("/akun/notifikasi/").content.decode()
    assert report.tracking_id not in other
    assert Client().get("/akun/notifikasi/").status_code == 302  # to sign-in


def test_settings_are_saved_and_validated(world: World) -> None:
    client = signed_in(world)
    assert client.get("/akun/notifikasi/pengaturan/").status_code == 200
    response = client.post("/akun/notifikasi/pengaturan/", {"in_app": "on", "language": "en"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=world.citizen)
    assert (pref.email, pref.sms, pref.in_app, pref.language) == (False, False, True, "en")
    bad = client.post("/akun/notifikasi/pengaturan/", {"language": "xx"})
    assert bad.status_code == 200 and Preference.objects.get(user=world.citizen).language == "en"
