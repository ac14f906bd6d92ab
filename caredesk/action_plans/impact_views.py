"""The impact of a plan as JSON (its chart's numbers, with the rows behind each): for those
who may read the plan, 404 for anyone else (never revealing that it exists)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from caredesk.action_plans.impact import impact
from caredesk.action_plans.impact_present import payload
from caredesk.action_plans.selectors import plan_get
from caredesk.core.errors import FieldErrors
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import workspace_view


@require_GET
@workspace_view(Perm.USE_CARE)
def action_plan_impact(request, access, plan):
    obj = plan_get(access, plan)
    try:
        result = impact(obj)
    except FieldErrors as e:
        # A stored filter no longer valid (its segment deleted): say which, as the card does.
        return JsonResponse({"metric": obj.metric, "errors": e.errors}, status=409)
    if result is None:
        return JsonResponse({"plan": obj.pk, "metric": None})
    return JsonResponse(payload(access, result))
