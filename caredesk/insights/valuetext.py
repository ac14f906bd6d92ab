"""A metric's value in words, in the active language: Home's figures and the digest show the
same text for the same number. Percentages are 0–100, durations seconds."""

from django.utils import formats
from django.utils.translation import gettext as _

from caredesk.insights.catalogue import Metric


def _n(value, decimals=None) -> str:
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def duration_text(seconds) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return _("%(s)s s") % {"s": seconds}
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return _("%(m)s min %(s)s s") % {"m": minutes, "s": f"{secs:02d}"}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)s h %(m)s min") % {"h": _n(hours), "m": f"{minutes:02d}"}
    days, hours = divmod(hours, 24)
    return _("%(d)s d %(h)s h") % {"d": _n(days), "h": hours}


def value_text(metric: Metric, value) -> str:
    """The value as a card shows it; "—" when there is nothing to compute it from."""
    if value is None:
        return "—"
    if metric.unit == "count":
        return _n(int(value))
    if metric.unit == "seconds":
        return duration_text(value)
    if metric.unit == "percent":
        return f"{_n(value, 1)}%"
    return _n(value, 1)


def change_text(change) -> str:
    """A relative change against the previous period: "+12%", "−3%"; "" without one."""
    if change is None:
        return ""
    percent = round(change * 100)
    if percent == 0:
        return "±0%"
    sign = "+" if percent > 0 else "−"
    return f"{sign}{_n(abs(percent))}%"


def change_tone(metric: Metric, change) -> str:
    """good | bad | "" (no direction is better, or no change)."""
    if not change or not metric.better:
        return ""
    return "good" if (change > 0) == (metric.better == "up") else "bad"
