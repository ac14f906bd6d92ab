"""`{% appeal_panel evaluation %}`: the appeals part of an evaluation's page (every appeal with
its items and decision, the appeal form for the agent, the decide form for the reviewer).
Needs `access` in the context, as every workspace page has."""

from django import template

from caredesk.core.templatetags.fmt import num
from caredesk.quality.views_appeals import panel_context

register = template.Library()


@register.inclusion_tag("quality/_appeal_panel_body.html", takes_context=True)
def appeal_panel(context, evaluation):
    return {
        "panel": panel_context(context["access"], evaluation),
        "workspace": context["workspace"],
        "access": context["access"],
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def score(value):
    """A score as |num shows it, without a trailing ".0": 90, 87.5."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return num(value)
