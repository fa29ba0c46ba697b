"""Play the demo stories through the real services: every report gets the timeline, deadlines and
checks that real traffic gets, and a story that breaks a rule fails loudly instead of faking a row."""

from datetime import timedelta
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from lapor.agencies.access import Viewer, viewer_for
from lapor.agencies.models import Agency, Unit
from lapor.core.models import User
from lapor.reports import services
from lapor.reports.demo.accounts import ACCOUNTS, DEMO_PASSWORD, create_accounts
from lapor.reports.demo.steps import Step, Story
from lapor.reports.demo.stories_national import NATIONAL_STORIES
from lapor.reports.demo.stories_regional import REGIONAL_STORIES
from lapor.reports.models import Report

__all__ = ["STORIES", "demo_loaded", "load_demo"]

STORIES: tuple[Story, ...] = NATIONAL_STORIES + REGIONAL_STORIES


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


def demo_loaded() -> bool:
    return User.objects.filter(username__in=[a.username for a in ACCOUNTS]).exists()


def _missing_reference() -> set[str]:
    agencies = {a.agency for a in ACCOUNTS if a.agency}
    for story in STORIES:
        agencies |= {s.agency for s in story.steps if s.agency}
        agencies |= {story.target_agency} if story.target_agency else set()
    return agencies - set(Agency.objects.filter(code__in=agencies).values_list("code", flat=True))


def load_demo(*, stdout: Writer) -> None:
    """Create the demo accounts and reports once. Needs the reference data (`lapor seed`); a second
    call finds the accounts and does nothing, so whatever was done in the demo since is kept."""
    if demo_loaded():
        stdout.write("Data demo sudah dimuat sebelumnya; tidak ada yang diubah.\n")
        return
    if missing := _missing_reference():
        codes = ", ".join(sorted(missing))
        raise RuntimeError(f"Data rujukan belum lengkap ({codes}): jalankan `lapor seed` dulu.")
    with transaction.atomic():
        player = _Player(create_accounts())
        for story in STORIES:
            player.play(story)
    stdout.write(
        f"Data demo dimuat: {len(ACCOUNTS)} akun (kata sandi {DEMO_PASSWORD}), {len(STORIES)} laporan.\n"
    )


class _Player:
    def __init__(self, users: dict[str, User]) -> None:
        self.users = users
        self.viewers: dict[str, Viewer] = {}
        self.reports: dict[str, Report] = {}
        self.today = timezone.localdate()

    def viewer(self, username: str) -> Viewer:
        if username not in self.viewers:
            self.viewers[username] = viewer_for(self.users[username])
        return self.viewers[username]

    def play(self, story: Story) -> Report:
        filer = story.filer
        draft = services.ReportDraft(
            body=story.body,
            kind=story.kind,
            title=story.title,
            incident_date=self.today - timedelta(days=story.days_ago) if story.days_ago is not None else None,
            region=story.region,
            address=story.address,
            category=story.category,
            target_agency=story.target_agency,
            tags=story.tags,
            anonymous=story.anonymous,
            confidential=story.confidential,
            reporter_name=filer.name,
            reporter_email=filer.email,
            reporter_phone=filer.phone,
            channel=story.channel,
        )
        reporter = self.viewer(filer.username) if filer.username else Viewer.public()
        submitted = services.report_submit(draft=draft, actor=reporter)
        report, code = submitted.report, submitted.access_code
        assert isinstance(report, Report)  # nosec B101  # type narrowing; no external_ref, never a receipt
        for step in story.steps:
            self._step(report, step, reporter=reporter, access_code=code)
        self.reports[story.key] = report
        return report

    def _step(self, report: Report, step: Step, *, reporter: Viewer, access_code: str | None) -> None:
        if step.action in {"route", "hold", "archive", "merge"}:
            self._verifier_step(report, step)
        elif step.action in {"accept", "forward", "decline", "respond"}:
            self._agency_step(report, step)
        elif step.action in {"provide_info", "reply", "confirm", "reopen"}:
            self._reporter_step(report, step, reporter=reporter, code=access_code)
        elif step.action == "escalate":
            services.report_escalate(report=report, reason=step.reason)
        elif step.action == "auto_close":
            services.report_auto_close(report=report)
        elif step.action == "support":
            services.report_support(report=report, actor=self.viewer(step.by))
        else:
            raise ValueError(f"unknown demo step {step.action!r}")

    def _verifier_step(self, report: Report, step: Step) -> None:
        actor = self.viewer(step.by or "verifikator")
        if step.action == "route":
            agency = Agency.objects.get(code=step.agency)
            unit = Unit.objects.get(code=step.unit) if step.unit else None
            services.report_route(
                report=report, agency=agency, unit=unit, actor=actor, message=step.text, note=step.note
            )
        elif step.action == "hold":
            services.report_hold(report=report, actor=actor, message=step.text, note=step.note)
        elif step.action == "archive":
            services.report_archive(
                report=report, actor=actor, reason=step.reason, message=step.text, note=step.note
            )
        else:
            services.report_merge(
                report=report, duplicate_of=self.reports[step.target], actor=actor, note=step.note
            )

    def _agency_step(self, report: Report, step: Step) -> None:
        if step.by:
            actor = self.viewer(step.by)
        else:
            assert report.agency is not None, f"{step.action} needs a handling agency"  # nosec B101  # demo data only
            actor = self.viewer(f"admin-{report.agency.code}")
        if step.action == "accept":
            services.report_accept(report=report, actor=actor, message=step.text)
        elif step.action == "forward":
            unit = Unit.objects.get(code=step.unit)
            services.report_forward(report=report, unit=unit, actor=actor, note=step.note)
        elif step.action == "decline":
            services.report_decline(
                report=report, actor=actor, reason=step.reason, message=step.text, note=step.note
            )
        else:
            services.report_respond(report=report, actor=actor, message=step.text, note=step.note)

    def _reporter_step(self, report: Report, step: Step, *, reporter: Viewer, code: str | None) -> None:
        if step.action == "provide_info":
            services.report_provide_info(report=report, actor=reporter, message=step.text, access_code=code)
        elif step.action == "reply":
            services.report_reply(report=report, actor=reporter, message=step.text, access_code=code)
        elif step.action == "confirm":
            services.report_confirm(
                report=report, actor=reporter, rating=step.rating, comment=step.text, access_code=code
            )
        else:
            services.report_reopen(report=report, actor=reporter, message=step.text, access_code=code)
