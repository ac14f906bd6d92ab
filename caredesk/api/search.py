"""Search over REST: GET …/search, every text the caller may see (caredesk.search)."""

import datetime as dt

from ninja import Query, Router, Schema
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS
from caredesk.search.highlight import Snippet
from caredesk.search.models import Kind
from caredesk.search.query import MAX_LENGTH
from caredesk.search.selectors import MAX_PAGE, Hit, parse_search, search
from caredesk.workspaces.permissions import Perm

router = Router(tags=["search"])


class SearchParams(Schema):
    # Read again from the query string by parse_search (which also takes `kind` repeated), so
    # a refused value is a 400 naming it, as everywhere else.
    q: str = Field(
        "",
        description=f'Words (all must match), "quoted phrases"; the last word also matches'
        f" as a prefix. At most {MAX_LENGTH} characters.",
    )
    kind: str = Field("", description=f"Comma-separated, any of: {', '.join(Kind.values)}")
    date_from: str = Field("", alias="from", description="YYYY-MM-DD, in the caller's zone")
    to: str = Field("", description="YYYY-MM-DD, inclusive")
    segment: str = Field("", description="Segment id: texts of that segment and below")
    agent: str = Field(
        "", description="User id: texts of activities they handled, tickets they own"
    )
    page: str = Field("", description=f"1 to {MAX_PAGE}; 20 hits a page")


class SearchSnippetOut(Schema):
    text: str = Field(description="Plain text, whitespace collapsed, … where cut")
    html: str = Field(description="The same text, HTML-escaped, matched words in <mark>")
    matches: list[list[int]] = Field(description="[start, end) of each matched word in text")


class SearchHitOut(Schema):
    kind: str
    kind_label: str
    ticket: int | None = Field(description="Number of its ticket (ticket and comment hits)")
    activity: int | None = Field(description="Id of its activity (journey hits, chat messages)")
    response: int | None = Field(description="Id of its survey response")
    message: int | None = Field(description="Id of the chat message")
    title: SearchSnippetOut
    snippet: SearchSnippetOut
    occurred_at: dt.datetime
    url: str = Field(description="Path of its page (empty when it has none yet)")


class SearchPageOut(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    items: list[SearchHitOut]


def _snippet(s: Snippet) -> dict:
    return {"text": s.text, "html": str(s.html), "matches": [list(m) for m in s.matches]}


def _hit(h: Hit) -> dict:
    return {
        "kind": h.kind,
        "kind_label": h.kind_label,
        "ticket": h.case_number,
        "activity": h.activity_id,
        "response": h.response_id,
        "message": h.message_id,
        "title": _snippet(h.title),
        "snippet": _snippet(h.snippet),
        "occurred_at": h.occurred_at,
        "url": h.url,
    }


@router.get(
    "/workspaces/{workspace}/search",
    response={200: SearchPageOut, **ERRORS},
    summary="Full-text search of the tickets, comments, chats, calls, emails, web forms and"
    " survey verbatims the caller may see, best match first",
)
def search_texts(request, workspace: str, params: Query[SearchParams]):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    query, filters, page = parse_search(request.GET, access)
    result = search(access, query, filters, page)
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "page_size": result.page_size,
        "items": [_hit(h) for h in result.hits],
    }
