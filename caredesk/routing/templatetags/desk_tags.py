from django import template

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour on."""
    try:
        seconds = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def wait_level(seconds) -> str:
    """A calm colour cue for a wait: ok under a minute, warn under three, late after."""
    seconds = int(seconds or 0)
    return "ok" if seconds < 60 else "warn" if seconds < 180 else "late"
