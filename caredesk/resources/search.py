"""Searching the articles: the one function every caller uses (the resource center's search,
the desk's `/` quick search and suggestions, the public help center and the widget, the API).

CONTRACT: `article_search(...)` and `ArticleHit` keep their signature and meaning; the fields
after `score` are additions with defaults.

The query is the conversations' search syntax (caredesk.search.query: every word must match,
"quoted phrases", the last word also as a prefix; accents folded) against the index of
caredesk/resources/search_index.py. Order: translations whose title holds every word first,
then by how much of the title matches (shorter titles first), then the most recently edited
(SQLite: bm25 over title and body, the title weighing ten times, in place of the second).
When nothing matches exactly, the same search again with each word widened to its close
words in the index's vocabulary (typos: "refnd" finds "refund"); on PostgreSQL that fallback
is part of the same statement, so a search is one round trip, count and page included."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from caredesk.core.errors import FieldErrors
from caredesk.resources.models import ArticleStatus, Audience
from caredesk.resources.search_index import FTS, VOCAB
from caredesk.search.highlight import snippet
from caredesk.search.query import Query, parse_query


@dataclass(frozen=True)
class ArticleHit:
    article_id: int
    translation_id: int
    language: str
    title: str
    slug: str
    audience: str
    status: str
    # Plain text around the first match (… where cut), and the same HTML-escaped with the
    # matched words in <mark>.
    snippet: str
    snippet_html: str
    score: float
    # The title escaped with the matched words in <mark>; the article's category; when the
    # translation was last edited.
    title_html: str = ""
    category_id: int | None = None
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class ArticleResults:
    hits: list[ArticleHit]
    # Every matching translation (not only this page's).
    total: int
    # The words the typo fallback searched for instead ("refund" for "refnd"); empty when
    # the words typed matched.
    corrected: tuple[str, ...] = field(default_factory=tuple)


def article_search(
    *,
    workspace_id: int,
    query: str,
    public: bool,
    include_drafts: bool = False,
    language: str | None = None,
    category_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[ArticleHit]:
    """The articles matching `query` (words; the last one also as a prefix), best first:
    title matches rank above body matches.

    public=True: published public articles only (the help center, the widget).
    public=False: published articles of both audiences (agents); include_drafts=True adds
    drafts and archived ones (writers, holding manage_resources).
    language: only translations in that language (a code of core.i18n.LANGUAGE_CODES);
    None: every language. Each article appears once per matching translation.
    A query with nothing to search for (empty, only punctuation, too long) finds nothing."""
    try:
        parsed = parse_query(query)
    except FieldErrors:
        return []
    return search_articles(
        workspace_id=workspace_id,
        query=parsed,
        public=public,
        include_drafts=include_drafts,
        language=language,
        category_id=category_id,
        limit=limit,
        offset=offset,
    ).hits


def search_articles(
    *,
    workspace_id: int,
    query: Query,
    public: bool,
    include_drafts: bool = False,
    language: str | None = None,
    category_id: int | None = None,
    status: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> ArticleResults:
    """article_search with a parsed query, and the total count; `status` narrows to one
    status among those the other arguments allow."""
    where, params = _filters(workspace_id, public, include_drafts, language, category_id)
    if status:
        where += " AND a.status = %(status)s"
        params["status"] = status
    params.update(limit=limit, offset=offset, body=BODY_READ)
    if connection.vendor == "postgresql":
        rows = _postgresql(query, where, params)
    else:
        rows = _sqlite(query, where, params)
    if not rows and offset:
        # Past the last page: the count alone.
        total = search_articles(
            workspace_id=workspace_id,
            query=query,
            public=public,
            include_drafts=include_drafts,
            language=language,
            category_id=category_id,
            status=status,
            limit=1,
        ).total
        return ArticleResults(hits=[], total=total)
    fixed = tuple((rows[0].get("fixed") or "").split()) if rows else ()
    marks = query
    if fixed:
        marks = Query(
            words=fixed, prefix=query.prefix, all_terms=frozenset(fixed) | query.all_terms
        )
    return ArticleResults(
        hits=[_hit(r, marks) for r in rows],
        total=rows[0]["total"] if rows else 0,
        corrected=tuple(w for w in dict.fromkeys(fixed) if w not in _typed(query)),
    )


def _typed(query: Query) -> list[str]:
    """Every term in the order typed (phrases' words one by one; the prefix last)."""
    out = list(query.words) + [w for p in query.phrases for w in p]
    return out + [query.prefix] if query.prefix else out


def _filters(ws, public, include_drafts, language, category_id) -> tuple[str, dict]:
    where = ["t.workspace_id = %(ws)s"]
    params = {"ws": ws, "published": ArticleStatus.PUBLISHED.value}
    if public:
        where.append("a.audience = %(public)s AND a.status = %(published)s")
        params["public"] = Audience.PUBLIC.value
    elif not include_drafts:
        where.append("a.status = %(published)s")
    if language:
        where.append("t.language = %(language)s")
        params["language"] = language
    if category_id:
        # The category and every category under it.
        where.append(
            "a.category_id IN (WITH RECURSIVE tree(id) AS (SELECT c.id FROM resources_category c"
            " WHERE c.id = %(category)s UNION ALL"
            " SELECT c.id FROM resources_category c JOIN tree ON c.parent_id = tree.id)"
            " SELECT id FROM tree)"
        )
        params["category"] = category_id
    return " AND ".join(where), params


def _rows(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# PostgreSQL -------------------------------------------------------------------------------

# The characters of a body read for its snippet: a match further on shows the start.
BODY_READ = 4000
_PG = """
WITH exact AS MATERIALIZED (
    SELECT t.id, t.updated_at, NULL::text AS fixed, t.in_title, t.rank
    FROM resources_article_matches(
        %(ws)s, to_tsquery('simple', %(q)s), to_tsquery('simple', %(any_q)s)
    ) AS t
    JOIN resources_article a ON a.id = t.article_id
    WHERE {where}
),
alternatives AS (
    SELECT u.n,
        '(' || string_agg(quote_literal(c.word) || c.suffix, ' | ') || ')' AS alts,
        string_agg(c.word, ' ') AS words
    FROM unnest(%(terms)s::text[], %(prefixes)s::bool[]) WITH ORDINALITY AS u(term, prefix, n)
    CROSS JOIN LATERAL (
        (SELECT u.term AS word, CASE WHEN u.prefix THEN ':*' ELSE '' END AS suffix)
        UNION ALL
        (SELECT w.word, '' FROM (
            -- Close by trigrams (the index; similarity 0.3 and more), and, for the typos
            -- trigrams judge harshly (two letters swapped in a short word), the words of
            -- the same first letter a little less similar.
            SELECT v.word FROM resources_searchword v
            WHERE v.workspace_id = %(ws)s AND v.word %% u.term
            UNION
            SELECT v.word FROM resources_searchword v
            WHERE v.workspace_id = %(ws)s AND v.word >= left(u.term, 1)
                AND v.word < left(u.term, 1) || chr(1114111)
                AND similarity(v.word, u.term) >= 0.2
         ) w
         WHERE length(u.term) >= 3 AND w.word <> u.term
         ORDER BY similarity(w.word, u.term) DESC, w.word LIMIT 3)
    ) c
    WHERE NOT EXISTS (SELECT 1 FROM exact)
    GROUP BY u.n
),
fuzzy AS (
    SELECT t.id, t.updated_at, f.words AS fixed, t.in_title, t.rank
    FROM (
        SELECT to_tsquery('simple', string_agg(alts, ' & ')) AS q,
            to_tsquery('simple', string_agg(alts, ' | ')) AS any,
            string_agg(words, ' ') AS words
        FROM alternatives HAVING count(*) > 0
    ) f
    CROSS JOIN LATERAL resources_article_matches(%(ws)s, f.q, f.any) AS t
    JOIN resources_article a ON a.id = t.article_id
    WHERE {where}
),
page AS (
    SELECT found.*, count(*) OVER () AS total
    FROM (SELECT * FROM exact UNION ALL SELECT * FROM fuzzy) found
    ORDER BY in_title DESC, rank DESC, updated_at DESC, id DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT p.id, p.fixed, p.total, p.in_title, p.rank, t.article_id, t.language, t.title, t.slug,
    left(t.body, %(body)s) AS body, t.updated_at, a.audience, a.status, a.category_id
FROM page p
JOIN resources_articletranslation t ON t.id = p.id
JOIN resources_article a ON a.id = t.article_id
ORDER BY p.in_title DESC, p.rank DESC, p.updated_at DESC, p.id DESC
"""


def _pg_any(query: Query) -> str:
    """Any of the query's terms: how much of the title matches."""
    parts = list(query.words) + [w for p in query.phrases for w in p]
    return " | ".join([f"'{w}'" for w in parts] + ([f"'{query.prefix}':*"] if query.prefix else []))


def _postgresql(query: Query, where: str, params: dict) -> list[dict]:
    terms = _typed(query)
    # The function reads one workspace already; said again, the condition would make the
    # planner expect a handful of rows and join the articles row by row.
    sql = _PG.format(where=where.replace("t.workspace_id = %(ws)s AND ", "", 1) or "TRUE")
    params.update(
        q=query.tsquery(),
        any_q=_pg_any(query),
        terms=terms,
        prefixes=[bool(query.prefix) and i == len(terms) - 1 for i in range(len(terms))],
    )
    return _rows(sql, params)


# SQLite -----------------------------------------------------------------------------------

_SQLITE = f"""
WITH matched AS MATERIALIZED (
    SELECT rowid AS id, -bm25({FTS}, 10.0, 1.0) AS rank FROM {FTS} WHERE {FTS} MATCH %(q)s
)
SELECT t.id, t.article_id, t.language, t.title, t.slug, substr(t.body, 1, %(body)s) AS body,
    t.updated_at, a.audience,
    a.status, a.category_id, m.rank,
    (t.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %(title_q)s)) AS in_title,
    count(*) OVER () AS total
FROM matched m
JOIN resources_articletranslation t ON t.id = m.id
JOIN resources_article a ON a.id = t.article_id
WHERE {{where}}
ORDER BY in_title DESC, m.rank DESC, t.updated_at DESC, t.id DESC
LIMIT %(limit)s OFFSET %(offset)s
"""


def _sqlite(query: Query, where: str, params: dict) -> list[dict]:
    sql = _SQLITE.format(where=where)
    expr = query.fts5()
    rows = _rows(sql, {**params, "q": expr, "title_q": f"title : ({expr})"})
    if rows:
        return rows
    if params["offset"]:
        exists = _rows(sql, {**params, "q": expr, "title_q": expr, "limit": 1, "offset": 0})
        if exists:
            return []
    # The typo fallback: each term or one of its close words in the vocabulary.
    groups, fixed = [], []
    for i, term in enumerate(terms := _typed(query)):
        last = bool(query.prefix) and i == len(terms) - 1
        close = _close_words(term)
        fixed += close
        alts = [f'"{term}"*' if last else f'"{term}"'] + [f'"{w}"' for w in close]
        groups.append("(" + " OR ".join(alts) + ")")
    if not fixed:
        return []
    expr = " AND ".join(groups)
    rows = _rows(sql, {**params, "q": expr, "title_q": f"title : ({expr})"})
    for r in rows:
        r["fixed"] = " ".join(fixed)
    return rows


def _close_words(term: str) -> list[str]:
    """Up to 4 words of the index one or two edits away from `term` (one for short words),
    starting with the same letter: SQLite has no trigram similarity, and a first letter is
    seldom the one mistyped."""
    if len(term) < 3:
        return []
    most = 1 if len(term) <= 4 else 2
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, doc FROM {VOCAB} WHERE term >= %s AND term < %s"
            " AND length(term) BETWEEN %s AND %s",
            [term[0], chr(ord(term[0]) + 1), len(term) - most, len(term) + most],
        )
        found = []
        for word, docs in cursor.fetchall():
            if word != term and (d := _distance(term, word, most)) <= most:
                found.append((d, -docs, word))
    return [w for _d, _n, w in sorted(found)[:4]]


def _distance(a: str, b: str, most: int) -> int:
    """Edits from a to b (insert, delete, replace, swap two neighbours); most + 1 when more
    than `most`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > most:
            return most + 1
        prev2, prev = prev, cur
    return prev[-1]


# Both --------------------------------------------------------------------------------------

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|\|+|<[^>]*>")
# Emphasis and code marks touch their words: removed, not spaced ("**3 days**." → "3 days.").
_EMPHASIS = re.compile(r"[*`~]+")


def _plain(markdown: str) -> str:
    """The words of a Markdown body, cheaply (a page of hits is marked in well under a
    millisecond; the full renderer would cost more than the search)."""
    text = _IMAGE.sub(r"\1", markdown[:20000])
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub("", _MARKUP.sub(" ", text))


def _when(value) -> dt.datetime | None:
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _hit(row: dict, query: Query) -> ArticleHit:
    text = snippet(_plain(row["body"]), query)
    title = snippet(row["title"], query, length=300)
    rank = float(row["rank"] or 0)
    return ArticleHit(
        article_id=row["article_id"],
        translation_id=row["id"],
        language=row["language"],
        title=row["title"],
        slug=row["slug"],
        audience=row["audience"],
        status=row["status"],
        snippet=text.text,
        snippet_html=str(text.html),
        # Title matches in [1, 2), the others in [0, 1).
        score=float(row["in_title"] or 0) + rank / (1 + rank),
        title_html=str(title.html),
        category_id=row["category_id"],
        updated_at=_when(row["updated_at"]),
    )
