import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_response_workspace_no_constraint"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingEvaluation",
            fields=[
                (
                    "response",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="feedback.response",
                    ),
                ),
            ],
        ),
        # Responses stored before this table existed and never evaluated (a lost task).
        migrations.RunSQL(
            "INSERT INTO feedback_pendingevaluation (response_id) "
            "SELECT id FROM feedback_response WHERE evaluated_at IS NULL",
            migrations.RunSQL.noop,
        ),
    ]
