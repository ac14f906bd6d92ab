"""What is searchable, as SQL: for each source table, how one of its rows becomes a
SearchDocument. The same definitions write the triggers (both databases) and the rebuild
(`services.rebuild`), so a row indexed as it arrives and a row indexed by a rebuild are one
and the same.

Why triggers: rows arrive through services, but also through bulk paths that bypass any
Python hook (feedback's COPY ingestion and bulk_create, queryset updates, fixtures). A
trigger sees them all, in the transaction that writes them. On PostgreSQL an insert is
indexed by a statement trigger over its transition table (one INSERT … SELECT for a COPY of
a million responses, not a million function calls); an update only when a column the
document copies changed (the row trigger's WHEN is checked without calling the function, so
the evaluation's and the chat sync's updates cost nothing). SQLite has row triggers only.

SQLite drops a table's triggers when a migration rebuilds the table: `ensure_triggers` runs
after every migrate (SearchConfig.ready) and creates any that are missing."""

from dataclasses import dataclass

from caredesk.search.fold import ACCENTED, PLAIN

DOC = "search_searchdocument"
COLUMNS = (
    "source, source_id, workspace_id, kind, activity_id, case_id, response_id,"
    " conversation_id, occurred_at, title, body"
)


@dataclass(frozen=True)
class Source:
    name: str
    table: str
    # workspace_id, kind, activity_id, case_id, response_id, conversation_id, occurred_at,
    # title, body: of the row `s` (and what `joins` add).
    select: str
    # The columns whose change re-indexes the row.
    watched: tuple[str, ...]
    joins: str = ""
    where: str = "TRUE"

    def insert(self, rows: str, where: str = "TRUE") -> str:
        """INSERT … SELECT of the documents of `rows` (a table or a transition table)."""
        return (
            f"INSERT INTO {DOC} ({COLUMNS}) SELECT '{self.name}', s.id, {self.select}"
            f" FROM {rows} s {self.joins} WHERE ({self.where}) AND ({where})"
            " ON CONFLICT (source, source_id) DO NOTHING"
        )

    def delete(self, row_id: str) -> str:
        return f"DELETE FROM {DOC} WHERE source = '{self.name}' AND source_id = {row_id}"


SOURCES = (
    Source(
        "case",
        "care_case",
        "s.workspace_id, 'case', NULL, s.id, NULL, NULL, s.reported_at, s.title,"
        " s.customer_comment || ' ' || s.resolution_note",
        ("title", "customer_comment", "resolution_note", "reported_at"),
    ),
    Source(
        "case_comment",
        "care_casecomment",
        "c.workspace_id, 'case_comment', NULL, s.case_id, NULL, NULL, s.created_at, '', s.body",
        ("body", "case_id"),
        joins="JOIN care_case c ON c.id = s.case_id",
    ),
    Source(
        "activity",
        "journey_activity",
        "s.workspace_id, s.media_type, s.id, NULL, NULL, NULL, s.occurred_at, s.subject, s.body",
        ("media_type", "subject", "body", "occurred_at", "conversation_id"),
    ),
    Source(
        "activity_comment",
        "journey_activitycomment",
        "a.workspace_id, 'activity_comment', s.activity_id, NULL, NULL, NULL, s.created_at,"
        " '', s.body",
        ("body", "activity_id"),
        joins="JOIN journey_activity a ON a.id = s.activity_id",
    ),
    Source(
        "message",
        "routing_message",
        "c.workspace_id, 'chat_message', a.id, NULL, NULL, s.conversation_id, s.created_at,"
        " '', s.body",
        ("body",),
        joins="JOIN routing_conversation c ON c.id = s.conversation_id"
        " LEFT JOIN journey_activity a ON a.conversation_id = s.conversation_id",
        # "Agent joined", "Chat ended": the system's words, nobody's text.
        where="s.sender <> 'system'",
    ),
    Source(
        "response",
        "feedback_response",
        "s.workspace_id, 'response', NULL, NULL, s.id, NULL, s.responded_at, '', s.comment",
        ("comment", "responded_at"),
        # Only verbatims: most responses are a score alone.
        where="s.comment <> ''",
    ),
)
BY_NAME = {s.name: s for s in SOURCES}

# A chat's activity is stored after its conversation's first messages (the journey sync
# runs after the commit): the messages find it when it arrives, and lose it if it goes.
_LINK = (
    f"UPDATE {DOC} SET activity_id = {{id}} WHERE source = 'message'"
    " AND conversation_id = {conversation}"
)
_UNLINK = f"UPDATE {DOC} SET activity_id = NULL WHERE source = 'message' AND activity_id = {{id}}"


def _extra(source: Source, op: str, row: str) -> list[str]:
    if source.name != "activity":
        return []
    if op == "insert":
        return [_LINK.format(id=f"{row}.id", conversation=f"{row}.conversation_id")]
    if op == "update":
        return [
            _UNLINK.format(id="OLD.id"),
            _LINK.format(id="NEW.id", conversation="NEW.conversation_id"),
        ]
    return [_UNLINK.format(id="OLD.id")]


# PostgreSQL -------------------------------------------------------------------------------

TSV = (
    "to_tsvector('simple'::regconfig, translate(lower(regexp_replace("
    f"title || ' ' || body, '[^[:alnum:]]+', ' ', 'g')), '{ACCENTED}', '{PLAIN}'))"
)


def postgresql_index() -> list[str]:
    return [
        f"ALTER TABLE {DOC} ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({TSV}) STORED",
        f"CREATE INDEX search_doc_tsv ON {DOC} USING gin (tsv)",
    ]


def _pg_function(name: str, body: list[str]) -> str:
    statements = "".join(f"    {sql};\n" for sql in body)
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{statements}    RETURN NULL;\nEND $$"
    )


def postgresql_triggers() -> list[str]:
    out = []
    for src in SOURCES:
        added, changed, removed = (
            f"search_{src.name}_{op}" for op in ("added", "changed", "removed")
        )
        link = []
        if src.name == "activity":
            link = [
                f"UPDATE {DOC} d SET activity_id = n.id FROM new_rows n"
                " WHERE d.source = 'message' AND d.conversation_id = n.conversation_id"
            ]
        when = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in src.watched)
        out += [
            _pg_function(added, [src.insert("new_rows"), *link]),
            _pg_function(
                changed,
                [
                    src.delete("OLD.id"),
                    src.insert(src.table, "s.id = NEW.id"),
                    *_extra(src, "update", "NEW"),
                ],
            ),
            _pg_function(removed, [src.delete("OLD.id"), *_extra(src, "delete", "OLD")]),
            f"DROP TRIGGER IF EXISTS {added} ON {src.table}",
            f"CREATE TRIGGER {added} AFTER INSERT ON {src.table} REFERENCING NEW TABLE AS"
            f" new_rows FOR EACH STATEMENT EXECUTE FUNCTION {added}()",
            f"DROP TRIGGER IF EXISTS {changed} ON {src.table}",
            f"CREATE TRIGGER {changed} AFTER UPDATE ON {src.table} FOR EACH ROW WHEN ({when})"
            f" EXECUTE FUNCTION {changed}()",
            f"DROP TRIGGER IF EXISTS {removed} ON {src.table}",
            f"CREATE TRIGGER {removed} AFTER DELETE ON {src.table} FOR EACH ROW"
            f" EXECUTE FUNCTION {removed}()",
        ]
    return out


def postgresql_drop() -> list[str]:
    out = []
    for src in SOURCES:
        for op in ("added", "changed", "removed"):
            out += [
                f"DROP TRIGGER IF EXISTS search_{src.name}_{op} ON {src.table}",
                f"DROP FUNCTION IF EXISTS search_{src.name}_{op}()",
            ]
    return out


# SQLite -----------------------------------------------------------------------------------


def sqlite_index() -> list[str]:
    return [
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_searchdocument',"
        " content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    ]


def sqlite_triggers() -> list[str]:
    fts_delete = (
        "INSERT INTO search_fts(search_fts, rowid, title, body)"
        " VALUES ('delete', OLD.id, OLD.title, OLD.body)"
    )
    fts_insert = "INSERT INTO search_fts(rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body)"
    out = [
        f"CREATE TRIGGER IF NOT EXISTS search_fts_added AFTER INSERT ON {DOC}"
        f" BEGIN {fts_insert}; END",
        f"CREATE TRIGGER IF NOT EXISTS search_fts_removed AFTER DELETE ON {DOC}"
        f" BEGIN {fts_delete}; END",
        f"CREATE TRIGGER IF NOT EXISTS search_fts_changed AFTER UPDATE OF title, body ON {DOC}"
        f" BEGIN {fts_delete}; {fts_insert}; END",
    ]
    for src in SOURCES:
        when = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in src.watched)
        steps = {
            "added": (
                "INSERT",
                "",
                [src.insert(src.table, "s.id = NEW.id"), *_extra(src, "insert", "NEW")],
            ),
            "changed": (
                "UPDATE",
                f" WHEN {when}",
                [
                    src.delete("OLD.id"),
                    src.insert(src.table, "s.id = NEW.id"),
                    *_extra(src, "update", "NEW"),
                ],
            ),
            "removed": ("DELETE", "", [src.delete("OLD.id"), *_extra(src, "delete", "OLD")]),
        }
        for op, (event, when_sql, body) in steps.items():
            statements = " ".join(f"{sql};" for sql in body)
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS search_{src.name}_{op} AFTER {event}"
                f" ON {src.table}{when_sql} BEGIN {statements} END"
            )
    return out


def sqlite_drop() -> list[str]:
    names = ["search_fts_added", "search_fts_removed", "search_fts_changed"]
    names += [f"search_{s.name}_{op}" for s in SOURCES for op in ("added", "changed", "removed")]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in names] + ["DROP TABLE IF EXISTS search_fts"]


def ensure_triggers(connection) -> None:
    """Create the triggers a table rebuild removed (SQLite); PostgreSQL keeps them."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'")
        if cursor.fetchone() is None:
            return
        for sql in sqlite_triggers():
            cursor.execute(sql)
