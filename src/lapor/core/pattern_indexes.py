"""Django gives every unique or indexed text column on PostgreSQL a second index, `..._like`
(`varchar_pattern_ops`), for `LIKE 'abc%'` lookups. Where nothing searches a column by prefix, that
index is written on every insert and never read (ADR 0037). `without_pattern_index` is the migration
operation that drops it, and builds it again when the migration is reversed."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

__all__ = ["without_pattern_index"]


def without_pattern_index(table: str, column: str) -> migrations.RunPython:
    def name(editor: BaseDatabaseSchemaEditor) -> str:
        # Django's own naming (not in its type stubs): the name of the index Django built.
        built = editor._create_index_name(table, [column], suffix="_like")  # type: ignore[attr-defined]
        return editor.quote_name(built)

    def drop(apps: StateApps, editor: BaseDatabaseSchemaEditor) -> None:
        if editor.connection.vendor == "postgresql":
            editor.execute(f"DROP INDEX IF EXISTS {name(editor)}")

    def build(apps: StateApps, editor: BaseDatabaseSchemaEditor) -> None:
        if editor.connection.vendor == "postgresql":
            on = f"{editor.quote_name(table)} ({editor.quote_name(column)} varchar_pattern_ops)"
            editor.execute(f"CREATE INDEX IF NOT EXISTS {name(editor)} ON {on}")

    return migrations.RunPython(drop, build)
