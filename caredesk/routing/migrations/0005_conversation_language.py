from importlib import import_module

from django.db import migrations, models

# SQLite rebuilds routing_conversation to add the column, which drops its load triggers
# (0003_agent_load): they are created again here.
agent_load = import_module("caredesk.routing.migrations.0003_agent_load")
TRIGGERS = agent_load._sqlite("routing_conversation", "active")


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in TRIGGERS:
        schema_editor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0004_conversation_status_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="language",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
    ]
