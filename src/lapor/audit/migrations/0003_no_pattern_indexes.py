from django.db import migrations

from lapor.core.pattern_indexes import without_pattern_index


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    # Every audited action appends an entry. Its action, target and hash are looked up whole; the
    # admin's search (icontains) cannot use a prefix index (ADR 0037).
    operations = [
        without_pattern_index("audit_auditentry", "action"),
        without_pattern_index("audit_auditentry", "target_id"),
        without_pattern_index("audit_auditentry", "hash"),
    ]
