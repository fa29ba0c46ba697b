"""The head row of an empty chain, and the triggers that make the log append-only (SQLite, PostgreSQL).

The SQL lives in `lapor.audit.triggers` so that tests simulating an attacker drop and restore exactly
what this migration installed. Never edit it there: add a new migration with new statements."""

from django.db import migrations


def forwards(apps, schema_editor):
    from lapor.audit import triggers

    head = apps.get_model("audit", "AuditHead")
    head.objects.get_or_create(id=1, defaults={"seq": 0, "hash": "0" * 64})
    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from lapor.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_chain")]

    operations = [migrations.RunPython(forwards, backwards)]
