from django.db import migrations

from lapor.core.pattern_indexes import without_pattern_index


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_webhooks")]

    # A dedupe key is looked up whole (its unique index), never by its start (ADR 0037).
    operations = [without_pattern_index("notifications_outboxmessage", "dedupe_key")]
