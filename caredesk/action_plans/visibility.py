"""Who may read a plan (the impact's own check until the plans branch's selectors exist):
those whose management area holds the plan's segment, its owner and collaborators, and
those who see the whole workspace."""

from django.db.models import Q

from caredesk.action_plans.models import ActionPlan
from caredesk.workspaces.access import Access, area_q


def readable_q(access: Access) -> Q | None:
    if access.sees_whole_workspace:
        return None
    cond = Q(owner=access.user) | Q(collaborators=access.user)
    # A plan of the whole workspace (no segment) is in no manager's area.
    return cond | (area_q(access, "segment_path") & ~Q(segment_path=""))


def readable_plans(access: Access):
    qs = ActionPlan.objects.filter(workspace=access.workspace)
    cond = readable_q(access)
    return qs if cond is None else qs.filter(cond).distinct()


def readable_plan(access: Access, pk: int) -> ActionPlan | None:
    return readable_plans(access).select_related("workspace").filter(pk=pk).first()
