"""The Redis mode for real: with Redis down a report is still accepted and its notification waits in
the outbox; once Redis is back, the flush enqueues it on RQ and an RQ worker delivers it, once."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILE_REPORT = """
import django; django.setup()
from lapor.agencies.access import Viewer
from lapor.reports import services
submitted = services.report_submit(actor=Viewer.public(), draft=services.ReportDraft(
    body="Lampu penerangan jalan di depan SD Negeri 3 padam sejak sebulan, jalan gelap dan rawan.",
    reporter_name="Budi", reporter_email="budi@contoh.id"))
print(submitted.report.tracking_id)
"""
OUTBOX_STATES = """
import django; django.setup()
from lapor.notifications.models import OutboxMessage
print(",".join(OutboxMessage.objects.order_by("created_at").values_list("state", flat=True)))
"""

RELAY = """
import django; django.setup()
import django_rq
from lapor.notifications.delivery import flush
enqueued = flush()
one_pool = django_rq.get_connection().connection_pool is django_rq.get_connection().connection_pool
print(f"enqueued {enqueued}, one pool {one_pool}")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.own_processes
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_report_accepted_while_redis_is_down_and_notified_once_it_is_back(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LAPOR_TASKS"}}
    env.update(
        LAPOR_VAR_DIR=str(tmp_path),
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="lapor.settings",
        LAPOR_EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )

    def lapor(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "lapor.cli", *args], env=env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def python(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    lapor("migrate", "--noinput", "-v", "0")
    # Redis is down: filing still succeeds, and the receipt waits in the outbox
    tracking_id = python(FILE_REPORT)
    assert tracking_id.startswith("LPR-")
    assert python(OUTBOX_STATES) == "pending"
    assert not (tmp_path / "mail").exists()

    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        assert '"enqueued": 1' in lapor("outbox", "flush")
        lapor("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job")
        assert python(OUTBOX_STATES) == "sent"
        mails = list((tmp_path / "mail").glob("*.log"))
        assert len(mails) == 1 and tracking_id in mails[0].read_text()
        # A second flush finds nothing to do: delivered once
        assert '"enqueued": 0' in lapor("outbox", "flush")
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def _redis_reachable(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.own_processes
@pytest.mark.skipif(
    not _redis_reachable(6379) and not os.environ.get("LAPOR_REQUIRE_REDIS"),
    reason="no Redis service on 127.0.0.1:6379",
)
def test_rq_mode_on_the_redis_service(tmp_path: Path) -> None:
    """The production mode as operators run it: REDIS_URL set, cache and tasks on the Redis service."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LAPOR_TASKS"}}
    env.update(
        LAPOR_VAR_DIR=str(tmp_path),
        REDIS_URL="redis://127.0.0.1:6379/13",
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="lapor.settings",
        LAPOR_EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    run = {"env": env, "capture_output": True, "text": True, "timeout": 180}
    lapor = [sys.executable, "-m", "lapor.cli"]
    assert subprocess.run([*lapor, "migrate", "--noinput", "-v", "0"], **run).returncode == 0  # type: ignore[call-overload]
    filed = subprocess.run([sys.executable, "-c", FILE_REPORT], **run)  # type: ignore[call-overload]
    assert filed.returncode == 0, filed.stderr
    tracking_id = filed.stdout.strip().splitlines()[-1]
    # The filing enqueued nothing: the worker's relay hands the receipt to RQ (ADR 0028), through the
    # connection pool the cache lends to django-rq, not a new connection per job.
    relay = subprocess.run([sys.executable, "-c", RELAY], **run)  # type: ignore[call-overload]
    assert relay.returncode == 0, relay.stderr
    assert relay.stdout.strip().splitlines()[-1] == "enqueued 1, one pool True"
    worker = subprocess.run(
        [*lapor, "rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job"], **run
    )  # type: ignore[call-overload]
    assert worker.returncode == 0, worker.stderr
    states = subprocess.run([sys.executable, "-c", OUTBOX_STATES], **run)  # type: ignore[call-overload]
    assert states.stdout.strip().splitlines()[-1] == "sent"
    assert tracking_id in next((tmp_path / "mail").glob("*.log")).read_text()
