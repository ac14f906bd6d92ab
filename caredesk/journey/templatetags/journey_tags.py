"""Small display helpers for the summary panel and the timeline."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# One glyph per media type (stroked 16px icons, drawn with currentColor).
_ICONS = {
    "chat": '<path d="M3 4h10v7H7l-3 2.5V11H3z"/>',
    "call": (
        '<path d="M4 2.5h2.2l1 3-1.4 1a7 7 0 0 0 3.7 3.7l1-1.4 3 1v2.2'
        'A1.5 1.5 0 0 1 12 13.5 9.5 9.5 0 0 1 2.5 4 1.5 1.5 0 0 1 4 2.5z"/>'
    ),
    "email": '<rect x="2.5" y="3.5" width="11" height="9" rx="1"/><path d="M3 4.5l5 4 5-4"/>',
    "web_form": (
        '<rect x="3" y="2.5" width="10" height="11" rx="1"/><path d="M5.5 6h5M5.5 8.5h5M5.5 11h3"/>'
    ),
    "survey_response": (
        '<path d="M8 2.5l1.7 3.5 3.8.5-2.8 2.6.7 3.8L8 11.1l-3.4 1.8.7-3.8L2.5 6.5l3.8-.5z"/>'
    ),
    "note": '<path d="M3.5 2.5h6l3 3v8h-9z"/><path d="M9.5 2.5v3h3M5.5 8.5h5M5.5 11h3"/>',
}


@register.simple_tag
def media_icon(media_type: str):
    path = _ICONS.get(media_type, _ICONS["note"])
    return format_html(
        '<span class="j-icon m-{}" aria-hidden="true"><svg viewBox="0 0 16 16" width="14" '
        'height="14" fill="none" stroke="currentColor" stroke-width="1.4" '
        'stroke-linejoin="round" stroke-linecap="round">{}</svg></span>',
        media_type,
        mark_safe(path),  # noqa: S308 - constants above, never data
    )


@register.filter
def duration(seconds):
    """92 → "1m 32s"; 3720 → "1h 02m"; None → "—"."""
    if seconds in (None, ""):
        return "—"
    s = int(seconds)
    # Translators: a duration under a minute, e.g. "42s"; the unit is the language's short one.
    if s < 60:
        return _("%(s)ss") % {"s": s}
    if s < 3600:
        return _("%(m)sm %(s)ss") % {"m": s // 60, "s": f"{s % 60:02d}"}
    return _("%(h)sh %(m)sm") % {"h": s // 3600, "m": f"{(s % 3600) // 60:02d}"}


@register.filter
def seconds_between(end, start):
    if not end or not start:
        return None
    return max(0, int((end - start).total_seconds()))


@register.filter
def preview(activity) -> str:
    """One line saying what the activity was about, for the timeline."""
    ctx = activity.context if isinstance(activity.context, dict) else {}
    if activity.media_type == "note":
        return activity.body
    if activity.subject:
        return activity.subject
    if activity.media_type == "chat":
        text = activity.queue_name or _("Web chat")
        if activity.wait_seconds is not None:
            text += " · " + _("waited %(time)s") % {"time": duration(activity.wait_seconds)}
        return text
    if activity.media_type == "call":
        call = ctx.get("call") if isinstance(ctx.get("call"), dict) else {}
        caller = call.get("caller") or ctx.get("caller") or _("Unknown caller")
        return f"{caller} · {activity.queue_name}" if activity.queue_name else str(caller)
    return activity.body


@register.simple_tag(takes_context=True)
def activity_marks(context, items):
    """{activity id: [ActivityMark]} for `items` (one activity, or a timeline's mix of
    activities and events), from the apps above journey (journey.selectors.MARK_SOURCES): one
    query per source for the whole list. Empty without a viewer."""
    from caredesk.journey.selectors import activity_marks as marks

    access = context.get("access")
    if access is None or not items:
        return {}
    if hasattr(items, "pk"):
        items = [items]
    return marks(access, [getattr(i, "pk", None) for i in items if not getattr(i, "is_event", 0)])


@register.filter
def marks_of(marks, pk):
    """The marks (activity_marks) of one activity id, else []."""
    return marks.get(pk, []) if marks else []
