"""Every index on the tables a filing writes is paid for on each filing (ADR 0037): none repeats the
leading column of another, no text column has a prefix-search index nothing uses, and every foreign
key still leads an index, so a lookup by it (or the check before its target is deleted) stays fast."""

import pytest
from django.db import connection

from lapor.audit.models import AuditEntry
from lapor.notifications.models import OutboxMessage
from lapor.notifications.webhook_models import WebhookDelivery
from lapor.reports.models import PendingFiling, Report, TimelineEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue"),
]

WRITTEN_BY_A_FILING = (Report, TimelineEvent, PendingFiling, OutboxMessage)
# Written once per event and subscription, and once per audited action.
WRITTEN_BY_AN_ACTION = (WebhookDelivery, AuditEntry)


def _indexes(table: str) -> list[tuple[str, list[str], str]]:
    """(name, columns in order, definition) of each index on `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, array_agg(a.attname ORDER BY k.n), pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
            LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
            WHERE x.indrelid = %s::regclass
            GROUP BY i.relname, i.oid
            """,
            [table],
        )
        return [
            (name, [c for c in columns if c], definition) for name, columns, definition in cursor.fetchall()
        ]


@pytest.mark.parametrize(
    "model", WRITTEN_BY_A_FILING + WRITTEN_BY_AN_ACTION, ids=lambda model: model.__name__
)
def test_no_prefix_index_nothing_reads(model: type) -> None:
    indexes = _indexes(model._meta.db_table)
    assert not [name for name, _columns, definition in indexes if "pattern_ops" in definition]


@pytest.mark.parametrize("model", WRITTEN_BY_A_FILING, ids=lambda model: model.__name__)
def test_no_index_is_paid_for_twice(model: type) -> None:
    # Partial indexes serve their own part of the table, so only whole ones can repeat each other.
    whole = [index for index in _indexes(model._meta.db_table) if " WHERE " not in index[2]]
    # A single-column index that is not a unique constraint, beside a longer one led by that column.
    for name, columns, definition in whole:
        if len(columns) == 1 and "UNIQUE" not in definition:
            longer = [other for other, cols, _d in whole if cols[0] == columns[0] and len(cols) > 1]
            assert not longer, f"{name} repeats the leading column of {longer}"


@pytest.mark.parametrize("model", WRITTEN_BY_A_FILING, ids=lambda model: model.__name__)
def test_every_foreign_key_leads_an_index(model: type) -> None:
    leading = {
        columns[0]
        for _name, columns, definition in _indexes(model._meta.db_table)
        if " WHERE " not in definition
    }
    keys = {field.column for field in model._meta.concrete_fields if field.is_relation}
    assert keys <= leading, keys - leading
