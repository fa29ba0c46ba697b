"""A Hypothesis state machine drives random sequences of workflow actions, by random actors of every
role, through the real services, with the clock moving and the sweep running. After every step:

- every report's history is a walk through `MOVES`, and its status is where that walk ends;
- the stored deadlines fit the status (the current step's deadline is `due_at`);
- an action either succeeds because the table allows it, or fails with the project's error in the
  ADR 0004 order (404 hidden, 409 wrong status, 403 wrong actor, 422 bad input) and changes nothing;
- who sees what is decided by an oracle written here from the rules (not by calling the code under
  test), and compared with `reports_visible_to`, `report_get`, `report_out`/`reporter_for`,
  `event_out`, Open311's serialiser and the public list page.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from lapor.agencies.access import Viewer, viewer_for
from lapor.agencies.models import Agency, Unit
from lapor.channels import open311 as spec
from lapor.channels.apikeys import apikey_create, viewer_for_key
from lapor.core import clock
from lapor.core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from lapor.reports import services
from lapor.reports.models import Report, ReporterIdentity, TimelineEvent
from lapor.reports.presenters import event_out, report_out, report_summary
from lapor.reports.selectors import report_get, reports_visible_to, timeline_visible_to
from lapor.reports.sweep import sweep
from lapor.reports.workflow import MOVES, OPEN_STATUSES, Action, Actor, Status
from tests.factories import BODY, World

GUEST_NAME = "Budi Penyamar Tersembunyi"
GUEST_EMAIL = "budi.rahasia@contoh.id"
OWNER_EMAIL = "citizen@contoh.id"
# Business rules inside `apply` that answer 409 although the move itself is legal (ADR 0004).
RULE_CONFLICTS = {"reopen_limit", "reopen_window_passed", "escalation_max", "invalid_merge_target"}


@dataclass(frozen=True)
class Who:
    """One actor: their viewer, and the facts the oracle reasons from (never the code under test)."""

    name: str
    viewer: Viewer
    user_id: int | None = None
    everything: bool = False  # national verifier or a nationwide supervisor
    verifier: bool = False
    admin_of: frozenset[int] = frozenset()
    intake_of: frozenset[int] = frozenset()
    unit_of: frozenset[int] = frozenset()
    supervises: frozenset[int] = frozenset()


def _actors(world: World) -> dict[str, Who]:
    key = apikey_create(agency=world.pemda, name="Aplikasi Sleman", permissions=["submit", "read"])
    key_viewer = viewer_for_key(key.key)

    def person(name: str, **facts: Any) -> Who:
        user = getattr(world, name)
        return Who(name=name, viewer=viewer_for(user), user_id=user.pk, **facts)

    return {
        "public": Who(name="public", viewer=Viewer.public()),
        "citizen": person("citizen"),
        "other_citizen": person("other_citizen"),
        "verifier": person("verifier", everything=True, verifier=True),
        "admin_pemda": person("admin_pemda", admin_of=frozenset({world.pemda.pk})),
        "admin_pln": person("admin_pln", admin_of=frozenset({world.pln.pk})),
        "admin_kemensos": person(
            "admin_kemensos",
            admin_of=frozenset({world.kemensos.pk}),
            intake_of=frozenset({world.kemensos.pk}),
        ),
        "officer_pu": person("officer_pu", unit_of=frozenset({world.unit_pu.pk})),
        "supervisor": person("supervisor", everything=True),  # Ombudsman: nationwide
        "province_supervisor": person(
            "province_supervisor", supervises=frozenset({world.pemda_province.pk, world.pemda.pk})
        ),
        "apikey": Who(
            name="apikey",
            viewer=key_viewer,
            user_id=key.key.user_id,
            supervises=frozenset({world.pemda.pk}),
        ),
    }


ACTORS = [
    "public",
    "citizen",
    "other_citizen",
    "verifier",
    "admin_pemda",
    "admin_pln",
    "admin_kemensos",
    "officer_pu",
    "supervisor",
    "province_supervisor",
    "apikey",
]


def capacities(who: Who, r: Report, code: str | None) -> set[Actor]:
    held = set()
    if who.verifier:
        held.add(Actor.VERIFIER)
    if r.agency_id in who.admin_of or (
        r.status == Status.SUBMITTED and r.target_agency_hint_id in who.intake_of
    ):
        held.add(Actor.AGENCY_ADMIN)
    if r.unit_id is not None and r.unit_id in who.unit_of:
        held.add(Actor.UNIT_OFFICER)
    if (who.user_id is not None and r.reporter_id == who.user_id) or (who.name == "public" and code):
        held.add(Actor.REPORTER)
    return held


def ever_routed(r: Report) -> bool:
    return r.events.filter(action=Action.ROUTE).exists()


def publicly_visible(r: Report) -> bool:
    return not r.confidential and r.status != Status.ARCHIVED and ever_routed(r)


def may_see(who: Who, r: Report, code: str | None = None) -> bool:
    return bool(
        who.everything
        or capacities(who, r, code)
        or (r.agency_id is not None and r.agency_id in who.supervises)
        or publicly_visible(r)
    )


def may_see_contact(who: Who, r: Report, code: str | None) -> bool:
    """Name and contact details: the reporter, a verifier, and (named reports) the staff handling it."""
    if Actor.REPORTER in capacities(who, r, code):
        return True
    if who.verifier:
        return True
    if r.anonymous:
        return False
    return bool(
        who.everything
        or capacities(who, r, None) & {Actor.AGENCY_ADMIN, Actor.UNIT_OFFICER}
        or (r.agency_id is not None and r.agency_id in who.supervises)
    )


def snapshot(r: Report) -> tuple[Any, ...]:
    fresh = Report.objects.get(pk=r.pk)
    return (
        fresh.status,
        fresh.updated_at,
        fresh.events.count(),
        fresh.agency_id,
        fresh.unit_id,
        fresh.due_at,
    )


class WorkflowMachine(RuleBasedStateMachine):
    world: World
    who: dict[str, Who]

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[Report] = []
        self.codes: dict[int, str] = {}  # guest access codes by report pk
        self.now = clock.now()
        self.touched: Report | None = None

    # --- filing ---------------------------------------------------------------------------------

    @initialize()
    def first_report(self) -> None:
        self._file("citizen", anonymous=False, confidential=False, target=None)

    @rule(
        filer=st.sampled_from(["citizen", "guest", "apikey", "other_citizen"]),
        anonymous=st.booleans(),
        confidential=st.booleans(),
        hint=st.sampled_from([None, "kemensos"]),
    )
    def file(self, filer: str, anonymous: bool, confidential: bool, hint: str | None) -> None:
        if len(self.reports) < 5:
            self._file(filer, anonymous=anonymous, confidential=confidential, target=hint)

    def _file(self, filer: str, *, anonymous: bool, confidential: bool, target: str | None) -> None:
        guest = filer == "guest"
        draft = services.ReportDraft(
            body=BODY,
            title="Jalan berlubang di Godean",
            region="34.04",
            category="roads_infrastructure",
            anonymous=anonymous,
            confidential=confidential,
            target_agency=target,
            reporter_name=GUEST_NAME if guest else "",
            reporter_email=GUEST_EMAIL if guest else "",
        )
        actor = Viewer.public() if guest else self.who[filer].viewer
        with clock.frozen_at(self.now):
            submitted = services.report_submit(draft=draft, actor=actor)
        report = submitted.report
        assert report.status == Status.SUBMITTED and report.verify_due_at is not None
        if guest:
            assert submitted.access_code
            self.codes[report.pk] = submitted.access_code
        else:
            assert submitted.access_code is None
        self.reports.append(report)
        self.touched = report

    # --- actions ----------------------------------------------------------------------------------

    def _attempt(self, action: Action, actor: str, index: int, call: Any, *, code_ok: bool = True) -> None:
        report = Report.objects.get(pk=self.reports[index % len(self.reports)].pk)
        who = self.who[actor]
        code = self.codes.get(report.pk) if (actor == "public" and code_ok) else None
        visible = may_see(who, report, code)
        legal = report.status in MOVES[action].sources
        allowed = bool(capacities(who, report, code) & MOVES[action].actors)
        before = snapshot(report)
        self.touched = report
        try:
            with clock.frozen_at(self.now):
                call(report=report, actor=who.viewer, code=code)
        except NotFound:
            assert not visible, (action, actor, report.status)
        except Conflict as exc:
            assert visible, (action, actor)
            assert not legal or (allowed and exc.code in RULE_CONFLICTS), (
                action,
                actor,
                report.status,
                exc.code,
            )
        except Forbidden:
            assert visible and legal and not allowed, (action, actor, report.status)
        except Invalid:
            assert visible and legal and allowed, (action, actor, report.status)
        else:
            assert visible and legal and allowed, (action, actor, report.status, "should have been refused")
            report.refresh_from_db()
            target = MOVES[action].target
            assert report.status == (target or before[0])
            return
        assert snapshot(report) == before, f"{action} by {actor} failed but changed the report"

    ACTOR = st.sampled_from(ACTORS)
    INDEX = st.integers(min_value=0, max_value=4)

    @rule(
        actor=ACTOR,
        index=INDEX,
        agency=st.sampled_from(["pemda", "pln", "kemensos"]),
        with_unit=st.booleans(),
    )
    def route(self, actor: str, index: int, agency: str, with_unit: bool) -> None:
        target: Agency = getattr(self.world, agency)
        unit: Unit | None = self.world.unit_pu if with_unit and agency == "pemda" else None

        def call(report: Report, actor: Viewer, code: str | None) -> None:
            services.report_route(report=report, agency=target, unit=unit, actor=actor)

        self._attempt(Action.ROUTE, actor, index, call)

    @rule(actor=ACTOR, index=INDEX)
    def hold(self, actor: str, index: int) -> None:
        self._attempt(
            Action.HOLD,
            actor,
            index,
            lambda report, actor, code: services.report_hold(
                report=report, actor=actor, message="Mohon lampirkan foto lokasi."
            ),
        )

    @rule(actor=ACTOR, index=INDEX)
    def provide_info(self, actor: str, index: int) -> None:
        self._attempt(
            Action.PROVIDE_INFO,
            actor,
            index,
            lambda report, actor, code: services.report_provide_info(
                report=report, actor=actor, message="Foto lokasi terlampir.", access_code=code
            ),
        )

    @rule(actor=ACTOR, index=INDEX)
    def archive(self, actor: str, index: int) -> None:
        self._attempt(
            Action.ARCHIVE,
            actor,
            index,
            lambda report, actor, code: services.report_archive(
                report=report, actor=actor, reason="too_general"
            ),
        )

    @rule(actor=ACTOR, index=INDEX)
    def accept(self, actor: str, index: int) -> None:
        self._attempt(
            Action.ACCEPT,
            actor,
            index,
            lambda report, actor, code: services.report_accept(report=report, actor=actor),
        )

    @rule(actor=ACTOR, index=INDEX)
    def forward(self, actor: str, index: int) -> None:
        unit = self.world.unit_pu

        def call(report: Report, actor: Viewer, code: str | None) -> None:
            services.report_forward(report=report, unit=unit, actor=actor)

        self._attempt(Action.FORWARD, actor, index, call)

    @rule(actor=ACTOR, index=INDEX)
    def decline(self, actor: str, index: int) -> None:
        self._attempt(
            Action.DECLINE,
            actor,
            index,
            lambda report, actor, code: services.report_decline(
                report=report, actor=actor, reason="not_authority", message="Bukan kewenangan kami."
            ),
        )

    @rule(actor=ACTOR, index=INDEX)
    def respond(self, actor: str, index: int) -> None:
        self._attempt(
            Action.RESPOND,
            actor,
            index,
            lambda report, actor, code: services.report_respond(
                report=report, actor=actor, message="Perbaikan dijadwalkan minggu depan oleh Dinas PU."
            ),
        )

    @rule(actor=ACTOR, index=INDEX)
    def reply(self, actor: str, index: int) -> None:
        self._attempt(
            Action.REPLY,
            actor,
            index,
            lambda report, actor, code: services.report_reply(
                report=report, actor=actor, message="Belum diperbaiki sampai sekarang.", access_code=code
            ),
        )

    @rule(actor=ACTOR, index=INDEX, rating=st.integers(min_value=0, max_value=6))
    def confirm(self, actor: str, index: int, rating: int) -> None:
        self._attempt(
            Action.CONFIRM,
            actor,
            index,
            lambda report, actor, code: services.report_confirm(
                report=report, actor=actor, rating=rating, access_code=code
            ),
        )

    @rule(actor=ACTOR, index=INDEX)
    def reopen(self, actor: str, index: int) -> None:
        self._attempt(
            Action.REOPEN,
            actor,
            index,
            lambda report, actor, code: services.report_reopen(
                report=report, actor=actor, message="Lubang muncul lagi setelah hujan.", access_code=code
            ),
        )

    @rule(actor=ACTOR, index=INDEX)
    def support(self, actor: str, index: int) -> None:
        report = Report.objects.get(pk=self.reports[index % len(self.reports)].pk)
        who = self.who[actor]
        before = report.supporters_count
        self.touched = report
        try:
            services.report_support(report=report, actor=who.viewer)
        except (Unauthenticated, NotFound, Conflict) as exc:
            assert isinstance(exc, Unauthenticated) == (who.user_id is None) or not publicly_visible(report)
            assert Report.objects.get(pk=report.pk).supporters_count == before
        else:
            assert who.user_id is not None and publicly_visible(report), (actor, report.status)
            assert report.reporter_id != who.user_id

    @rule(days=st.integers(min_value=1, max_value=40))
    def sweep_later(self, days: int) -> None:
        self.now += timedelta(days=days)
        sweep(now=self.now)
        self.touched = None

    # --- invariants -------------------------------------------------------------------------------

    @invariant()
    def histories_follow_the_table(self) -> None:
        for report in self.reports:
            r = Report.objects.get(pk=report.pk)
            status: str = Status.SUBMITTED
            for event in r.events.order_by("created_at", "id"):
                if event.action == "submit":
                    assert event.to_status == Status.SUBMITTED
                    continue
                if event.action not in MOVES:  # notes, reminders and other non-moves keep the status
                    assert event.to_status == status, event.action
                    continue
                action = Action(event.action)
                assert event.from_status == status, (event.action, event.from_status, status)
                assert status in MOVES[action].sources, (action, status)
                status = MOVES[action].target or status
                assert event.to_status == status
            assert r.status == status, (r.tracking_id, r.status, status)
            _deadlines_fit(r)

    @invariant()
    def nobody_sees_what_they_may_not(self) -> None:
        pks = [r.pk for r in self.reports]
        fresh = {r.pk: r for r in Report.objects.filter(pk__in=pks)}
        for who in self.who.values():
            listed = set(
                reports_visible_to(viewer=who.viewer).filter(pk__in=pks).values_list("pk", flat=True)
            )
            expected = {pk for pk, r in fresh.items() if may_see(who, r)}
            assert listed == expected, (who.name, listed ^ expected)
        if self.touched is not None:  # the full per-surface check on the report this step touched
            for who in self.who.values():
                check_surfaces(who, fresh[self.touched.pk], self.codes.get(self.touched.pk))

    def teardown(self) -> None:
        if not self.reports:
            return
        fresh = list(Report.objects.filter(pk__in=[r.pk for r in self.reports]))
        for report in fresh:
            for who in self.who.values():
                check_surfaces(who, report, self.codes.get(report.pk))
        check_public_pages(fresh)


def _deadlines_fit(r: Report) -> None:
    step_deadline = {
        Status.SUBMITTED: r.verify_due_at,
        Status.ON_HOLD: None,  # the clock is paused while the reporter is asked for more
        Status.ROUTED: r.followup_due_at,
        Status.IN_PROGRESS: r.followup_due_at,
        Status.RESPONDED: r.reply_due_at,
    }
    if r.status in OPEN_STATUSES:
        if r.status == Status.ON_HOLD:
            assert r.hold_expires_at is not None
        else:
            expected = step_deadline[Status(r.status)]
            assert expected is not None and r.due_at == expected, (
                r.status,
                r.due_at,
            )
    else:
        assert r.due_at is None, (r.status, r.due_at)
        assert r.next_escalation_at is None and r.remind_at is None
    if r.status in {Status.ROUTED, Status.IN_PROGRESS, Status.RESPONDED}:
        assert r.agency_id is not None and r.resolution_due_at is not None
    if r.status == Status.CLOSED:
        assert r.closed_at is not None
    for moment in (r.verify_due_at, r.followup_due_at, r.reply_due_at, r.resolution_due_at):
        assert moment is None or moment > r.created_at
    assert r.verified_at is None or ever_routed(r)


def _leaks(text: str, r: Report, *, contact: bool) -> bool:
    identity = ReporterIdentity.objects.filter(report=r).first()
    if identity is None:
        return False
    secrets = [identity.email, identity.phone] if contact else [identity.name, identity.email, identity.phone]
    return any(s and s in text for s in secrets)


def check_surfaces(who: Who, r: Report, code: str | None) -> None:
    """One report as `who` sees it on every surface that renders it."""
    expected = may_see(who, r, code if who.name == "public" else None)
    try:
        access = report_get(
            viewer=who.viewer, tracking_id=r.tracking_id, access_code=code if who.name == "public" else None
        )
    except NotFound:
        assert not expected, (who.name, r.status, "hidden from someone who may see it")
        return
    assert expected, (
        who.name,
        r.tracking_id,
        r.status,
        r.confidential,
        "visible to someone who may not see it",
    )
    out = report_out(access, surface="test")
    shown = out["reporter"]
    if r.anonymous and not (who.verifier or Actor.REPORTER in access.capacities):
        assert shown is None, (who.name, "anonymous reporter shown")
    if shown is not None and not may_see_contact(who, r, code if who.name == "public" else None):
        assert shown.get("email") is None and shown.get("phone") is None, (who.name, shown)
    staff = access.is_handler
    for event in timeline_visible_to(access):
        rendered = event_out(event, staff=staff)
        if not staff:
            assert event.visibility == TimelineEvent.Visibility.PUBLIC and rendered["note"] is None
        assert not _leaks(repr(rendered), r, contact=False) or who.verifier
    assert not _leaks(repr(report_summary(r)), r, contact=False)  # list rows carry no identity at all
    row = spec.with_status_notes(Report.objects.filter(pk=r.pk).select_related("category", "agency")).get()
    assert not _leaks(repr(spec.request_out(row)), r, contact=False)


def check_public_pages(reports: list[Report]) -> None:
    """The public list and Open311 show public reports only, and never a reporter."""
    client = Client()
    page = client.get("/laporan/").content.decode()
    feed = client.get(
        "/open311/v2/requests.json", {"service_request_id": ",".join(r.tracking_id for r in reports)}
    )
    assert feed.status_code == 200
    open311_ids = {row["service_request_id"] for row in feed.json()}
    for r in reports:
        if not publicly_visible(r):
            assert r.tracking_id not in page and r.tracking_id not in open311_ids, (r.tracking_id, r.status)
        if r.anonymous:
            assert not _leaks(page, r, contact=False) and not _leaks(feed.content.decode(), r, contact=False)
    assert OWNER_EMAIL not in page and GUEST_EMAIL not in page


@pytest.mark.django_db
def test_random_workflows_keep_every_invariant(world: World) -> None:
    WorkflowMachine.world = world
    WorkflowMachine.who = _actors(world)
    run_state_machine_as_test(
        WorkflowMachine,
        settings=settings(
            max_examples=20,  # bounded: ~400 steps, each checking every actor's view
            stateful_step_count=20,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
