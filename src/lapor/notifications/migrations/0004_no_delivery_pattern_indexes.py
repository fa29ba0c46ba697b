from django.db import migrations

from lapor.core.pattern_indexes import without_pattern_index


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_no_pattern_index")]

    # Each event writes one delivery per subscription. Its dedupe key and tracking id are looked up
    # whole; the admin's search (icontains) cannot use a prefix index (ADR 0037).
    operations = [
        without_pattern_index("notifications_webhookdelivery", "dedupe_key"),
        without_pattern_index("notifications_webhookdelivery", "tracking_id"),
    ]
