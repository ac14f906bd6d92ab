"""A trigram index on ticket titles (PostgreSQL), for the desk's case search ("link to an
existing case": `title ILIKE '%words%'`), which otherwise reads every ticket the agent may
see. pg_trgm ships with PostgreSQL's contrib and is a trusted extension (the database owner
may create it); where it is not available the search keeps working, only slower. SQLite has
no such index and scans."""

from django.db import migrations

INDEX = "care_case_title_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # upper(title): the expression Django writes for `title__icontains` on PostgreSQL.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON care_case"
        " USING gin (upper(title::text) gin_trgm_ops)"
    )
    # Statistics of the new expression, so the planner sees how rare a searched phrase is.
    schema_editor.execute("ANALYZE care_case")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0005_resolution_shares_todos"),
    ]

    operations = [migrations.RunPython(create, drop)]
