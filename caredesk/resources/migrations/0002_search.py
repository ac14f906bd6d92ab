"""The articles' full-text index (caredesk/resources/search_index.py): PostgreSQL tsvector
with GIN, pg_trgm vocabulary for typos; SQLite FTS5 with its vocabulary. Kept by triggers."""

from django.db import migrations

from caredesk.resources import search_index


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = search_index.postgresql_install()
    elif vendor == "sqlite":
        statements = search_index.sqlite_install()
    else:
        raise NotImplementedError(f"article search index for {vendor}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = search_index.postgresql_uninstall()
    else:
        statements = search_index.sqlite_uninstall()
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
