"""Days and their boundaries in a time zone (docs/i18n.md).

A day ("2026-12-05", "today", "the last 30 days", a due date) is a day of a place: in a
workspace at UTC−3 it runs from 03:00 to 03:00 UTC. Queries compare the timestamp column to
the two aware instants that bound the days (`reported_at >= start AND reported_at < end`), so
the column's index still serves them; no function is applied to the column.

In a request the zone is the active one (the user's own, else the workspace's:
caredesk.core.i18n); work without a request (the worker, commands) names the workspace's zone
explicitly with `zone(workspace.time_zone)`.
"""

import datetime as dt
import zoneinfo

from django.utils import timezone


def zone(name: str | None) -> dt.tzinfo:
    """The zone of that name; the active zone when there is no name or an unknown one (a
    stored name is validated, but a zone can leave the system's database)."""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_current_timezone()


def day_start(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The first instant of `day` in `tz` (default: the active zone). Where the clocks jump
    over midnight the day starts at the first existing minute, which zoneinfo gives for the
    non-existent midnight read with the offset in force before the jump (fold=0)."""
    tz = tz or timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    # Round-trip through UTC to fold a non-existent wall time onto the real instant.
    return start.astimezone(dt.UTC).astimezone(tz)


def days_bounds(
    first: dt.date, last: dt.date, tz: dt.tzinfo | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the days first..last inclusive in `tz`: compare with `>= start` and
    `< end`."""
    return day_start(first, tz), day_start(last + dt.timedelta(days=1), tz)


def days_before(now: dt.datetime, days: int, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The instant `days` days before `now` on the clocks of `tz`: 10:00 five days ago is 10:00
    local even when the clocks changed in between (then 119 or 121 hours)."""
    tz = tz or timezone.get_current_timezone()
    local = now.astimezone(tz).replace(tzinfo=None) - dt.timedelta(days=days)
    # fold=0: a wall time the clocks passed twice is the earlier instant; one they skipped is
    # read with the offset before the jump (an hour later in real time).
    return local.replace(tzinfo=tz).astimezone(dt.UTC)


def today(tz: dt.tzinfo | None = None) -> dt.date:
    """Today in `tz` (default: the active zone)."""
    return timezone.localdate(timezone=tz or timezone.get_current_timezone())
