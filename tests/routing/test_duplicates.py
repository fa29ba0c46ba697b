"""Similar open reports: found by text within region/category, and only what the viewer may see."""

from typing import Any

import pytest

from lapor.reports import services
from lapor.reports.workflow import Status
from lapor.routing.duplicates import similar_reports
from tests.factories import REPORTER_NAME, World, report_in, submit

pytestmark = pytest.mark.django_db

QUERY: dict[str, Any] = {
    "title": "Jalan Godean berlubang",
    "body": "Jalan depan pasar Godean berlubang besar, sudah banyak pengendara jatuh",
}


def _ids(world: World, viewer: str, **extra: object) -> list[str]:
    found = similar_reports(viewer=world.viewer(viewer), **{**QUERY, "region": "34.04", **extra})
    return [r.tracking_id for r in found]


def test_public_open_report_is_offered_to_anyone(world: World) -> None:
    public = report_in(world, Status.ROUTED)
    found = similar_reports(viewer=world.viewer("public"), **QUERY, region="34.04")
    assert [r.tracking_id for r in found] == [public.tracking_id]
    hit = found[0]
    assert hit.title == "Jalan berlubang di Godean" and hit.status == "routed" and hit.supporters == 0
    assert 0.25 <= hit.score <= 1


def test_confidential_reports_are_never_offered_even_to_verifiers(world: World) -> None:
    secret = report_in(world, Status.ROUTED, confidential=True)
    for viewer in ("public", "citizen", "other_citizen", "verifier", "admin_pemda"):
        assert secret.tracking_id not in _ids(world, viewer)


def test_unverified_reports_are_only_offered_to_who_may_see_them(world: World) -> None:
    fresh = report_in(world, Status.SUBMITTED)  # not verified yet: not public
    assert fresh.tracking_id not in _ids(world, "public")
    assert fresh.tracking_id not in _ids(world, "other_citizen")
    assert fresh.tracking_id in _ids(world, "verifier")
    assert fresh.tracking_id in _ids(world, "citizen")  # their own


def test_closed_archived_and_merged_reports_are_not_open(world: World) -> None:
    closed = report_in(world, Status.CLOSED)
    archived = report_in(world, Status.ARCHIVED)
    survivor = report_in(world, Status.ROUTED)
    merged = submit(world).report
    services.report_merge(report=merged, duplicate_of=survivor, actor=world.viewer("verifier"))
    ids = _ids(world, "verifier")
    assert survivor.tracking_id in ids
    assert not {closed.tracking_id, archived.tracking_id, merged.tracking_id} & set(ids)


def test_unrelated_text_and_other_regions_are_not_similar(world: World) -> None:
    report_in(world, Status.ROUTED)
    assert (
        _ids(world, "verifier", title="Listrik padam", body="Listrik di rumah padam tiap malam, token gagal")
        == []
    )
    assert _ids(world, "verifier", region="35.78", category="social_aid") == []


def test_exclude_and_limit(world: World) -> None:
    first = report_in(world, Status.ROUTED)
    second = report_in(world, Status.ROUTED)
    assert set(_ids(world, "verifier")) == {first.tracking_id, second.tracking_id}
    assert _ids(world, "verifier", exclude_tracking_id=first.tracking_id) == [second.tracking_id]
    assert len(_ids(world, "verifier", limit=1)) == 1


def test_scope_is_inferred_from_the_text_when_the_form_has_none(world: World) -> None:
    public = report_in(world, Status.ROUTED)
    found = similar_reports(
        viewer=world.viewer("public"), title=QUERY["title"], body=QUERY["body"] + " di Kabupaten Sleman"
    )
    assert [r.tracking_id for r in found] == [public.tracking_id]


def test_no_identity_ever(world: World) -> None:
    report_in(world, Status.ROUTED, anonymous=True)
    found = similar_reports(viewer=world.viewer("verifier"), **QUERY, region="34.04")
    assert found and REPORTER_NAME not in repr(found) and "citizen" not in repr(found)
    assert set(vars(found[0])) == {"tracking_id", "title", "status", "score", "supporters"}
