"""Business time: how many seconds of a workspace's opening hours lie between two instants,
and when a number of business seconds after an instant runs out.

A `Calendar` holds one workspace's week, holidays, targets and zone, loaded once; measuring a
batch reuses it. It keeps a running total of business seconds per local day (extended as
times outside it are asked for), so `business_seconds(s, e)` is B(e) − B(s) where B(t) is the
business time from a fixed origin to t: additive by construction, and a long interval costs
no more than a short one. Instants are counted in whole seconds (truncated), so the sums are
exact integers.

Opening intervals are wall-clock times of the workspace's zone: 09:00–17:00 is 8 hours on
most days, and the real length on a day the clocks change inside the interval. No
BusinessHours row: open around the clock (business time is wall-clock time) and no holidays
apply. Holidays close a whole local day."""

import bisect
import datetime as dt
import math
from dataclasses import dataclass, field

from caredesk.core import zones

DAY = 86400
# Defaults of a workspace without a BusinessHours row (the model's field defaults).
DEFAULT_FIRST_RESPONSE_MINUTES = 60
DEFAULT_RESOLUTION_HOURS = 24
# How far business_deadline looks ahead before it says "never" (a week with no opening).
_HORIZON_DAYS = 366 * 3


def parse_clock(text: str, *, end: bool = False) -> int:
    """'09:30' → seconds after midnight. '24:00' is allowed only as an interval's end.
    Raises ValueError for anything else."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        raise ValueError(text)
    hh, mm = text[:2], text[3:]
    if not (hh.isdigit() and mm.isdigit()):
        raise ValueError(text)
    h, m = int(hh), int(mm)
    if end and (h, m) == (24, 0):
        return DAY
    if h > 23 or m > 59:
        raise ValueError(text)
    return h * 3600 + m * 60


def week_seconds(week: dict) -> dict[int, list[tuple[int, int]]]:
    """A stored week ({"0": [["09:00", "17:00"]], …}) as weekday → [(start, end) seconds]."""
    out: dict[int, list[tuple[int, int]]] = {}
    for day in range(7):
        spans = []
        for start, end in (week or {}).get(str(day), []) or []:
            a, b = parse_clock(start), parse_clock(end, end=True)
            if b > a:
                spans.append((a, b))
        out[day] = sorted(spans)
    return out


@dataclass
class Calendar:
    tz: dt.tzinfo
    # weekday → [(start, end)] seconds after local midnight; None: open around the clock.
    week: dict[int, list[tuple[int, int]]] | None = None
    holidays: frozenset[dt.date] = frozenset()
    first_response_target_minutes: int = DEFAULT_FIRST_RESPONSE_MINUTES
    resolution_target_hours: int = DEFAULT_RESOLUTION_HOURS
    workspace_id: int | None = None
    # The running totals: _cum[i] = business seconds from the origin day to the start of
    # the day _first + i (negative before the origin).
    _first: int = field(default=0, repr=False)
    _cum: list[int] = field(default_factory=list, repr=False)
    _spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def for_workspace(cls, workspace) -> "Calendar":
        """Two queries: the hours and the holidays (none when there are no hours)."""
        from caredesk.insights.models import BusinessHours, Holiday

        tz = zones.zone(workspace.time_zone)
        hours = BusinessHours.objects.filter(workspace=workspace).first()
        if hours is None:
            return cls(tz=tz, workspace_id=workspace.pk)
        days = frozenset(Holiday.objects.filter(workspace=workspace).values_list("date", flat=True))
        return cls(
            tz=tz,
            week=week_seconds(hours.week),
            holidays=days,
            first_response_target_minutes=hours.first_response_target_minutes,
            resolution_target_hours=hours.resolution_target_hours,
            workspace_id=workspace.pk,
        )

    @property
    def always_open(self) -> bool:
        return self.week is None

    # -- one local day ---------------------------------------------------------------------

    def spans(self, ordinal: int) -> list[tuple[int, int]]:
        """The opening intervals of a local day (date ordinal) as [(start, end)] epoch
        seconds, in order."""
        found = self._spans.get(ordinal)
        if found is not None:
            return found
        day = dt.date.fromordinal(ordinal)
        out = []
        if self.week is not None and day not in self.holidays:
            for a, b in self.week[day.weekday()]:
                start, end = self._instant(day, a), self._instant(day, b)
                if end > start:  # an interval inside a spring-forward gap has no length
                    out.append((start, end))
        self._spans[ordinal] = out
        return out

    def _instant(self, day: dt.date, seconds: int) -> int:
        if seconds >= DAY:
            day, seconds = day + dt.timedelta(days=1), seconds - DAY
        h, rest = divmod(seconds, 3600)
        local = dt.datetime(day.year, day.month, day.day, h, rest // 60, tzinfo=self.tz)
        return int(local.timestamp())

    def _day_total(self, ordinal: int) -> int:
        return sum(b - a for a, b in self.spans(ordinal))

    def _ordinal(self, ts: int) -> int:
        return dt.datetime.fromtimestamp(ts, self.tz).date().toordinal()

    def _cover(self, ordinal: int) -> None:
        """Make the running totals reach the day `ordinal` (and the day after it)."""
        if not self._cum:
            self._first = ordinal - 7
            self._cum = [0]
        if ordinal < self._first:
            # Further back (rare: a batch goes forward in time mostly). The totals stay
            # counted from the same origin (they go negative before it), so a position
            # taken before this extension still compares with one taken after.
            start = ordinal - 31
            earlier = []
            value = self._cum[0]
            for o in range(self._first - 1, start - 1, -1):
                value -= self._day_total(o)
                earlier.append(value)
            self._cum = earlier[::-1] + self._cum
            self._first = start
        while self._first + len(self._cum) - 1 <= ordinal + 1:
            o = self._first + len(self._cum) - 1
            self._cum.append(self._cum[-1] + self._day_total(o))

    def _before_day(self, ordinal: int) -> int:
        self._cover(ordinal)
        return self._cum[ordinal - self._first]

    # -- the measure -------------------------------------------------------------------------

    def position(self, when: dt.datetime) -> int:
        """B(when): business seconds from the calendar's origin up to `when`."""
        ts = math.floor(when.timestamp())
        if self.week is None:
            return ts
        ordinal = self._ordinal(ts)
        total = self._before_day(ordinal)
        for a, b in self.spans(ordinal):
            if ts <= a:
                break
            total += min(ts, b) - a
        return total

    def seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        if end <= start:
            return 0
        return max(0, self.position(end) - self.position(start))

    def deadline(self, start: dt.datetime, seconds: int) -> dt.datetime | None:
        """The first instant at which `seconds` business seconds have passed since `start`;
        None when the calendar has no opening for years."""
        if seconds <= 0:
            return start
        if self.week is None:
            return start + dt.timedelta(seconds=seconds)
        target = self.position(start) + seconds
        ordinal = self._ordinal(math.floor(start.timestamp()))
        limit = ordinal + _HORIZON_DAYS
        self._cover(ordinal + 64)
        while True:
            last = self._first + len(self._cum) - 1  # the totals cover days before `last`
            i = bisect.bisect_left(self._cum, target, lo=ordinal - self._first)
            if i < len(self._cum):
                break
            if last > limit:
                return None
            self._cover(last + 64)
        # The target is reached during the day before index i.
        day = self._first + i - 1
        rest = target - self._cum[i - 1]
        for a, b in self.spans(day):
            if rest <= b - a:
                return dt.datetime.fromtimestamp(a + rest, dt.UTC)
            rest -= b - a
        return None  # not reached: the totals say otherwise, so this is never hit


def calendar_of(workspace_or_calendar) -> Calendar:
    if isinstance(workspace_or_calendar, Calendar):
        return workspace_or_calendar
    return Calendar.for_workspace(workspace_or_calendar)


def business_seconds(workspace_or_calendar, start: dt.datetime, end: dt.datetime) -> int:
    """Whole seconds of opening time between two instants (0 when end is not after start)."""
    return calendar_of(workspace_or_calendar).seconds(start, end)


def business_deadline(workspace_or_calendar, start: dt.datetime, seconds: int):
    """When `seconds` of business time after `start` have passed (None: never)."""
    return calendar_of(workspace_or_calendar).deadline(start, seconds)
