"""Searching the knowledge articles over REST: GET …/articles/search (internal readers see
the published articles of both audiences; writers, holding manage_resources, also drafts and
archived ones). caredesk.resources.search_params reads and checks the parameters."""

import datetime as dt

from ninja import Query, Router, Schema
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS
from caredesk.core.i18n import LANGUAGE_CODES
from caredesk.resources.models import ArticleStatus
from caredesk.resources.search import ArticleHit
from caredesk.resources.search_params import (
    MAX_PAGE,
    PAGE_SIZE,
    parse_article_search,
    search_page,
)
from caredesk.search.query import MAX_LENGTH
from caredesk.workspaces.permissions import Perm

router = Router(tags=["articles"])


class ArticleSearchParams(Schema):
    # Read again from the query string by parse_article_search, so a refused value is a 400
    # naming it, as everywhere else.
    q: str = Field(
        "",
        description='Words (all must match), "quoted phrases"; the last word also matches as'
        f" a prefix; a mistyped word finds the closest words. At most {MAX_LENGTH} characters.",
    )
    language: str = Field("", description=f"One of {', '.join(LANGUAGE_CODES)}; empty: all")
    category: str = Field("", description="Category id: that category and those under it")
    status: str = Field(
        "",
        description=f"Writers only: one of {', '.join(ArticleStatus.values)}; empty: any they"
        " may see",
    )
    page: str = Field("", description=f"1 to {MAX_PAGE}; {PAGE_SIZE} hits a page")


class ArticleSearchHitOut(Schema):
    article: int = Field(description="The article's id")
    translation: int = Field(description="The matching translation's id")
    language: str
    title: str
    title_html: str = Field(description="The title, HTML-escaped, matched words in <mark>")
    slug: str
    audience: str
    status: str
    category: int | None
    snippet: str = Field(description="Plain text around the first match, … where cut")
    snippet_html: str = Field(description="The same, HTML-escaped, matched words in <mark>")
    score: float = Field(description="Higher first; title matches are at 1 and above")
    updated_at: dt.datetime | None


class ArticleSearchPageOut(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    corrected: list[str] = Field(
        description="The words searched for instead when nothing matched as typed"
    )
    items: list[ArticleSearchHitOut]


def _hit(h: ArticleHit) -> dict:
    return {
        "article": h.article_id,
        "translation": h.translation_id,
        "language": h.language,
        "title": h.title,
        "title_html": h.title_html,
        "slug": h.slug,
        "audience": h.audience,
        "status": h.status,
        "category": h.category_id,
        "snippet": h.snippet,
        "snippet_html": h.snippet_html,
        "score": h.score,
        "updated_at": h.updated_at,
    }


@router.get(
    "/workspaces/{workspace}/articles/search",
    response={200: ArticleSearchPageOut, **ERRORS},
    summary="Full-text search of the knowledge articles, title matches first",
)
def article_search(request, workspace: str, params: Query[ArticleSearchParams]):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    result = search_page(access, parse_article_search(request.GET, access))
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "page_size": result.page_size,
        "corrected": list(result.corrected),
        "items": [_hit(h) for h in result.hits],
    }
