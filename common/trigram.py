"""Migration operations for the trigram indexes of the searches (common.search), PostgreSQL only.

Each index is on `UPPER(column)` with pg_trgm's `gin_trgm_ops`: the expression Django's `icontains` compares
on PostgreSQL, so the planner can answer `UPPER(col) LIKE '%term%'` from the index. On SQLite the
operations do nothing (the search there is a regular expression, and the tables are small).
"""

from django.db import migrations


def trigram_index(table: str, column: str) -> migrations.RunPython:
    name = f"{table}_{column}_trgm"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
