"""Action plan pages (placeholders of the shared core; the plans branch writes them)."""

from django.http import Http404
from django.views.decorators.http import require_GET

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@require_GET
@workspace_view(Perm.USE_CARE)
def action_plan_list(request, access):
    return render_ws(request, access, "action_plans/list.html", {}, active="action_plans")


@workspace_view(Perm.MANAGE_ACTION_PLANS)
def action_plan_create(request, access):
    raise Http404


@require_GET
@workspace_view(Perm.USE_CARE)
def action_plan_export(request, access):
    raise Http404


@workspace_view(Perm.USE_CARE)
def action_plan_detail(request, access, plan):
    raise Http404
