"""Searching the articles: the one function every caller uses (the resource center's search,
the desk's `/` quick search and suggestions, the public help center and the widget, the API).

CONTRACT (shared core). The search branch replaces the body with the full-text index
(PostgreSQL tsvector + GIN, trigrams for typos; SQLite FTS5), keeping the signature and the
meaning of every argument and of `ArticleHit`. Until then: a plain substring match, so the
other branches can build on it."""

from dataclasses import dataclass

from django.db.models import Q

from caredesk.resources.models import ArticleStatus, ArticleTranslation, Audience


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
    None: every language. Each article appears once per matching translation."""
    words = query.split()
    qs = ArticleTranslation.objects.filter(workspace_id=workspace_id).select_related("article")
    if public:
        qs = qs.filter(article__audience=Audience.PUBLIC, article__status=ArticleStatus.PUBLISHED)
    elif not include_drafts:
        qs = qs.filter(article__status=ArticleStatus.PUBLISHED)
    if language:
        qs = qs.filter(language=language)
    if category_id:
        qs = qs.filter(article__category_id=category_id)
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    hits = []
    for t in qs.order_by("-updated_at")[offset : offset + limit]:
        in_title = all(w.lower() in t.title.lower() for w in words)
        text = t.body[:160]
        hits.append(
            ArticleHit(
                article_id=t.article_id,
                translation_id=t.pk,
                language=t.language,
                title=t.title,
                slug=t.slug,
                audience=t.article.audience,
                status=t.article.status,
                snippet=text,
                snippet_html=text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
                score=2.0 if in_title else 1.0,
            )
        )
    hits.sort(key=lambda h: -h.score)
    return hits
