"""PostgreSQL paths of the feedback intake: a batch of responses is stored with COPY rather
than an ORM INSERT (no model instances, no client-side quoting of thousands of parameters).

The rows go by binary COPY into a session-local staging table, then into feedback_response
with one INSERT … SELECT … ON CONFLICT (survey, external_id) DO NOTHING: an external_id that
another transaction stored meanwhile is skipped (and read back by the caller), also under
concurrent senders. The ids are taken from the table's sequence beforehand, so every row's id
is known whether or not it was inserted. On SQLite the ORM path in services does the same.

Lists of values are sent as ONE JSON parameter (`= ANY(ARRAY(SELECT
jsonb_array_elements_text(…)))`, which PostgreSQL answers with an index scan; `IN (SELECT …)`
would be planned as a hash join over the whole table), not as a thousand placeholders."""

import json

from django.db import connection

RESPONSE_TABLE = "feedback_response"
STAGE = "feedback_response_stage"
# The columns the intake writes, in the order of the row tuples (id first); the others
# (case_id, evaluated_at) stay NULL.
COLUMNS = (
    "id",
    "workspace_id",
    "survey_id",
    "external_id",
    "score",
    "comment",
    "customer_email",
    "contact_id",
    "segment_id",
    "segment_path",
    "transaction",
    "answers",
    "language",
    "responded_at",
    "created_at",
)
TYPES = (
    "int8",
    "int8",
    "int8",
    "text",
    "int2",
    "text",
    "text",
    "int8",
    "int8",
    "text",
    "jsonb",
    "jsonb",
    "text",
    "timestamptz",
    "timestamptz",
)
_COLS = ", ".join(COLUMNS)


def enabled() -> bool:
    return connection.vendor == "postgresql"


def contact_ids(organization_id: int, emails) -> dict[str, int]:
    """{email: contact id} of the organization's known emails among `emails`."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT email, contact_id FROM customers_contactemail WHERE organization_id = %s "
            "AND email = ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb)))",
            [organization_id, json.dumps(list(emails))],
        )
        return dict(cur.fetchall())


def stored_ids(survey_id: int, external_ids) -> dict[str, int]:
    """{external_id: id} of the survey's stored responses among `external_ids`."""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT external_id, id FROM {RESPONSE_TABLE} WHERE survey_id = %s "
            "AND external_id IS NOT NULL "
            "AND external_id = ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb)))",
            [survey_id, json.dumps(list(external_ids))],
        )
        return dict(cur.fetchall())


def responses_insert(rows: list[tuple]) -> list[int | None]:
    """Insert response rows (tuples in COLUMNS order without the id; the JSON columns as
    Python objects). Returns each row's new id, or None where the survey already had the
    row's external_id (stored by another transaction since the caller looked). Must run in
    a transaction."""
    if not rows:
        return []
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT nextval(pg_get_serial_sequence('{RESPONSE_TABLE}', 'id')) "
            "FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [r[0] for r in cur.fetchall()]
        # Emptied at every commit; the INSERT below also empties it (DELETE … RETURNING), so
        # a caller's longer transaction never sees an earlier batch's rows.
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (LIKE {RESPONSE_TABLE}) ON COMMIT DELETE ROWS"
        )
        with cur.copy(f"COPY {STAGE} ({_COLS}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(TYPES)
            write = copy.write_row
            for pk, row in zip(ids, rows, strict=True):
                write((pk, *row))
        cur.execute(
            f"WITH batch AS (DELETE FROM {STAGE} RETURNING {_COLS}) "
            f"INSERT INTO {RESPONSE_TABLE} ({_COLS}) SELECT {_COLS} FROM batch ORDER BY id "
            "ON CONFLICT (survey_id, external_id) WHERE external_id IS NOT NULL DO NOTHING "
            "RETURNING id"
        )
        inserted = {r[0] for r in cur.fetchall()}
    return [pk if pk in inserted else None for pk in ids]
