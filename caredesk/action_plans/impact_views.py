"""The impact of a plan as JSON for its chart (placeholder of the shared core; the impact
branch writes it)."""

from django.http import Http404
from django.views.decorators.http import require_GET

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import workspace_view


@require_GET
@workspace_view(Perm.USE_CARE)
def action_plan_impact(request, access, plan):
    raise Http404
