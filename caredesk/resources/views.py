"""Resource center pages (placeholders of the shared core; the articles branch writes them)."""

from django.http import Http404
from django.views.decorators.http import require_GET

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@require_GET
@workspace_view(Perm.USE_CARE)
def resource_center(request, access):
    return render_ws(request, access, "resources/center.html", {}, active="resources")


@workspace_view(Perm.MANAGE_RESOURCES)
def article_create(request, access):
    raise Http404


@workspace_view(Perm.USE_CARE)
def article_detail(request, access, article):
    raise Http404
