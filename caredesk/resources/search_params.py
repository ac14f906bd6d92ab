"""The resource center's search as a page of results, for the search page and the API: the
parameters read from a query string (each refused one named), who sees what (agents the
published articles of both audiences; writers, holding manage_resources, also drafts and
archived ones, and may filter on the status), then one call of the search."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import LANGUAGE_CHOICES, LANGUAGE_CODES
from caredesk.resources.models import ArticleStatus, Category
from caredesk.resources.search import ArticleHit, search_articles
from caredesk.search.query import Query, parse_query
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

PAGE_SIZE = 20
MAX_PAGE = 500
FIELDS = ("q", "language", "category", "status")


@dataclass(frozen=True)
class ArticleSearchParams:
    query: Query
    language: str | None = None
    category_id: int | None = None
    status: str | None = None
    page: int = 1


@dataclass(frozen=True)
class ArticleSearchPage:
    hits: list[ArticleHit]
    total: int
    page: int
    corrected: tuple[str, ...] = ()
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.page_size + len(self.hits)


def writes(access: Access) -> bool:
    return access.has(Perm.MANAGE_RESOURCES)


def _one(params: Mapping, name: str) -> str:
    value = params.get(name)
    return value.strip() if isinstance(value, str) else ""


def parse_article_search(params: Mapping, access: Access) -> ArticleSearchParams:
    """Read q, language, category, status (writers) and page; raise FieldErrors naming each
    one refused, all at once."""
    errors: dict[str, str] = {}
    query = None
    try:
        query = parse_query(params.get("q"))
    except FieldErrors as e:
        errors.update(e.errors)
    language = _one(params, "language").lower() or None
    if language and language not in LANGUAGE_CODES:
        errors["language"] = _("Unknown language; one of: %(codes)s.") % {
            "codes": ", ".join(LANGUAGE_CODES)
        }
    category_id = None
    if raw := _one(params, "category"):
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
            errors["category"] = _("A category id (a whole number).")
        elif not Category.objects.filter(workspace=access.workspace, pk=int(raw)).exists():
            errors["category"] = _("No such category in this workspace.")
        else:
            category_id = int(raw)
    status = _one(params, "status") or None
    if status and (status not in ArticleStatus.values or not writes(access)):
        allowed = ArticleStatus.values if writes(access) else [ArticleStatus.PUBLISHED.value]
        errors["status"] = _("Unknown status; one of: %(statuses)s.") % {
            "statuses": ", ".join(allowed)
        }
    page = 1
    if raw := _one(params, "page"):
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
            errors["page"] = _("A page number from 1 to %(n)s.") % {"n": MAX_PAGE}
        else:
            page = int(raw)
    if errors:
        raise FieldErrors(errors)
    return ArticleSearchParams(
        query=query, language=language, category_id=category_id, status=status, page=page
    )


def search_page(access: Access, params: ArticleSearchParams) -> ArticleSearchPage:
    result = search_articles(
        workspace_id=access.workspace.pk,
        query=params.query,
        public=False,
        include_drafts=writes(access),
        language=params.language,
        category_id=params.category_id,
        status=params.status,
        limit=PAGE_SIZE,
        offset=(params.page - 1) * PAGE_SIZE,
    )
    return ArticleSearchPage(
        hits=result.hits, total=result.total, page=params.page, corrected=result.corrected
    )


def category_choices(access: Access) -> list[tuple[int, str, int]]:
    """(id, name in the user's language, depth) of the workspace's categories, as a tree."""
    lang = (get_language() or "en").lower()
    rows = list(Category.objects.filter(workspace=access.workspace))
    children: dict[int | None, list[Category]] = {}
    for c in rows:
        children.setdefault(c.parent_id, []).append(c)
    out: list[tuple[int, str, int]] = []

    def walk(parent, depth):
        for c in children.get(parent, []):
            out.append((c.pk, (c.names or {}).get(lang) or c.name, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def language_choices() -> list[tuple[str, str]]:
    return list(LANGUAGE_CHOICES)
