"""Issue 8, faults and load: under a locust load of citizens filing and tracking reports and verifiers
reading their queue, a gunicorn worker is SIGKILLed, PostgreSQL restarts and Redis stops and comes back.
The service recovers without a restart, every filing answered 2xx is stored exactly once, no report is
half-written, and the notifications written while Redis was down are delivered once it is back."""

import os
import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg
import pytest

from tests.resilience.cluster import (
    Stack,
    check_filings,
    db_now,
    http,
    outbox_of,
    reporter_email,
    stored_by_key,
    wait_for,
)

pytestmark = [pytest.mark.own_processes, pytest.mark.resilience]
LOAD = "faults"


def _grows(stack: Stack, by: int) -> None:
    """Wait for `by` more accepted filings: the load is going on through the fault."""
    target = len(stack.filings(LOAD)) + by
    wait_for(lambda: len(stack.filings(LOAD)) >= target, timeout=90, what=f"{by} more filings")


@contextmanager
def filings_held(stack: Stack, workers: int) -> Iterator[None]:
    """Hold every web worker inside a filing's transaction (the report row written, its timeline event
    waiting on a table lock), so the fault lands mid-request for certain and not by luck."""
    conn = psycopg.connect(f"host=127.0.0.1 port={stack.pg.port} user=postgres dbname=lapor")
    try:
        conn.execute("LOCK TABLE reports_timelineevent IN EXCLUSIVE MODE")
        waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        wait_for(lambda: stack.pg.query(waiting)[0][0] >= workers, timeout=60, what="filings in flight")
        yield
    finally:
        with suppress(psycopg.Error):
            conn.close()  # releases the lock, unless the fault already took the session with it


def test_the_service_survives_killed_workers_a_database_restart_and_redis_going_away(cluster: Stack) -> None:
    stack = cluster
    node = stack.start_node(workers=3)
    worker = stack.start_worker(f"{LOAD}-worker", ready=False)
    load = stack.locust(nodes=[node], users=12, seconds=50, token=stack.token, name=LOAD)
    _grows(stack, 10)

    # 1. A web worker is SIGKILLed in the middle of a filing; the master replaces it.
    with filings_held(stack, 3):
        victim = node.children()[0]
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda: victim not in node.children() and len(node.children()) == 3, timeout=30, what="respawn"
        )
    _grows(stack, 8)

    # 2. PostgreSQL restarts under the open transactions of every web worker, and the worker's connection.
    with filings_held(stack, 3):
        stack.pg.restart()
    _grows(stack, 8)

    # 3. Redis goes away: filing goes on, notifications wait in the outbox. The window opens once Redis
    # has exited: a filing committed while it was still shutting down may well have been enqueued.
    stack.redis.stop()
    redis_down = db_now(stack.pg)
    _grows(stack, 10)
    redis_up = db_now(stack.pg)
    stack.redis.start()

    load.popen.wait(timeout=240)  # the run ends, then each filing in flight finishes its retries
    assert node.alive() and worker.alive(), "nothing was restarted by hand, and nothing had to be"

    # Recovered without a restart: ready, and a new filing works on the same master.
    assert http("GET", f"{node.url}/readyz")[0] == 200
    key = str(uuid.uuid4())
    status, body = http(
        "POST",
        f"{node.url}/api/v1/reports",
        {
            "title": f"Uji ketahanan {key}",
            "body": "Jalan berlubang di depan pasar belum juga diperbaiki.",
            "reporter_name": "Warga Uji",
            "reporter_email": reporter_email(key),
        },
        {"Idempotency-Key": key},
    )
    assert status == 201, body

    # Every 2xx stored exactly once; nothing stored twice; nothing given up; nothing half-written.
    keys = check_filings(stack, LOAD)
    assert len(keys) >= 40
    assert stored_by_key(stack.pg)[key] == [body["tracking_id"]]

    # Notifications: all delivered once Redis is back, each exactly once, including those written
    # while it was down (they could not be enqueued then).
    def all_sent() -> bool:
        return all(row[1] == "sent" for row in outbox_of(stack.pg, [*keys, key]))

    wait_for(all_sent, timeout=90, what="the outbox to drain")
    messages = outbox_of(stack.pg, [*keys, key])
    assert len(messages) == len(keys) + 1  # one receipt per filing
    delivered = stack.delivered(f"{LOAD}-")
    assert sorted(delivered) == sorted(row[0] for row in messages)
    assert [mid for mid, where in delivered.items() if len(where) > 1] == []
    during = [row for row in messages if redis_down <= row[2] <= redis_up]
    assert during, "filings went on while Redis was down"
    assert all(row[3] >= redis_up for row in during)
