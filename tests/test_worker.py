"""`make run` starts `lapor worker`: a routed report left alone gets its escalation events, and its
notifications are delivered, without anyone running a command."""

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROUTE_LONG_AGO = """
import django; django.setup()
from datetime import timedelta
from lapor.agencies.access import Viewer, viewer_for
from lapor.agencies.models import Agency, Membership, Role
from lapor.core import clock
from lapor.core.models import User
from lapor.reports import services
agency = Agency.objects.create(code="pemda-test", name="Pemerintah Kabupaten Contoh", kind="regency_gov")
verifier = User.objects.create_user("verifikator", email="v@contoh.id")
Membership.objects.create(user=verifier, agency=Agency.objects.create(
    code="lapor-nasional", name="Nasional", kind="national_node"), role=Role.VERIFIER)
with clock.frozen_at(clock.now() - timedelta(days=20)):
    report = services.report_submit(actor=Viewer.public(), draft=services.ReportDraft(
        body="Saluran air di depan pasar tersumbat sampah sehingga banjir setiap hujan turun.",
        reporter_name="Ani", reporter_email="ani@contoh.id")).report
    services.report_route(report=report, agency=agency, actor=viewer_for(verifier))
print(report.tracking_id)
"""
COUNT = """
import django; django.setup()
from lapor.reports.models import TimelineEvent
from lapor.notifications.models import OutboxMessage
escalations = TimelineEvent.objects.filter(action="escalate").count()
print(escalations, OutboxMessage.objects.filter(state="sent").count())
"""


@pytest.mark.own_processes
def test_the_worker_sweeps_and_delivers_on_its_own(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "LAPOR_TASKS"}}
    env.update(
        LAPOR_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="lapor.settings"
    )

    def python(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    subprocess.run(
        [sys.executable, "-m", "lapor.cli", "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    python(ROUTE_LONG_AGO)
    worker = subprocess.Popen(
        [sys.executable, "-m", "lapor.cli", "worker", "--sweep-every", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        escalations, sent = 0, 0
        while time.monotonic() < deadline:
            escalations, sent = map(int, python(COUNT).split())
            if escalations >= 2 and sent >= 3:
                break
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            time.sleep(1)
        # 20 days after routing, levels 1 and 2 are due (level 3 waits for 60 working days)
        assert escalations == 2
        assert sent >= 3  # receipt, routed, and the escalations told to the reporter, by the db worker
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)


def test_run_every_repeats_its_step_and_freezes_the_heap_once(django_db_blocker: Any) -> None:
    """The loop of `intake write-out --every` and `search sync --every` (ADR 0034). Each round checks
    the connections as a process outside any request must, so the database is reachable here.
    Frozen objects are those `gc.get_objects()` no longer lists."""
    import gc

    from lapor.core.tasks import run_every

    class Stop(Exception):
        pass

    markers: list[list[int]] = []
    listed: set[int] = set()

    def step() -> None:
        markers.append([len(markers)])  # an object made in this round, kept alive
        if len(markers) == 3:
            listed.update(id(obj) for obj in gc.get_objects())
            raise Stop

    try:
        with django_db_blocker.unblock(), pytest.raises(Stop):
            run_every(0.01, step)
    finally:
        gc.unfreeze()
    assert id(markers[0]) not in listed  # made before the first round ended: frozen
    assert id(markers[1]) in listed  # made after it: not frozen, there is no second freeze


def test_run_every_keeps_its_period_from_the_start_of_each_step(
    django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that took part of the period waits only for the rest of it; one that took longer than
    the period is followed at once (a writer behind on its journal catches up without pausing)."""
    from lapor.core import tasks

    class Stop(Exception):
        pass

    class Clock:
        """Stands in for `time` in lapor.core.tasks: steps advance it, sleeps are recorded."""

        def __init__(self) -> None:
            self.now, self.slept = 0.0, []

        def monotonic(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.slept.append(seconds)
            self.now += seconds

    clock, durations = Clock(), iter([0.3, 1.5, 0.0])

    def step() -> None:
        duration = next(durations, None)
        if duration is None:
            raise Stop
        clock.now += duration

    monkeypatch.setattr(tasks, "time", clock)
    monkeypatch.setattr(tasks.gc, "freeze", lambda: None)
    with django_db_blocker.unblock(), pytest.raises(Stop):
        tasks.run_every(1.0, step)
    assert clock.slept == pytest.approx([0.7, 0.0, 1.0])
