from django import template

from caredesk.feedback.selectors import case_source_response

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key] in a template, for keys only known at render time."""
    if not mapping:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def source_response_id(case):
    """The id of the survey response a rule opened the case from, or None
    (caredesk.feedback.selectors.case_source_response)."""
    response = case_source_response(case)
    return response.pk if response is not None else None
