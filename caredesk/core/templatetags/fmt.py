"""The one way pages show dates, times and numbers: in the active language's format
(caredesk/formats) and the active time zone (caredesk.core.i18n). Built into every template
(settings.TEMPLATES builtins), so `{{ case.created_at|when }}` needs no {% load %}."""

import datetime
from decimal import Decimal

from django import template
from django.utils import formats, timezone

register = template.Library()


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def when(value):
    """Date and time: "5 Dec 2026, 09:48" / "05/12/2026 09:48" / "05.12.2026 09:48"."""
    if not value:
        return ""
    return formats.date_format(_local(value), "SHORT_DATETIME_FORMAT")


@register.filter
def day(value):
    """The date alone, in the active zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@register.filter
def clock(value):
    """The time alone, 24 h: "09:48"."""
    if not value:
        return ""
    return formats.time_format(_local(value), "TIME_FORMAT")


@register.filter
def num(value, decimals=None):
    """A number with the language's grouping and decimal mark: 1,234.5 / 1.234,5 / 1 234,5."""
    if value is None or value == "":
        return ""
    if not isinstance(value, int | float | Decimal):
        return value
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def pct(value, decimals=0):
    """A percentage of 0–100: "12%" / "12,5%"."""
    if value is None or value == "":
        return ""
    return f"{num(value, decimals)}%"


@register.filter
def iso(value):
    """The machine form for <time datetime=…> and for scripts that format in the browser."""
    return value.isoformat() if value else ""


@register.simple_tag
def format_pattern(name):
    """The active language's pattern of `name` (e.g. SHORT_DATETIME_FORMAT), for the scripts
    that format dates in the browser the same way (app.js caredesk.when)."""
    return formats.get_format(name)
