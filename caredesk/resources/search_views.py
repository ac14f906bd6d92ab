"""The resource center's search page: /w/<ws>/resources/search/."""

from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from caredesk.core.errors import FieldErrors
from caredesk.resources.models import ArticleStatus
from caredesk.resources.search_params import (
    FIELDS,
    category_choices,
    language_choices,
    parse_article_search,
    search_page,
    writes,
)
from caredesk.search.query import MAX_LENGTH
from caredesk.workspaces.models import Tab
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


def _page_url(request, page: int) -> str:
    params = {k: request.GET.get(k, "") for k in FIELDS if request.GET.get(k)}
    if page > 1:
        params["page"] = str(page)
    return "?" + urlencode(params)


def _rows(result, categories) -> list[tuple]:
    """Each hit with the names shown beside it."""
    if result is None:
        return []
    languages = dict(language_choices())
    statuses = dict(ArticleStatus.choices)
    names = {pk: name for pk, name, _depth in categories}
    return [
        (
            h,
            {
                "language": languages.get(h.language, h.language),
                "status": statuses.get(h.status, h.status),
                "category": names.get(h.category_id, ""),
            },
        )
        for h in result.hits
    ]


@require_GET
@workspace_view(Perm.USE_CARE)
def resource_search(request, access):
    raw = {k: request.GET.get(k, "") for k in FIELDS}
    result, errors, status = None, {}, 200
    if any(raw.values()) or "q" in request.GET or "page" in request.GET:
        try:
            result = search_page(access, parse_article_search(request.GET, access))
        except FieldErrors as e:
            errors, status = e.errors, 400
    categories = category_choices(access)
    context = {
        "raw": raw,
        "result": result,
        "errors": errors,
        "max_length": MAX_LENGTH,
        "writer": writes(access),
        "languages": language_choices(),
        "categories": [
            (str(pk), "\u00a0\u00a0\u00a0" * depth + name) for pk, name, depth in categories
        ],
        "statuses": ArticleStatus.choices,
        "rows": _rows(result, categories),
        "prev_url": _page_url(request, result.page - 1) if result and result.page > 1 else "",
        "next_url": _page_url(request, result.page + 1) if result and result.has_next else "",
    }
    return render_ws(
        request,
        access,
        "resources/search.html",
        context,
        active=Tab.RESOURCES,
        status=status,
    )
