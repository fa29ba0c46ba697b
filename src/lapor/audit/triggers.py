"""The triggers that make the audit tables append-only in the database itself, per vendor.

- entries: UPDATE and DELETE refused (TRUNCATE too on PostgreSQL); an INSERT must extend the head
  (next sequence number, the head's hash as prev_hash), so even a buggy writer cannot fork the chain;
- head: never deleted, created only while the log is empty, and moved only one step forward onto
  the entry just written, so winding it back to hide a removed tail is refused.

Migration 0002 installs them. Tests simulate an attacker with database rights by `remove`-ing them
and `install`-ing them again (tests/audit/tamper.py). A later migration that rebuilds these tables on
SQLite (its ALTER TABLE copies the table) must call `install` again."""

from typing import Any

__all__ = ["install", "remove"]

_REFUSE = "SELECT RAISE(ABORT, 'audit log is append-only: {op} refused')"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN {_REFUSE.format(op="UPDATE")}; END""",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
    WHEN NOT lapor_audit_unlocked() BEGIN {_REFUSE.format(op="DELETE")}; END""",
    """CREATE TRIGGER audit_entry_extends_head BEFORE INSERT ON audit_auditentry
    WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_audithead WHERE id = 1)
      OR NEW.prev_hash IS NOT (SELECT hash FROM audit_audithead WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, 'audit entry must extend the head of the chain'); END""",
    f"""CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
    WHEN NOT lapor_audit_unlocked() BEGIN {_REFUSE.format(op="DELETE")}; END""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_audithead
    WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1
      OR NEW.hash IS NOT (SELECT hash FROM audit_auditentry WHERE seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'audit head only moves one step forward'); END""",
    """CREATE TRIGGER audit_head_only_when_empty BEFORE INSERT ON audit_audithead
    WHEN EXISTS (SELECT 1 FROM audit_auditentry)
    BEGIN SELECT RAISE(ABORT, 'audit head is created only for an empty log'); END""",
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "audit_entry_no_update",
        "audit_entry_no_delete",
        "audit_entry_extends_head",
        "audit_head_no_delete",
        "audit_head_forward_only",
        "audit_head_only_when_empty",
    )
]

POSTGRES_INSTALL = [
    """CREATE OR REPLACE FUNCTION lapor_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE OR REPLACE FUNCTION lapor_audit_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE head RECORD;
    BEGIN
      SELECT seq, hash INTO head FROM audit_audithead WHERE id = 1;
      IF NOT FOUND OR NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
        RAISE EXCEPTION 'audit entry must extend the head of the chain' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION lapor_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1
         OR NEW.hash IS DISTINCT FROM (SELECT hash FROM audit_auditentry WHERE seq = NEW.seq) THEN
        RAISE EXCEPTION 'audit head only moves one step forward' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION lapor_audit_head_when_empty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM audit_auditentry) THEN
        RAISE EXCEPTION 'audit head is created only for an empty log' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION lapor_audit_refuse()""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION lapor_audit_refuse()""",
    """CREATE TRIGGER audit_entry_extends_head BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION lapor_audit_extends_head()""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION lapor_audit_refuse()""",
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION lapor_audit_refuse()""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION lapor_audit_head_forward()""",
    """CREATE TRIGGER audit_head_only_when_empty BEFORE INSERT ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION lapor_audit_head_when_empty()""",
]
POSTGRES_REMOVE = [
    *(
        f"DROP TRIGGER IF EXISTS {name} ON {table}"
        for name, table in (
            ("audit_entry_append_only", "audit_auditentry"),
            ("audit_entry_no_truncate", "audit_auditentry"),
            ("audit_entry_extends_head", "audit_auditentry"),
            ("audit_head_no_delete", "audit_audithead"),
            ("audit_head_no_truncate", "audit_audithead"),
            ("audit_head_forward_only", "audit_audithead"),
            ("audit_head_only_when_empty", "audit_audithead"),
        )
    ),
    *(
        f"DROP FUNCTION IF EXISTS {name}()"
        for name in (
            "lapor_audit_refuse",
            "lapor_audit_extends_head",
            "lapor_audit_head_forward",
            "lapor_audit_head_when_empty",
        )
    ),
]

_SQL = {"sqlite": (SQLITE_INSTALL, SQLITE_REMOVE), "postgresql": (POSTGRES_INSTALL, POSTGRES_REMOVE)}


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: Any) -> None:
    if connection.vendor not in _SQL:
        raise NotImplementedError(
            f"no audit triggers for {connection.vendor}: the log would not be append-only"
        )
    _run(connection, _SQL[connection.vendor][0])


def remove(connection: Any) -> None:
    if connection.vendor in _SQL:
        _run(connection, _SQL[connection.vendor][1])
