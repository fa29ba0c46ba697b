"""/statistik and an agency page in a real browser: charts drawn under the strict CSP, screenshots saved."""

from typing import Any

import pytest

from tests.analytics.test_rollups import scenario
from tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistics_pages(open_session: Any) -> None:
    scenario(build_world())
    session = open_session("stats")
    session.go("/statistik/?period=2025-02")
    session.page.wait_for_function(
        "() => window.Chart && document.querySelectorAll('canvas[data-chart]').length > 0"
    )
    drawn = session.page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".every(c => window.Chart.getChart(c))"
    )
    assert drawn
    session.shot("statistik")
    session.go("/instansi/pemda-34.04/?period=2025-02")
    session.page.wait_for_function(
        "() => window.Chart && window.Chart.getChart(document.querySelector('canvas'))"
    )
    assert "Pemerintah Kabupaten Sleman" in session.text()
    session.shot("instansi")
    session.go("/instansi/pemda-34.04/laporan-bulanan/?period=2025-02")
    session.shot("laporan-bulanan")
    assert session.traffic.csp == [] and session.traffic.off_site() == []
