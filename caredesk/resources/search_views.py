"""The resource center's search page (placeholder of the shared core; the search branch
writes it)."""

from django.http import Http404
from django.views.decorators.http import require_GET

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import workspace_view


@require_GET
@workspace_view(Perm.USE_CARE)
def resource_search(request, access):
    raise Http404
