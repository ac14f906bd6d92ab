"""Articles around the customers: the desk's suggestions and quick search, insertions, and
each article's effectiveness (placeholders of the shared core; the desk branch writes them)."""

from django.http import Http404
from django.views.decorators.http import require_GET

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import workspace_view


@require_GET
@workspace_view(Perm.USE_CARE)
def resource_suggest(request, access):
    raise Http404


@require_GET
@workspace_view(Perm.USE_CARE)
def article_effectiveness(request, access, article):
    raise Http404
