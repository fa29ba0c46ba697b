"""Privacy on every page: an anonymous reporter's name never reaches an officer page (except a
national verifier's, on request and audited); a confidential report never reaches a public page."""

import pytest
from django.test import Client

from lapor.reports import services
from lapor.reports.models import IdentityAccess, Report
from lapor.reports.workflow import Status
from tests.factories import REPORTER_NAME, World, report_in
from tests.web.helpers import client_as, page

pytestmark = pytest.mark.django_db


def _anonymous(world: World) -> Report:
    world.citizen.first_name, world.citizen.last_name = REPORTER_NAME.rsplit(" ", 1)
    world.citizen.save()
    return report_in(world, Status.IN_PROGRESS, anonymous=True)


def _officer_pages(report: Report) -> list[str]:
    t = report.tracking_id
    return [
        "/staf/",
        "/staf/antrean/masuk/",
        "/staf/antrean/diproses/",
        "/staf/antrean/terlambat-instansi/",
        "/staf/antrean/dijawab/",
        "/staf/antrean/unit/",
        "/staf/antrean/terlambat/",
        "/staf/antrean/eskalasi/",
        f"/staf/laporan/{t}/",
        f"/staf/laporan/{t}/saran/",
        f"/staf/laporan/{t}/serupa/",
        f"/laporan/{t}/",
        "/laporan/",
    ]


@pytest.mark.parametrize("user", ["admin_pemda", "officer_pu", "supervisor", "province_supervisor"])
def test_anonymous_reporter_never_on_officer_pages(world: World, user: str) -> None:
    report = _anonymous(world)
    client = client_as(getattr(world, user))
    seen_workspace = False
    for url in _officer_pages(report):
        response = client.get(url)
        html = page(response)
        assert REPORTER_NAME not in html, url
        assert "Siti Aminah" not in html and "081234567890" not in html and "citizen@contoh.id" not in html, (
            url
        )
        if url.startswith("/staf/laporan/") and url.count("/") == 4 and response.status_code == 200:
            seen_workspace = True
            assert "Pelapor anonim" in html
    assert seen_workspace
    assert not IdentityAccess.objects.exists()


def test_verifier_sees_anonymous_identity_only_on_request_and_audited(world: World) -> None:
    report = _anonymous(world)
    client = client_as(world.verifier)
    html = page(client.get(f"/staf/laporan/{report.tracking_id}/"))
    assert REPORTER_NAME not in html and "Tampilkan identitas" in html
    assert not IdentityAccess.objects.exists()
    revealed = page(client.post(f"/staf/laporan/{report.tracking_id}/identitas/"))
    assert REPORTER_NAME in revealed
    assert IdentityAccess.objects.filter(report=report, viewer=world.verifier).count() == 1
    assert (
        client_as(world.admin_pemda).post(f"/staf/laporan/{report.tracking_id}/identitas/").status_code == 403
    )


def test_named_reporter_is_shown_to_the_handling_agency(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    html = page(client_as(world.admin_pemda).get(f"/staf/laporan/{report.tracking_id}/"))
    assert "Siti Aminah Rahasia" in html and "081234567890" in html


def test_anonymous_reporter_sees_own_name_public_does_not(world: World) -> None:
    report = _anonymous(world)
    assert REPORTER_NAME in page(client_as(world.citizen).get(f"/laporan/{report.tracking_id}/"))
    public = page(Client().get(f"/laporan/{report.tracking_id}/"))
    assert REPORTER_NAME not in public and "Pelapor anonim" in public


def test_confidential_report_never_on_public_pages(world: World) -> None:
    secret = report_in(world, Status.RESPONDED, confidential=True)
    services.report_support  # noqa: B018 (public pages only; nothing to support)
    t = secret.tracking_id
    urls = ["/", "/laporan/", "/laporan/?q=Godean", f"/laporan/?q={t}", "/laporan/?agency=pemda-34.04"]
    for client in (Client(), client_as(world.other_citizen), client_as(world.admin_pln)):
        for url in urls:
            assert f"/laporan/{t}/" not in page(client.get(url)), url
        assert client.get(f"/laporan/{t}/").status_code == 404
        assert client.get(f"/laporan/lacak/?tracking_id={t}", follow=True).status_code == 404
    # its own reporter still sees it
    assert client_as(world.citizen).get(f"/laporan/{t}/").status_code == 200
