import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="agent_read_up_to",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="conversation",
            name="customer_read_up_to",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="DeskConnection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("channel_name", models.CharField(max_length=200, unique=True)),
                ("opened_at", models.DateTimeField(auto_now_add=True)),
                ("last_seen_at", models.DateTimeField()),
                (
                    "agent",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="connections",
                        to="routing.agentprofile",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["last_seen_at"], name="routing_des_last_se_9548da_idx")
                ],
            },
        ),
    ]
