# The public search index now answers a list's count itself and hands PostgreSQL a page's ids only
# (ADR 0035, amended 2026-11-30): nothing reads `report_public_id` any more.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_public_id_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="report",
            name="report_public_id",
        ),
    ]
