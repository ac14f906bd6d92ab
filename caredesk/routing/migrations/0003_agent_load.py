"""AgentProfile.load: the conversations an agent carries (active ones plus open offers), kept
by triggers on routing_offer and routing_conversation, whatever writes them (services, bulk
updates, deletes, fixtures). The routing decision then reads it from the agent row it locks,
and a concurrent change of the load is a change of that row, which PostgreSQL re-checks
before granting the lock (see `routing.pick`).

SQLite drops a table's triggers when Django rebuilds the table (some AlterField operations):
a later migration that does that to these tables must create them again.
`tests/routing/test_agent_load.py` fails if they are missing."""

from django.db import migrations, models

# (table, the status with which a row counts towards its agent's load)
COUNTED = [("routing_offer", "offered"), ("routing_conversation", "active")]

POSTGRESQL = [
    """
    CREATE FUNCTION routing_agent_load() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        counted text := TG_ARGV[0];
        was bigint;
        now_on bigint;
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status = counted THEN was := OLD.agent_id; END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = counted THEN now_on := NEW.agent_id; END IF;
        IF was IS DISTINCT FROM now_on THEN
            IF was IS NOT NULL THEN
                UPDATE routing_agentprofile SET load = load - 1 WHERE id = was;
            END IF;
            IF now_on IS NOT NULL THEN
                UPDATE routing_agentprofile SET load = load + 1 WHERE id = now_on;
            END IF;
        END IF;
        RETURN NULL;
    END $$
    """,
    *(
        f"CREATE TRIGGER {table}_load AFTER INSERT OR DELETE OR UPDATE OF status, agent_id"
        f" ON {table} FOR EACH ROW EXECUTE FUNCTION routing_agent_load('{status}')"
        for table, status in COUNTED
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER {table}_load ON {table}" for table, _ in COUNTED),
    "DROP FUNCTION routing_agent_load()",
]


def _sqlite(table: str, status: str) -> list[str]:
    bump = "UPDATE routing_agentprofile SET load = load {sign} 1 WHERE id = {row}.agent_id"
    return [
        f"CREATE TRIGGER {table}_load_insert AFTER INSERT ON {table}"
        f" WHEN NEW.status = '{status}' AND NEW.agent_id IS NOT NULL"
        f" BEGIN {bump.format(sign='+', row='NEW')}; END",
        f"CREATE TRIGGER {table}_load_delete AFTER DELETE ON {table}"
        f" WHEN OLD.status = '{status}' AND OLD.agent_id IS NOT NULL"
        f" BEGIN {bump.format(sign='-', row='OLD')}; END",
        f"CREATE TRIGGER {table}_load_update AFTER UPDATE OF status, agent_id ON {table}"
        f" WHEN (OLD.status = '{status}') <> (NEW.status = '{status}')"
        " OR OLD.agent_id IS NOT NEW.agent_id"
        f" BEGIN {bump.format(sign='-', row='OLD')} AND OLD.status = '{status}';"
        f" {bump.format(sign='+', row='NEW')} AND NEW.status = '{status}'; END",
    ]


SQLITE = [sql for table, status in COUNTED for sql in _sqlite(table, status)]
SQLITE_REVERSE = [
    f"DROP TRIGGER {table}_load_{op}"
    for table, _ in COUNTED
    for op in ("insert", "delete", "update")
]

BACKFILL = """
UPDATE routing_agentprofile SET load = (
    (SELECT count(*) FROM routing_offer o WHERE o.agent_id = routing_agentprofile.id
     AND o.status = 'offered')
  + (SELECT count(*) FROM routing_conversation c WHERE c.agent_id = routing_agentprofile.id
     AND c.status = 'active'))
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"agent load triggers for {vendor}")
    for sql in [BACKFILL, *statements]:
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}[vendor]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0002_desk_connections_read_receipts"),
    ]

    operations = [
        migrations.AddField(
            model_name="agentprofile",
            name="load",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(install, uninstall),
    ]
