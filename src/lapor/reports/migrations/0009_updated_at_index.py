# The public search index's sync asks for the reports changed since its last run, every few seconds
# (ADR 0035); without an index on `updated_at` each sync read the whole table.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_drop_public_id_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["updated_at"], name="report_updated"),
        ),
    ]
