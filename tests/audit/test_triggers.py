"""The database itself refuses to change or remove audit rows (run on SQLite and on PostgreSQL)."""

import pytest
from django.db import DatabaseError, connection, transaction

from lapor.audit import guard
from lapor.audit.models import GENESIS, AuditEntry, AuditHead
from lapor.audit.services import audit_record
from lapor.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(db: None) -> list[AuditEntry]:
    return [audit_record(action="test.act", actor=None, target_type="test", target_id=str(i)) for i in (1, 2)]


def _refused(sql: str, params: list[object] | None = None) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    return str(caught.value)


def test_update_is_refused_even_in_raw_sql(two: list[AuditEntry]) -> None:
    assert "append-only" in _refused("UPDATE audit_auditentry SET action = 'x' WHERE seq = 1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=2).update(target_id="lain")
    assert list(AuditEntry.objects.values_list("action", "target_id")) == [
        ("test.act", "1"),
        ("test.act", "2"),
    ]


def test_delete_is_refused_for_entries_and_head(two: list[AuditEntry]) -> None:
    assert "append-only" in _refused("DELETE FROM audit_auditentry WHERE seq = 2")
    assert "append-only" in _refused("DELETE FROM audit_audithead")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 2 and AuditHead.objects.get().seq == 2
    assert verify_chain().ok


def test_the_head_cannot_be_wound_back_or_forged(two: list[AuditEntry]) -> None:
    assert "head" in _refused("UPDATE audit_audithead SET seq = 1, hash = %s", [two[0].hash])
    assert "head" in _refused("UPDATE audit_audithead SET seq = 3, hash = %s", ["a" * 64])
    assert "head" in _refused("INSERT INTO audit_audithead (id, seq, hash) VALUES (2, 0, %s)", [GENESIS])


def test_an_insert_must_extend_the_head(two: list[AuditEntry]) -> None:
    row = (
        "INSERT INTO audit_auditentry"
        " (seq, at, actor_display, action, target_type, target_id, payload, prev_hash, hash)"
    )
    values = " VALUES (%s, %s, 'x', 'x', 'x', 'x', '{}', %s, %s)"
    at = two[0].at
    # a fork off entry 1, and a gap after the head, are both refused
    assert "extend" in _refused(row + values, [2, at, two[0].hash, "b" * 64])
    assert "extend" in _refused(row + values, [4, at, two[1].hash, "c" * 64])
    assert AuditEntry.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_truncate_is_refused_on_postgresql(two: list[AuditEntry]) -> None:
    assert "append-only" in _refused("TRUNCATE audit_auditentry, audit_audithead")
    assert AuditEntry.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite guard function")
def test_a_sqlite_client_without_the_guard_function_cannot_delete(two: list[AuditEntry]) -> None:
    # a client other than this process (the sqlite3 shell) does not have the function: remove it here
    raw = connection.connection
    raw.create_function("lapor_audit_unlocked", 0, None)
    try:
        _refused("DELETE FROM audit_auditentry")
    finally:
        guard.register_sqlite_function(sender=None, connection=connection)
    assert AuditEntry.objects.count() == 2
    # and this process opens the door for `flush` only
    with guard.unlocked(), transaction.atomic():
        AuditEntry.objects.filter(seq=2).delete()
        assert AuditEntry.objects.count() == 1
        transaction.set_rollback(True)
    assert "append-only" in _refused("DELETE FROM audit_auditentry")


@pytest.mark.django_db(transaction=True)
def test_flush_alone_wipes_the_log_and_the_chain_restarts_from_genesis() -> None:
    from django.core.management import call_command

    for i in (1, 2):
        audit_record(action="test.act", actor=None, target_type="test", target_id=str(i))
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists() and not AuditHead.objects.exists()
    # the triggers are back after the flush
    entry = audit_record(action="test.after", actor=None, target_type="test", target_id="1")
    assert (entry.seq, entry.prev_hash) == (1, GENESIS)
    assert "append-only" in _refused("DELETE FROM audit_auditentry")
    assert verify_chain().ok
