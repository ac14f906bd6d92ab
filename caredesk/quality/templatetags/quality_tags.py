"""Template helpers of the quality pages: a score as people read it, and the evaluations shown
beside activities and tickets on other areas' pages (the desk timeline, the activity details,
the ticket dialog), read in one query per page, never one per row."""

import datetime as dt

from django import template

from caredesk.core.templatetags.fmt import clock, num
from caredesk.quality.evaluations import evaluations_of_activities, evaluations_of_case

register = template.Library()


@register.filter
def score(value):
    """87.5 / 90 (not 90.0), in the language's number format."""
    if value is None or value == "":
        return ""
    value = round(float(value), 2)
    return num(int(value) if value.is_integer() else value)


@register.filter
def line_time(value):
    """A transcript line's time: a moment in the viewer's zone, or the offset a telephony
    system wrote as text ("00:01:05")."""
    if isinstance(value, dt.datetime):
        return clock(value)
    return "" if value is None else str(value)


@register.simple_tag(takes_context=True)
def activity_evaluations(context, items):
    """{activity id: its latest evaluation the viewer sees} for `items` (one activity, or a
    timeline's mix of activities and events): one query. Empty without a viewer."""
    access = context.get("access")
    if access is None or not items:
        return {}
    if hasattr(items, "pk"):
        items = [items]
    ids = [getattr(i, "pk", None) for i in items if not getattr(i, "is_event", False)]
    return evaluations_of_activities(access, ids)


@register.simple_tag(takes_context=True)
def case_evaluations(context, case):
    """The evaluations of a ticket the viewer sees, newest first."""
    access = context.get("access")
    if access is None:
        return []
    return evaluations_of_case(access, case)


@register.filter
def evaluation_of(evaluations, pk):
    """`evaluations` (activity_evaluations) for one activity id, else None."""
    return evaluations.get(pk) if evaluations else None
