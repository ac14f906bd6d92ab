"""The search page (a page of the Conversations tab): everything the user may see."""

from django.utils.http import urlencode

from caredesk.core.errors import FieldErrors
from caredesk.search.models import Kind
from caredesk.search.query import MAX_LENGTH
from caredesk.search.selectors import kind_labels, parse_search
from caredesk.search.selectors import search as run_search
from caredesk.workspaces.models import Membership, Tab
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import segment_tree
from caredesk.workspaces.web import render_ws, workspace_view

FIELDS = ("q", "kind", "from", "to", "segment", "agent")


def _page_url(request, page: int) -> str:
    params = {k: request.GET.get(k, "") for k in FIELDS if request.GET.get(k)}
    if page > 1:
        params["page"] = str(page)
    return "?" + urlencode(params)


@workspace_view(Perm.USE_CARE)
def search(request, access):
    raw = {k: request.GET.get(k, "") for k in FIELDS}
    result, errors, status = None, {}, 200
    if any(raw.values()) or "q" in request.GET:
        try:
            query, filters, page = parse_search(request.GET, access)
            result = run_search(access, query, filters, page)
        except FieldErrors as e:
            errors, status = e.errors, 400
    labels = kind_labels()
    context = {
        "raw": raw,
        "result": result,
        "errors": errors,
        "max_length": MAX_LENGTH,
        "kinds": [(k, labels[k]) for k in Kind.values],
        "segment_choices": [
            (str(s.pk), "\u00a0\u00a0\u00a0" * s.depth + s.name)
            for s in segment_tree(access.workspace.organization_id)
        ],
        "members": [
            (str(m.user_id), m.user.get_full_name() or m.user.username)
            for m in Membership.objects.filter(workspace=access.workspace)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "user_id")
        ],
        "prev_url": _page_url(request, result.page - 1) if result and result.page > 1 else "",
        "next_url": _page_url(request, result.page + 1) if result and result.has_next else "",
    }
    return render_ws(
        request, access, "search/search.html", context, active=Tab.CONVERSATIONS, status=status
    )
