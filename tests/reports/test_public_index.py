"""The public search index (ADR 0035): it holds public reports only, answers the public list's searches
and combined filters exactly as PostgreSQL does, is never used for a viewer who sees more than the
public, and a report that stops being public disappears from every list at once, before any sync
(only the count is the index's until then)."""

import io
import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from lapor.agencies.access import Viewer
from lapor.reports import public_index, services
from lapor.reports.models import Report
from lapor.reports.selectors import ReportFilters, reports_visible_to
from lapor.reports.workflow import Status
from tests.api.helpers import client_for
from tests.factories import World, report_in, submit
from tests.web.helpers import client_as, cursor_before_everything

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the index takes PostgreSQL's lexemes"),
]

LISTS = [
    {"q": "berlubang"},
    {"q": "pasar godean", "status": "routed"},
    {"q": "berlubang", "region": "34", "page": "2", "page_size": "1"},
    {"status": "in_progress", "category": "roads_infrastructure"},
    {"region": "34.04", "status": "routed"},
    {"q": "berlubang", "category": "no_such_category"},
    {"q": "listrik padam"},
    {"status": "routed"},
    {"region": "34", "page_size": "2"},
    {"category": "roads_infrastructure"},
    {"status": "routed", "region": "34", "category": "roads_infrastructure"},
    {"agency": "pemda-34.04", "status": "in_progress"},
    {"q": "berlubang", "kind": "complaint", "region": "34.04", "agency": "pemda-34.04"},
    {"status": "routed", "region": "35", "category": "roads_infrastructure"},
]


@pytest.fixture
def index(settings: Any, tmp_path: Path) -> Iterator[Any]:
    settings.LAPOR_SEARCH_INDEX = str(tmp_path / "search")
    public_index._READER.clear()
    yield settings
    public_index._READER.clear()


@pytest.fixture
def reports(world: World) -> dict[str, Report]:
    return {
        "routed": report_in(world, Status.ROUTED),
        "in_progress": report_in(world, Status.IN_PROGRESS),
        "anonymous": report_in(world, Status.ROUTED, anonymous=True),
        "confidential": report_in(world, Status.ROUTED, confidential=True),
        "archived": report_in(world, Status.ARCHIVED),
        "unverified": submit(world).report,
    }


def _listed(client: Client, params: dict[str, str]) -> tuple[list[str], int, bool]:
    response = client.get("/api/v1/reports", params)
    assert response.status_code == 200, response.content
    page = response.json()
    return [item["tracking_id"] for item in page["items"]], page["count"], page["count_exact"]


def _fresh() -> None:
    public_index._READER.clear()  # a process rereads the index once a second; a test does not wait


def test_the_index_holds_the_public_reports_only(reports: dict[str, Report], index: Any) -> None:
    assert public_index.rebuild() == 3
    public = [reports[name] for name in ("anonymous", "in_progress", "routed")]  # newest first
    assert public_index.newest_ids(ReportFilters(q="berlubang"), 10) == [r.pk for r in public]
    assert public_index.newest_ids(ReportFilters(status="routed", region="34"), 10) == [
        reports["anonymous"].pk,
        reports["routed"].pk,
    ]
    assert public_index.newest_ids(ReportFilters(q="berlubang"), 1) == [reports["anonymous"].pk]
    # Two filters or more are asked as the pairs they make (one term for each two of them).
    three = ReportFilters(status="routed", region="34", category="roads_infrastructure")
    assert public_index.newest_ids(three, 10) == [reports["anonymous"].pk, reports["routed"].pk]
    assert (
        public_index.newest_ids(
            ReportFilters(status="routed", region="35", category="roads_infrastructure"), 10
        )
        == []
    )
    everything = ReportFilters(
        q="berlubang", kind="complaint", region="34.04", agency="pemda-34.04", status="in_progress"
    )
    assert public_index.newest_ids(everything, 10) == [reports["in_progress"].pk]
    assert public_index.newest_ids(ReportFilters(status="routed"), 10) == [
        reports["anonymous"].pk,
        reports["routed"].pk,
    ]
    assert public_index.newest_ids(ReportFilters(category="roads_infrastructure"), 10) is None  # PostgreSQL's
    assert public_index.newest_ids(ReportFilters(q=reports["routed"].tracking_id), 10) is None  # its key
    assert public_index.newest_ids(ReportFilters(q="!!!"), 10) is None  # no word at all: as PostgreSQL does


def test_the_public_list_answers_from_the_index_as_from_postgresql(
    reports: dict[str, Report], index: Any
) -> None:
    public_index.rebuild()
    for params in LISTS:
        with override_settings(LAPOR_SEARCH_INDEX=""):
            expected = _listed(Client(), params)
        _fresh()
        assert _listed(Client(), params) == expected, params
    assert _listed(Client(), {"q": "berlubang"})[1] == 3


def test_until_the_sync_a_changed_filter_shows_the_old_match_but_a_cursor_reads_postgresql(
    world: World, reports: dict[str, Report], index: Any
) -> None:
    public_index.rebuild()
    moved = reports["routed"]
    services.report_accept(report=moved, actor=world.viewer("admin_pemda"))  # routed -> in progress
    _fresh()
    routed = {"q": "berlubang", "status": "routed", "page_size": "1"}
    first = Client().get("/api/v1/reports", routed).json()
    assert first["count"] == 2  # the copy still files it under "routed", for a sync's time
    following = Client().get("/api/v1/reports", {**routed, "cursor": first["next_cursor"]}).json()
    assert following["items"] == []  # a cursor page reads PostgreSQL: it is in progress now
    public_index.sync()
    _fresh()
    assert Client().get("/api/v1/reports", routed).json()["count"] == 1


@pytest.mark.parametrize(
    "viewer",
    [
        "verifier",
        "admin_pemda",
        "officer_pu",
        "supervisor",
        "province_supervisor",
        "citizen",
        "other_citizen",
    ],
)
def test_a_viewer_who_sees_more_than_the_public_never_reads_the_index(
    world: World, reports: dict[str, Report], index: Any, viewer: str
) -> None:
    public_index.rebuild()
    client = client_for(getattr(world, viewer))
    for params in LISTS:
        with override_settings(LAPOR_SEARCH_INDEX=""):
            expected = _listed(client, params)
        _fresh()
        assert _listed(client, params) == expected, (viewer, params)
    # The web list is the public's view for everyone signed in, and shows what the public may see.
    page = client_as(getattr(world, viewer)).get("/laporan/", {"q": "berlubang"}).content.decode()
    for name, report in reports.items():
        assert (report.tracking_id in page) == (name in {"routed", "in_progress", "anonymous"}), name
    anonymous_page = Client().get("/laporan/", {"q": "berlubang"}).content.decode()
    assert reports["anonymous"].tracking_id in anonymous_page and "Siti Aminah" not in anonymous_page


def test_a_report_that_stops_being_public_leaves_every_list_before_the_sync(
    world: World, reports: dict[str, Report], index: Any
) -> None:
    public_index.rebuild()
    routed = reports["routed"]
    services.report_archive(report=routed, actor=world.viewer("verifier"), reason="too_general")
    _fresh()
    assert routed.pk in public_index.newest_ids(ReportFilters(q="berlubang"), 10)  # the copy is behind...
    ids, count, _exact = _listed(Client(), {"q": "berlubang"})
    assert routed.tracking_id not in ids and len(ids) == 2  # ...and the list's rows are not
    assert count == 3  # only its count is the copy's, until the sync
    page = Client().get("/laporan/", {"q": "berlubang"}).content.decode()
    assert routed.tracking_id not in page
    # A sync takes the change, and a report verified since then.
    newcomer = submit(world).report
    services.report_route(report=newcomer, agency=world.pemda, actor=world.viewer("verifier"))
    assert public_index.sync() >= 2
    _fresh()
    found = public_index.newest_ids(ReportFilters(q="berlubang"), 10)
    assert found is not None and routed.pk not in found and found[0] == newcomer.pk
    assert _listed(Client(), {"q": "berlubang"})[1:] == (3, True)


def test_the_web_lists_numbered_pages_come_from_the_index_and_its_cursor_pages_never_ask_it(
    reports: dict[str, Report], index: Any, monkeypatch: Any
) -> None:
    """Page one of a search is the index's; a cursor page is read from PostgreSQL alone, so it
    never pays for the index's walk and count."""
    public_index.rebuild()
    _fresh()
    asked: list[ReportFilters] = []
    walk = public_index.newest_ids
    monkeypatch.setattr(
        public_index, "newest_ids", lambda filters, limit: asked.append(filters) or walk(filters, limit)
    )
    first = Client().get("/laporan/", {"q": "berlubang"}).content.decode()
    assert reports["routed"].tracking_id in first and len(asked) == 1
    cursor = cursor_before_everything()
    older = Client().get("/laporan/", {"q": "berlubang", "cursor": cursor}).content.decode()
    assert reports["routed"].tracking_id in older and reports["confidential"].tracking_id not in older
    assert len(asked) == 1


def test_an_index_left_behind_is_not_read(reports: dict[str, Report], index: Any) -> None:
    public_index.rebuild()
    state_file = Path(index.LAPOR_SEARCH_INDEX) / public_index.STATE
    state = json.loads(state_file.read_text())
    long_ago = time.time() - 10 * index.LAPOR_SEARCH_INDEX_MAX_LAG
    state_file.write_text(json.dumps({**state, "synced_at": long_ago}))
    _fresh()
    assert public_index.newest_ids(ReportFilters(q="berlubang"), 10) is None
    assert _listed(Client(), {"q": "berlubang"})[1] == 3  # PostgreSQL answers


def test_the_search_command(reports: dict[str, Report], index: Any) -> None:
    out = io.StringIO()
    call_command("search", "sync", stdout=out)  # no index yet: it is built
    call_command("search", "status", stdout=out)
    lines = out.getvalue().splitlines()
    assert json.loads(lines[0]) == {"taken": 0}
    status = json.loads(lines[1])
    assert status["reports"] == 3 and status["lag_s"] < 60
    index.LAPOR_SEARCH_INDEX = ""
    with pytest.raises(CommandError):
        call_command("search", "rebuild")


def test_the_walk_covers_each_day_once_newest_first_in_blocks_that_at_most_double() -> None:
    for newest, oldest in [(20_422, 20_422 - 1_100), (20_480, 20_000), (20_001, 20_001), (9_000, 1)]:
        days, sizes = [], []
        for span in public_index._walk(newest, oldest):
            size, block = span >> 32, span & 0xFFFFFFFF
            days += range(((block + 1) << size) - 1, (block << size) - 1, -1)
            sizes.append(1 << size)
            assert all(span in public_index._spans(day) for day in (block << size, ((block + 1) << size) - 1))
        assert days[: newest - oldest + 1] == list(range(newest, oldest - 1, -1))
        assert len(days) - (newest - oldest + 1) < sizes[-1]  # the last block may reach past the oldest
        assert all(later <= 2 * earlier for earlier, later in zip(sizes, sizes[1:], strict=False))
        assert len(sizes) <= 2 * (newest - oldest + 1).bit_length() + (len(days) >> (public_index.SPANS - 1))


def test_the_first_search_takes_the_first_days_together_then_one_block_each() -> None:
    for newest, oldest in [(20_422, 20_422 - 1_100), (20_480, 20_000), (20_001, 20_001), (20_003, 20_000)]:
        steps = list(public_index._steps(newest, oldest))
        assert [span for step in steps for span in step] == list(public_index._walk(newest, oldest))
        first_days = public_index._days_in(steps[0])
        assert first_days >= min(public_index.PROBE_DAYS, newest - oldest + 1)
        # No block more than needed: without its last block, the first search covers too few days.
        assert first_days - public_index._days_in(steps[0][-1:]) < public_index.PROBE_DAYS
        assert all(len(step) == 1 for step in steps[1:])


def test_the_id_column_holds_each_id_scrambled_and_gives_it_back() -> None:
    ids = [1, 2, 3, 1_000, 8_426_824, 10**9, 2**public_index._ID_BITS - 1]
    stored = [public_index._stored_id(pk) for pk in ids]
    assert [public_index._report_id(value) for value in stored] == ids
    assert len(set(stored)) == len(ids) and stored[:3] != sorted(stored[:3])  # not in the ids' order
    with pytest.raises(ValueError, match="does not fit"):
        public_index._stored_id(2**public_index._ID_BITS)


@pytest.mark.parametrize("step_docs", [1, public_index.STEP_DOCS])  # walk as far as it will; never
def test_lists_walk_back_through_years_and_stop_at_the_limit(
    world: World, reports: dict[str, Report], index: Any, monkeypatch: Any, step_docs: int
) -> None:
    """Reports filed over eight years: the index answers each list in PostgreSQL's order, whether the
    walk over the last days finds enough, one search over every day follows it, or comes at once."""
    monkeypatch.setattr(public_index, "STEP_DOCS", step_docs)
    now = timezone.now()
    ages = [0, 1, 3, 9, 40, 400, 1_500, 2_900]  # days
    filed = [report_in(world, Status.ROUTED) for _ in ages]
    for report, age in zip(filed, ages, strict=True):
        Report.objects.filter(pk=report.pk).update(created_at=now - timedelta(days=age, hours=1))
    public_index.rebuild()
    for params in [
        *LISTS,
        {"q": "berlubang", "page_size": "3"},
        {"q": "berlubang", "page": "3", "page_size": "4"},
    ]:
        with override_settings(LAPOR_SEARCH_INDEX=""):
            expected = _listed(Client(), params)
        _fresh()
        assert _listed(Client(), params) == expected, params
    routed = ReportFilters(q="berlubang", status="routed")
    in_order = reports_visible_to(viewer=Viewer.public(), filters=routed).values_list("pk", flat=True)
    for limit in range(1, len(in_order) + 2):  # the walk's first block, later ones, and past HORIZON
        assert public_index.newest_ids(routed, limit) == list(in_order[:limit]), limit
    assert _listed(Client(), {"q": "berlubang"})[1] == len(ages) + 3


def test_an_index_of_another_version_is_not_read_and_the_sync_rebuilds_it(
    reports: dict[str, Report], index: Any
) -> None:
    public_index.rebuild()
    state_file = Path(index.LAPOR_SEARCH_INDEX) / public_index.STATE
    state = json.loads(state_file.read_text())
    state_file.write_text(json.dumps({**state, "version": public_index.VERSION - 1}))
    _fresh()
    assert public_index.newest_ids(ReportFilters(q="berlubang"), 10) is None
    assert public_index.sync() == 0  # rebuilt, not synced
    _fresh()
    assert len(public_index.newest_ids(ReportFilters(q="berlubang"), 10) or []) == 3


def test_the_sync_finds_what_changed_by_an_index_not_by_reading_the_table() -> None:
    """Every few seconds, at any size: each sync read all 10M reports before `report_updated`."""
    sql, params = public_index._rows(changed_since=timezone.now()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small test table would be read whole anyway
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "report_updated" in plan, plan


def test_reports_filed_at_the_same_moment_come_in_postgresqls_order_after_a_sync(
    world: World, reports: dict[str, Report], index: Any
) -> None:
    """A bulk filing gives a whole batch one `created_at`. PostgreSQL orders such ties by id, newest
    first; the index must too, at every limit (where the numbered pages end and a cursor goes on
    from the last row), also after a sync has re-added some of them after the others."""
    moment = timezone.now() - timedelta(hours=2)
    tied = [report_in(world, Status.ROUTED) for _ in range(5)]
    Report.objects.filter(pk__in=[r.pk for r in tied]).update(created_at=moment)
    public_index.rebuild()
    Report.objects.filter(pk__in=[tied[1].pk, tied[3].pk]).update(updated_at=timezone.now())
    public_index.sync()  # both are removed and added again: after the others in the index
    _fresh()
    routed = ReportFilters(status="routed")
    in_order = list(reports_visible_to(viewer=Viewer.public(), filters=routed).values_list("pk", flat=True))
    for limit in range(1, len(in_order) + 2):
        assert public_index.newest_ids(routed, limit) == in_order[:limit], limit
