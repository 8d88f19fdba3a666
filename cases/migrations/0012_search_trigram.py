"""Search that forgives typing errors and accents: pg_trgm, unaccent and GIN trigram indexes.

PostgreSQL only: on SQLite (the dev setup) every step is skipped and the search falls back to
a plain case-insensitive `contains` (cases/search/query.py).
"""

from __future__ import annotations

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# unaccent() is STABLE (its dictionary could change), so it cannot be used in an index; this
# wrapper pins the dictionary and is IMMUTABLE. cases/search/query.py calls it by this name.
UNACCENT_FUNCTION = "fk_unaccent"

TRIGRAM_INDEXES = [
    ("member_name_trgm", "cases_member", "name"),
    ("family_display_name_trgm", "cases_family", "display_name"),
    ("family_area_trgm", "cases_family", "area"),
    ("family_case_number_trgm", "cases_family", "case_number"),
]


def create_search_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        schema = schema_editor.quote_name(cursor.fetchone()[0])
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {UNACCENT_FUNCTION}(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
        f" AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$"
    )
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table}"
            f" USING gin ({UNACCENT_FUNCTION}(lower({column})) gin_trgm_ops)"
        )


def drop_search_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {UNACCENT_FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_merge_limits_versions_exports")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
