"""`{% plan_impact plan as impact %}`: the plan's impact for templates/action_plans/_impact.html,
which the plan's page includes with only `plan` (and the page's `access`) in its context."""

from django import template

from caredesk.action_plans.impact import impact
from caredesk.action_plans.impact_present import payload
from caredesk.core.errors import FieldErrors

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_impact(context, plan):
    """The payload impact.json answers; {"metric": None} without a metric, and the stored
    filter's errors when one is no longer valid."""
    access = context.get("access")
    if plan is None or access is None:
        return {"metric": None}
    try:
        result = impact(plan)
    except FieldErrors as e:
        return {"metric": plan.metric, "errors": e.errors}
    if result is None:
        return {"metric": None}
    return payload(access, result)
