"""Indonesian first; English when chosen with the switcher (not from the browser's language)."""

import pytest
from django.test import Client

from lapor.reports.workflow import Status
from tests.factories import World, report_in
from tests.web.helpers import client_as, page

pytestmark = pytest.mark.django_db


def test_indonesian_by_default_even_for_an_english_browser(world: World) -> None:
    html = page(Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert 'lang="id"' in html and "Kirim laporan" in html


def test_switching_to_english(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/laporan/"})
    assert response["Location"] == "/laporan/"
    html = page(client.get("/"))
    assert 'lang="en"' in html and "File a report" in html and "Send report" in html
    assert "Who will not see your name" in html
    detail = page(client.get(f"/laporan/{report.tracking_id}/"))
    assert "In progress" in detail and "by " in detail  # status label and deadline in English
    officer = client_as(world.verifier)
    officer.cookies["django_language"] = "en"
    console = page(officer.get("/staf/"))
    assert "New reports" in console
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Kirim laporan" in page(client.get("/"))
