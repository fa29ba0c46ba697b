"""The public report page kept whole for visitors who are not signed in (ADR 0025): served from the
cache with each visitor's own CSRF token, never to a reporter or a signed-in user, refreshed when the
report changes, and never once the report stops being public, however it stopped."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lapor.agencies.access import Viewer
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.services.personal_data import reporter_deidentify
from lapor.reports.workflow import Status
from lapor.web.pagecache import PLACEHOLDER
from tests.factories import World, report_in
from tests.web.helpers import client_as, page
from tests.web.test_reporter import _guest_client

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client: Client, report: Report) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        html = page(client.get(f"/laporan/{report.tracking_id}/"))
    return html, len(ctx.captured_queries)


def test_the_second_visitor_gets_the_stored_page_with_a_token_of_their_own(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    first, rendered = get(Client(), report)
    visitor = Client(enforce_csrf_checks=True)
    second, served = get(visitor, report)
    assert served < rendered and served <= 3, (served, rendered)  # the visibility check, no rendering
    assert "Riwayat dan jawaban" in second and PLACEHOLDER not in second
    tokens = set(TOKEN.findall(second))
    assert len(tokens) == 1 and tokens != set(TOKEN.findall(first))
    # The token works: the access-code form on the stored page posts through CSRF.
    response = visitor.post(
        "/laporan/lacak/",
        {"csrfmiddlewaretoken": tokens.pop(), "tracking_id": report.tracking_id, "access_code": "X"},
    )
    assert response.status_code != 403


def test_reporters_and_signed_in_users_never_get_the_stored_page(world: World) -> None:
    report = report_in(world, Status.RESPONDED)
    get(Client(), report)  # stored
    mine = page(client_as(world.citizen).get(f"/laporan/{report.tracking_id}/"))
    assert "Tindak lanjut dari Anda" in mine
    guest_report = services.report_submit(
        draft=services.ReportDraft(
            body="Lampu jalan di gang kami mati sejak minggu lalu dan belum diganti",
            region="34.04",
            reporter_name="Tamu",
            reporter_email="tamu@example.invalid",
        ),
        actor=Viewer(),
    )
    assert guest_report.access_code
    guest = _guest_client(guest_report.report.tracking_id, guest_report.access_code)
    html = page(guest.get(f"/laporan/{guest_report.report.tracking_id}/"))
    assert "(Anda)" in html


def test_a_change_to_the_report_is_seen_by_the_next_visitor(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    before, _ = get(Client(), report)
    assert "Sudah kami perbaiki" not in before
    services.report_respond(report=report, actor=world.viewer("admin_pemda"), message="Sudah kami perbaiki.")
    after, _ = get(Client(), report)
    assert "Sudah kami perbaiki" in after


def test_a_report_that_stops_being_public_is_never_served_again(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    get(Client(), report)
    # Not through a service: no updated_at, no signal. The selector still says no.
    Report.objects.filter(pk=report.pk).update(confidential=True)
    assert Client().get(f"/laporan/{report.tracking_id}/").status_code == 404


def test_forgetting_the_reporter_is_seen_at_once(world: World) -> None:
    report = report_in(world, Status.IN_PROGRESS)
    name = report.identity.name
    before, _ = get(Client(), report)
    assert name in before
    with transaction.atomic():
        reporter_deidentify(report=report)
    after, _ = get(Client(), report)
    assert name not in after


def test_a_stored_page_lives_until_its_deadline_badge_would_change(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from lapor.web.deadlines import deadline_state, state_changes_at
    from lapor.web.pagecache import TTL, _lifetime

    zone, now = "Asia/Jayapura", timezone.now()
    for due in [now + timedelta(minutes=m) for m in (-5, 0, 1, 30, 60 * 20, 60 * 50, 60 * 24 * 9)]:
        change = state_changes_at(due, tz=zone, now=now)
        if change is None:
            assert deadline_state(due, tz=zone, now=now) == "overdue"
            continue
        before = deadline_state(due, tz=zone, now=change - timedelta(microseconds=1))
        assert before == deadline_state(due, tz=zone, now=now)  # nothing changes before `change`
        assert deadline_state(due, tz=zone, now=change) != before  # and it does at `change`
    assert _lifetime(None, zone) == TTL
    assert 50 <= _lifetime(now + timedelta(minutes=1), zone) <= 60  # overdue in a minute
    assert _lifetime(now + timedelta(days=9), zone) == TTL
