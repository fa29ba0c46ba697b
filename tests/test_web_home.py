import pytest
from django.test import Client

from lapor.reports.workflow import Status
from tests.factories import World, report_in


@pytest.mark.django_db
def test_home_lists_public_reports_only(world: World) -> None:
    public = report_in(world, Status.IN_PROGRESS)
    hidden = report_in(world, Status.IN_PROGRESS, confidential=True)
    page = Client().get("/").content.decode()
    assert public.tracking_id in page and hidden.tracking_id not in page
    assert "Laporan terbaru" in page
