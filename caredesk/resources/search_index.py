"""The full-text index over the article translations, kept by the database (migration 0002):
whatever writes a translation (the services, bulk_create, a queryset update, fixtures, a
restore) is indexed in the same transaction, which no Python hook could promise.

PostgreSQL: a tsvector column `search_tsv` (title weighted A, body B) set by a BEFORE trigger
and a GIN index; `resources_searchword`, the workspace's vocabulary (every distinct folded
word of its translations) with a trigram GIN index, filled by statement triggers over the
transition tables, for the typo fallback ("refnd" → "refund"). Not a generated column: a
generated column would forbid altering `title`/`body` in a later migration.

One configuration for every language, `simple` over folded text (caredesk.search.fold), as
the conversations' search: no stemming (Bulgarian has no stemmer in PostgreSQL, a per-row
configuration would make the query depend on the text's language, and the Portuguese and
Italian stemmers conflate words agents tell apart); the last word matches as a prefix
("reembols" finds "reembolso", "reembolsos") and the typo fallback adds the close words of
the vocabulary, which covers plurals too.

SQLite: an FTS5 external-content table over (title, body) with `unicode61 remove_diacritics
2`, kept by row triggers, and an fts5vocab table over it for the typo fallback (done in
Python: SQLite has no trigram similarity). A migration that rebuilds the translation table
drops its triggers: `ensure_triggers` recreates them after every migrate."""

from caredesk.search.fold import ACCENTED, PLAIN

TABLE = "resources_articletranslation"
WORDS = "resources_searchword"
FTS = "resources_article_fts"
VOCAB = "resources_article_vocab"


def _fold(expr: str) -> str:
    return (
        f"translate(lower(regexp_replace({expr}, '[^[:alnum:]]+', ' ', 'g')),"
        f" '{ACCENTED}', '{PLAIN}')"
    )


# Markdown link and image targets are addresses, not words of the article.
_BODY = r"regexp_replace(NEW.body, '\]\([^)]*\)', ']', 'g')"
TSV = (
    f"setweight(to_tsvector('simple'::regconfig, {_fold('NEW.title')}), 'A')"
    f" || setweight(to_tsvector('simple'::regconfig, {_fold(_BODY)}), 'B')"
)
# Words worth correcting towards: not numbers, not single letters, not run-on strings.
_WORD_OK = "length(w) BETWEEN 3 AND 30 AND w !~ '^[0-9]+$'"


def _words_from(rows: str, where: str = "TRUE") -> str:
    return (
        f"INSERT INTO {WORDS} (workspace_id, word) SELECT DISTINCT n.workspace_id, w"
        f" FROM {rows}, unnest(tsvector_to_array(n.search_tsv)) AS w"
        f" WHERE {_WORD_OK} AND ({where}) ON CONFLICT DO NOTHING"
    )


_CHANGED_WORDS = _words_from(
    "new_rows n JOIN old_rows o ON o.id = n.id", "n.search_tsv IS DISTINCT FROM o.search_tsv"
)


def postgresql_install() -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"ALTER TABLE {TABLE} ADD COLUMN search_tsv tsvector",
        "CREATE OR REPLACE FUNCTION resources_translation_tsv() RETURNS trigger"
        f" LANGUAGE plpgsql AS $$ BEGIN NEW.search_tsv := {TSV}; RETURN NEW; END $$",
        f"CREATE TRIGGER resources_translation_tsv BEFORE INSERT OR UPDATE OF title, body"
        f" ON {TABLE} FOR EACH ROW EXECUTE FUNCTION resources_translation_tsv()",
        # Every row through the trigger above.
        f"UPDATE {TABLE} SET title = title",
        f"CREATE INDEX resources_translation_search ON {TABLE} USING gin (search_tsv)",
        f"CREATE TABLE {WORDS} (workspace_id bigint NOT NULL, word text NOT NULL,"
        " PRIMARY KEY (workspace_id, word))",
        f"CREATE INDEX resources_searchword_trgm ON {WORDS} USING gin (word gin_trgm_ops)",
        "CREATE OR REPLACE FUNCTION resources_words_added() RETURNS trigger LANGUAGE plpgsql"
        f" AS $$ BEGIN {_words_from('new_rows n')}; RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION resources_words_changed() RETURNS trigger LANGUAGE plpgsql"
        f" AS $$ BEGIN {_CHANGED_WORDS}; RETURN NULL; END $$",
        f"CREATE TRIGGER resources_words_added AFTER INSERT ON {TABLE} REFERENCING NEW TABLE"
        " AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION resources_words_added()",
        f"CREATE TRIGGER resources_words_changed AFTER UPDATE ON {TABLE} REFERENCING NEW TABLE"
        " AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT"
        " EXECUTE FUNCTION resources_words_changed()",
        _words_from(f"{TABLE} n"),
    ]


def postgresql_uninstall() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS resources_words_added ON {TABLE}",
        f"DROP TRIGGER IF EXISTS resources_words_changed ON {TABLE}",
        f"DROP TRIGGER IF EXISTS resources_translation_tsv ON {TABLE}",
        "DROP FUNCTION IF EXISTS resources_words_added()",
        "DROP FUNCTION IF EXISTS resources_words_changed()",
        "DROP FUNCTION IF EXISTS resources_translation_tsv()",
        f"DROP TABLE IF EXISTS {WORDS}",
        f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_tsv",
    ]


# SQLite -----------------------------------------------------------------------------------

_FTS_INSERT = f"INSERT INTO {FTS}(rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body)"
_FTS_DELETE = (
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', OLD.id, OLD.title, OLD.body)"
)


def sqlite_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS resources_fts_added AFTER INSERT ON {TABLE}"
        f" BEGIN {_FTS_INSERT}; END",
        f"CREATE TRIGGER IF NOT EXISTS resources_fts_removed AFTER DELETE ON {TABLE}"
        f" BEGIN {_FTS_DELETE}; END",
        f"CREATE TRIGGER IF NOT EXISTS resources_fts_changed AFTER UPDATE OF title, body"
        f" ON {TABLE} BEGIN {_FTS_DELETE}; {_FTS_INSERT}; END",
    ]


def sqlite_install() -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, content='{TABLE}',"
        " content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
        f"CREATE VIRTUAL TABLE {VOCAB} USING fts5vocab({FTS}, 'row')",
        *sqlite_triggers(),
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    ]


def sqlite_uninstall() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS resources_fts_added",
        "DROP TRIGGER IF EXISTS resources_fts_removed",
        "DROP TRIGGER IF EXISTS resources_fts_changed",
        f"DROP TABLE IF EXISTS {VOCAB}",
        f"DROP TABLE IF EXISTS {FTS}",
    ]


def ensure_triggers(connection) -> None:
    """Recreate the triggers a rebuild of the translation table dropped (SQLite), and
    re-index, since rows may have changed while they were missing."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS])
        if cursor.fetchone() is None:
            return
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
            " AND name LIKE 'resources_fts_%'"
        )
        if cursor.fetchone()[0] == 3:
            return
        for sql in sqlite_triggers():
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
