"""Two writers at once never fork the chain (PostgreSQL: real row locks, real concurrent sessions)."""

import threading

import pytest
from django.db import connection, connections, transaction

from lapor.audit.models import AuditEntry, AuditHead
from lapor.audit.services import audit_record
from lapor.audit.verify import verify_chain

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent sessions need PostgreSQL"),
]

PER_WRITER = 25


def _writer(name: str, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait(timeout=30)
        for i in range(PER_WRITER):
            with transaction.atomic():
                audit_record(
                    action="test.concurrent", actor=None, target_type="writer", target_id=f"{name}-{i}"
                )
    except BaseException as exc:  # reported to the main thread, which fails the test
        errors.append(exc)
    finally:
        connections.close_all()


def test_two_threads_append_to_one_chain() -> None:
    start, errors = threading.Barrier(2), []
    threads = [threading.Thread(target=_writer, args=(name, start, errors)) for name in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 * PER_WRITER + 1))
    writers = {t.split("-")[0] for t in AuditEntry.objects.values_list("target_id", flat=True)}
    assert writers == {"a", "b"}
    outcome = verify_chain()
    assert outcome.ok and outcome.entries_checked == 2 * PER_WRITER
    assert AuditHead.objects.get().seq == 2 * PER_WRITER


def test_a_second_writer_waits_for_the_first_to_commit() -> None:
    # given writer A holding the head (appended, not yet committed)
    appended, release, errors = threading.Event(), threading.Event(), []
    seq_of_b: list[int] = []

    def writer_a() -> None:
        try:
            with transaction.atomic():
                audit_record(action="test.a", actor=None, target_type="writer", target_id="a")
                appended.set()
                release.wait(timeout=30)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def writer_b() -> None:
        try:
            appended.wait(timeout=30)
            seq_of_b.append(
                audit_record(action="test.b", actor=None, target_type="writer", target_id="b").seq
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    a, b = threading.Thread(target=writer_a), threading.Thread(target=writer_b)
    a.start()
    b.start()
    appended.wait(timeout=30)
    b.join(timeout=1)
    # then B is still blocked on the head lock, and nothing of B's is written
    assert b.is_alive()
    release.set()
    a.join(timeout=30)
    b.join(timeout=30)
    assert not errors, errors
    # and B continued the chain after A instead of forking it
    assert seq_of_b == [2]
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == ["test.a", "test.b"]
    assert verify_chain().ok


def test_verify_beside_live_appends_never_raises_a_false_alarm() -> None:
    for i in range(5):
        audit_record(action="test.before", actor=None, target_type="writer", target_id=str(i))
    done, errors = threading.Event(), []

    def appender() -> None:
        try:
            for i in range(40):
                audit_record(action="test.live", actor=None, target_type="writer", target_id=str(i))
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()
            connections.close_all()

    thread = threading.Thread(target=appender)
    thread.start()
    outcomes = []
    while not done.is_set() or not outcomes:
        outcomes.append(verify_chain())
    thread.join(timeout=60)
    assert not errors, errors
    assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok]
    assert verify_chain().entries_checked == 45
