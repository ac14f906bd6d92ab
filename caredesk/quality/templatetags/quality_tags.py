"""Template helpers of the quality pages: a score as people read it, and a ticket's evaluations
for the ticket dialog (tickets is above quality). Activities' evaluation badges on journey's
pages come through journey's mark sources (quality.marks), not from here."""

import datetime as dt

from django import template

from caredesk.core.templatetags.fmt import clock, num
from caredesk.quality.evaluations import evaluations_of_case

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
def case_evaluations(context, case):
    """The evaluations of a ticket the viewer sees, newest first."""
    access = context.get("access")
    if access is None:
        return []
    return evaluations_of_case(access, case)
