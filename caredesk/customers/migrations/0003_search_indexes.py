"""Indexes for the desk's contact search (`customers.selectors.contact_search`) on PostgreSQL:
trigrams of upper(name) for "name contains" (Django's `name__icontains`), and pattern-ops
b-trees for "email / phone starts with" (`LIKE 'x%'` cannot use a plain b-tree under a
non-C collation). Without them every search read all the organization's contacts: ~180 ms
at 100,000. pg_trgm is optional, as in care migration 0006; SQLite scans."""

from django.db import migrations

INDEXES = {
    "customers_contact_name_trgm": (
        "customers_contact USING gin (upper(name::text) gin_trgm_ops)",
        True,
    ),
    "customers_contactemail_prefix": (
        "customers_contactemail (organization_id, email varchar_pattern_ops)",
        False,
    ),
    "customers_contactphone_prefix": (
        "customers_contactphone (organization_id, phone varchar_pattern_ops)",
        False,
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        trigrams = cursor.fetchone() is not None
    if trigrams:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (target, needs_trigrams) in INDEXES.items():
        if trigrams or not needs_trigrams:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    # Statistics of the new expression, so the planner sees how rare a searched name is.
    schema_editor.execute("ANALYZE customers_contact")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
