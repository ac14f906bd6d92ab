"""Reads of the public help center (and its one write: a view of an article). Only published
public articles exist here; the site is "<organization slug>.<workspace slug>".

An article is shown to a visitor in one of its translations: the one in the visitor's
language when it has one, else the one it was first written in, else any."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from caredesk.core.i18n import LANGUAGE_CHOICES
from caredesk.core.markdown import markdown_text
from caredesk.resources.models import (
    Article,
    ArticleStatus,
    ArticleTranslation,
    ArticleUse,
    Audience,
    Category,
    UseKind,
)
from caredesk.resources.search import article_search
from caredesk.workspaces.models import Workspace

MAX_QUERY = 200
POPULAR_DAYS = 30
POPULAR_COUNT = 5
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def site_key(workspace: Workspace) -> str:
    return f"{workspace.organization.slug}.{workspace.slug}"


def workspace_for_site(site: str) -> Workspace | None:
    org_slug, dot, ws_slug = site.partition(".")
    if not dot or not org_slug or not ws_slug:
        return None
    return (
        Workspace.objects.select_related("organization")
        .filter(organization__slug=org_slug, slug=ws_slug)
        .first()
    )


def public_articles(workspace: Workspace):
    return Article.objects.filter(
        workspace=workspace, audience=Audience.PUBLIC, status=ArticleStatus.PUBLISHED
    )


def hreflang(language: str) -> str:
    """Our code as a BCP 47 tag: "pt-br" → "pt-BR"."""
    base, _dash, region = language.partition("-")
    return f"{base}-{region.upper()}" if region else base


def choose(translations, language: str, original: str):
    by_language = {t.language: t for t in translations}
    return by_language.get(language) or by_language.get(original) or next(iter(translations), None)


@dataclass(frozen=True)
class Entry:
    article: Article
    translation: ArticleTranslation

    @property
    def summary(self) -> str:
        return summary(self.translation.body)


def plain(text: str) -> str:
    """Markdown as one line of plain text (a search snippet may be cut mid-Markdown)."""
    return " ".join(markdown_text(text).split())


def summary(body: str, length: int = 160) -> str:
    text = plain(body)
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def category_name(category: Category | None, language: str) -> str:
    if category is None:
        return ""
    return (category.names or {}).get(language) or category.name


def category_path(category: Category | None, language: str) -> list[str]:
    """The names from the top of the tree down to `category` (a few queries: trees are shallow)."""
    names = []
    seen = set()
    while category is not None and category.pk not in seen:
        seen.add(category.pk)
        names.append(category_name(category, language))
        category = category.parent
    return names[::-1]


def entries(workspace: Workspace, language: str, articles=None) -> list[Entry]:
    """Published public articles, each in the visitor's translation."""
    articles = articles if articles is not None else public_articles(workspace)
    found = []
    for article in articles.select_related("category").prefetch_related("translations"):
        translation = choose(list(article.translations.all()), language, article.language)
        if translation is not None:
            found.append(Entry(article, translation))
    return found


@dataclass
class Section:
    name: str
    entries: list[Entry]


def sections(workspace: Workspace, language: str) -> list[Section]:
    """The categories that hold public articles, in the tree's order ("Parent › Child"),
    then the articles of no category."""
    by_category: dict[int | None, list[Entry]] = {}
    for entry in entries(workspace, language):
        by_category.setdefault(entry.article.category_id, []).append(entry)
    for items in by_category.values():
        items.sort(key=lambda e: e.translation.title.lower())
    categories = {c.pk: c for c in Category.objects.filter(workspace=workspace)}

    def path(category):
        names, seen = [], set()
        while category is not None and category.pk not in seen:
            seen.add(category.pk)
            names.append(category)
            category = categories.get(category.parent_id)
        return names[::-1]

    ordered = sorted(
        (path(categories[pk]) for pk in by_category if pk in categories),
        key=lambda chain: [(c.position, category_name(c, language).lower()) for c in chain],
    )
    found = [
        Section(" › ".join(category_name(c, language) for c in chain), by_category[chain[-1].pk])
        for chain in ordered
    ]
    loose = by_category.get(None, []) + [
        e
        for pk, items in by_category.items()
        if pk is not None and pk not in categories
        for e in items
    ]
    if loose:
        found.append(Section("", loose))
    return found


def most_viewed(workspace: Workspace, language: str) -> list[Entry]:
    """The public articles viewed most in the last POPULAR_DAYS days."""
    since = timezone.now() - timedelta(days=POPULAR_DAYS)
    top = list(
        ArticleUse.objects.filter(workspace=workspace, kind=UseKind.VIEWED, at__gte=since)
        .filter(article__audience=Audience.PUBLIC, article__status=ArticleStatus.PUBLISHED)
        .values("article")
        .annotate(n=Count("id"))
        .order_by("-n", "article")
        .values_list("article", flat=True)[:POPULAR_COUNT]
    )
    found = {
        e.article.pk: e
        for e in entries(workspace, language, public_articles(workspace).filter(pk__in=top))
    }
    return [found[pk] for pk in top if pk in found]


def search(workspace: Workspace, query: str, language: str, limit: int = 20):
    """Hits in the visitor's language; when there are none there, in any language, one per
    article."""
    hits = article_search(
        workspace_id=workspace.pk, query=query, public=True, language=language, limit=limit
    )
    if hits:
        return hits
    seen, found = set(), []
    for hit in article_search(workspace_id=workspace.pk, query=query, public=True, limit=limit):
        if hit.article_id not in seen:
            seen.add(hit.article_id)
            found.append(hit)
    return found


def translation_by_slug(workspace: Workspace, slug: str) -> ArticleTranslation | None:
    return (
        ArticleTranslation.objects.select_related("article__category")
        .filter(
            workspace=workspace,
            slug=slug,
            article__audience=Audience.PUBLIC,
            article__status=ArticleStatus.PUBLISHED,
        )
        .first()
    )


def record_view(translation: ArticleTranslation) -> None:
    """One row per public view (the effectiveness figures count them)."""
    ArticleUse.objects.create(
        workspace_id=translation.workspace_id,
        article_id=translation.article_id,
        translation=translation,
        kind=UseKind.VIEWED,
    )
