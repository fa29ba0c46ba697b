# A staff list of one status, newest first (an agency's `GET /api/v1/reports?status=`), read
# `created_at` backwards and skipped every report of another status: 3.2 / 7.3 ms (p50 / p99) for the
# page's query at 10M against 1.1 / 1.5 at 100k. With this index it seeks to the page (ADR 0037,
# amended). It builds in about 20 s at 10M reports, during which filings wait.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0010_fewer_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                models.F("status"),
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="report_status_newest",
            ),
        ),
    ]
