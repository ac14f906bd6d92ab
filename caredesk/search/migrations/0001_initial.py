"""The search documents, their full-text index (PostgreSQL: a generated tsvector column with
a GIN index; SQLite: an FTS5 external-content table kept by triggers) and the triggers on
the source tables that keep the documents (caredesk/search/sources.py). Existing rows are
indexed here; `caredesk search-rebuild` does it again at any time."""

import django.db.models.deletion
from django.db import migrations, models

from caredesk.search import sources


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = sources.postgresql_index() + sources.postgresql_triggers()
    elif vendor == "sqlite":
        statements = sources.sqlite_index() + sources.sqlite_triggers()
    else:
        raise NotImplementedError(f"search index for {vendor}")
    for sql in statements:
        schema_editor.execute(sql, params=None)
    for src in sources.SOURCES:
        schema_editor.execute(src.insert(src.table), params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    drop = sources.postgresql_drop() if vendor == "postgresql" else sources.sqlite_drop()
    for sql in drop:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("workspaces", "0005_insights"),
        ("care", "0010_coaching_cases"),
        ("journey", "0001_initial"),
        ("routing", "0006_queue_segment"),
        ("feedback", "0007_survey_segment"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=20)),
                ("source_id", models.BigIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("case", "Case"),
                            ("case_comment", "Case Comment"),
                            ("chat_message", "Chat Message"),
                            ("chat", "Chat"),
                            ("call", "Call"),
                            ("email", "Email"),
                            ("web_form", "Web Form"),
                            ("note", "Note"),
                            ("survey_response", "Survey Response"),
                            ("activity_comment", "Activity Comment"),
                            ("response", "Response"),
                        ],
                        max_length=20,
                    ),
                ),
                ("conversation_id", models.BigIntegerField(blank=True, null=True)),
                ("occurred_at", models.DateTimeField()),
                ("title", models.TextField(blank=True, default="")),
                ("body", models.TextField(blank=True, default="")),
                (
                    "activity",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="journey.activity",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="care.case",
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="feedback.response",
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="workspaces.workspace",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "source_id"), name="search_doc_once"
                    )
                ],
                "indexes": [
                    models.Index(
                        condition=models.Q(conversation_id__isnull=False),
                        fields=["conversation_id"],
                        name="search_doc_conversation",
                    ),
                    models.Index(fields=["workspace", "occurred_at"], name="search_doc_ws_time"),
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
