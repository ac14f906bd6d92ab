"""PostgreSQL paths of the feedback intake: a batch of responses is stored with COPY rather
than an ORM INSERT (no model instances, no client-side quoting of thousands of parameters).

The rows go by binary COPY into feedback_response. If another transaction stored one of the
batch's external_ids since the caller looked (concurrent senders), the COPY fails on the
(survey, external_id) constraint and the batch goes instead into a session-local staging table,
then into feedback_response with one INSERT … SELECT … ON CONFLICT DO NOTHING, which skips
those (the caller reads them back). The ids are taken from the table's sequence beforehand, so
every row's id is known whether or not it was inserted. On SQLite the ORM path in services
does the same.

Lists of values are sent as ONE JSON parameter (`= ANY(ARRAY(SELECT
jsonb_array_elements_text(…)))`, which PostgreSQL answers with an index scan; `IN (SELECT …)`
would be planned as a hash join over the whole table), not as a thousand placeholders."""

import datetime as dt
import json

import psycopg.errors
from django.db import connection, transaction

RESPONSE_TABLE = "feedback_response"
PENDING_TABLE = "feedback_pendingevaluation"
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
    a transaction.

    The rows go straight into the table by COPY, in a savepoint; only if that hits the
    (survey, external_id) constraint do they go again through the staging table and
    INSERT … ON CONFLICT DO NOTHING, which skips the ones stored meanwhile."""
    if not rows:
        return []
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT nextval(pg_get_serial_sequence('{RESPONSE_TABLE}', 'id')) "
            "FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [r[0] for r in cur.fetchall()]
    full = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    try:
        with transaction.atomic():
            _copy_responses(RESPONSE_TABLE, full)
        return ids
    except psycopg.errors.UniqueViolation:
        pass
    with connection.cursor() as cur:
        # Emptied at every commit; the INSERT below also empties it (DELETE … RETURNING), so
        # a caller's longer transaction never sees an earlier batch's rows.
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (LIKE {RESPONSE_TABLE}) ON COMMIT DELETE ROWS"
        )
    _copy_responses(STAGE, full)
    with connection.cursor() as cur:
        cur.execute(
            f"WITH batch AS (DELETE FROM {STAGE} RETURNING {_COLS}) "
            f"INSERT INTO {RESPONSE_TABLE} ({_COLS}) SELECT {_COLS} FROM batch ORDER BY id "
            "ON CONFLICT (survey_id, external_id) WHERE external_id IS NOT NULL DO NOTHING "
            "RETURNING id"
        )
        inserted = {r[0] for r in cur.fetchall()}
    return [pk if pk in inserted else None for pk in ids]


def _copy_responses(table: str, rows: list[tuple]) -> None:
    with connection.cursor() as cur:
        with cur.copy(f"COPY {table} ({_COLS}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(TYPES)
            write = copy.write_row
            for row in rows:
                write(row)


def _id_list(ids) -> str:
    """Ids inlined into the statement (they are ints: int() makes sure), instead of a
    thousand parameters for the client-side cursor to quote one by one."""
    return ",".join(str(int(pk)) for pk in ids)


def responses_read(
    ids, fields: tuple[str, ...], *, decode_json: bool = True, pending: bool = False
) -> list[tuple]:
    """The responses' `fields` as values_list(*fields) would give them (JSON decoded unless
    decode_json=False: then as text; aware datetimes), only those not evaluated yet if
    `pending`. Timestamps travel as microseconds since the epoch: the timezone-aware loader
    Django installs parses each one in Python, ~10× slower."""
    if not ids:
        return []
    times = {"responded_at", "created_at", "evaluated_at"}
    select = ", ".join(
        f"(extract(epoch FROM {f}) * 1000000)::int8" if f in times else f for f in fields
    )
    where = f"id IN ({_id_list(ids)})" + (" AND evaluated_at IS NULL" if pending else "")
    with connection.cursor() as cur:
        cur.execute(f"SELECT {select} FROM {RESPONSE_TABLE} WHERE {where}")
        rows = cur.fetchall()
    # Django reads jsonb as text (JSONField decodes it): decode those columns here.
    json_columns = ("transaction", "answers") if decode_json else ()
    convert = [
        (n, json.loads if f in json_columns else _from_micros)
        for n, f in enumerate(fields)
        if f in times or f in json_columns
    ]
    out = []
    for row in rows:
        row = list(row)
        for n, fn in convert:
            if row[n] is not None:
                row[n] = fn(row[n])
        out.append(tuple(row))
    return out


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _from_micros(value: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=value)


def responses_take(ids, at) -> set[int]:
    """evaluation._take: set evaluated_at where it is unset, returning those ids, and delete
    the responses' pending_evaluation rows. The rows are locked in id order, so two
    evaluations of overlapping batches queue behind each other instead of deadlocking; the
    one that waited finds evaluated_at set (READ COMMITTED re-checks the row) and takes
    nothing."""
    id_list = _id_list(ids)
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {RESPONSE_TABLE} r SET evaluated_at = %s FROM ("
            f"SELECT id FROM {RESPONSE_TABLE} WHERE id IN ({id_list}) AND evaluated_at IS NULL "
            "ORDER BY id FOR UPDATE) t WHERE r.id = t.id RETURNING r.id",
            [at],
        )
        taken = {pk for (pk,) in cur.fetchall()}
        cur.execute(f"DELETE FROM {PENDING_TABLE} WHERE response_id IN ({id_list})")
    return taken


def pairs_insert(table: str, time_column: str, at, pairs) -> set[tuple[int, int]]:
    """INSERT (rule_id, response_id, <time_column>) rows, skipping the pairs already there;
    returns the pairs inserted."""
    values = ",".join(f"({int(r)},{int(s)})" for r, s in pairs)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (rule_id, response_id, {time_column}) "
            f"SELECT v.r, v.s, %s FROM (VALUES {values}) AS v (r, s) "
            "ON CONFLICT (rule_id, response_id) DO NOTHING RETURNING rule_id, response_id",
            [at],
        )
        return set(cur.fetchall())


def copy_rows(table: str, columns, types, rows) -> None:
    """Rows appended with a binary COPY (no RETURNING: for rows whose ids nobody needs)."""
    with connection.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
