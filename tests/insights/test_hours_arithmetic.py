"""Business-time arithmetic (caredesk.insights.hours): hand-computed cases and properties."""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caredesk.insights.hours import Calendar, business_deadline, business_seconds, week_seconds

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
H = 3600


def weekdays(*spans):
    week = {str(d): [list(s) for s in spans] for d in range(5)}
    week.update({"5": [], "6": []})
    return week_seconds(week)


def at(y, m, d, hh=0, mm=0, tz=LISBON):
    return dt.datetime(y, m, d, hh, mm, tzinfo=tz)


NINE_TO_FIVE = weekdays(("09:00", "17:00"))


def test_friday_afternoon_to_monday_morning_is_two_hours():
    cal = Calendar(tz=LISBON, week=NINE_TO_FIVE)
    # Friday 6 March 2026 16:00 → Monday 9 March 10:00: 1 h on Friday, 1 h on Monday.
    assert business_seconds(cal, at(2026, 3, 6, 16), at(2026, 3, 9, 10)) == 2 * H
    assert business_deadline(cal, at(2026, 3, 6, 16), 2 * H) == at(2026, 3, 9, 10)


def test_a_holiday_monday_is_closed():
    cal = Calendar(tz=LISBON, week=NINE_TO_FIVE, holidays=frozenset({dt.date(2026, 3, 9)}))
    assert business_seconds(cal, at(2026, 3, 6, 16), at(2026, 3, 9, 10)) == 1 * H
    assert business_seconds(cal, at(2026, 3, 9, 0), at(2026, 3, 10, 0)) == 0
    assert business_seconds(cal, at(2026, 3, 6, 16), at(2026, 3, 10, 10)) == 2 * H
    assert business_deadline(cal, at(2026, 3, 6, 16), 2 * H) == at(2026, 3, 10, 10)


def test_a_split_day_skips_the_lunch_break():
    cal = Calendar(tz=LISBON, week=weekdays(("09:00", "12:00"), ("13:00", "17:00")))
    day = (2026, 3, 4)  # a Wednesday
    assert business_seconds(cal, at(*day, 8), at(*day, 18)) == 7 * H
    assert business_seconds(cal, at(*day, 11, 30), at(*day, 13, 30)) == H
    assert business_seconds(cal, at(*day, 12, 10), at(*day, 12, 50)) == 0
    assert business_deadline(cal, at(*day, 11), 2 * H) == at(*day, 14)
    # Exactly the morning: the deadline is the end of the interval, not the next opening.
    assert business_deadline(cal, at(*day, 9), 3 * H) == at(*day, 12)


def test_the_day_the_clocks_change_counts_real_time():
    # New York moves from 02:00 to 03:00 on Sunday 8 March 2026: a 24-hour-open Sunday has
    # 23 hours, a 9–17 Monday still 8.
    cal = Calendar(tz=NEW_YORK, week=week_seconds({str(d): [["00:00", "24:00"]] for d in range(7)}))
    assert business_seconds(cal, at(2026, 3, 8, tz=NEW_YORK), at(2026, 3, 9, tz=NEW_YORK)) == 23 * H
    # …and back on Sunday 1 November 2026: 25 hours.
    assert (
        business_seconds(cal, at(2026, 11, 1, tz=NEW_YORK), at(2026, 11, 2, tz=NEW_YORK)) == 25 * H
    )
    office = Calendar(tz=NEW_YORK, week=NINE_TO_FIVE)
    start, end = at(2026, 3, 6, 9, tz=NEW_YORK), at(2026, 3, 10, 9, tz=NEW_YORK)
    assert business_seconds(office, start, end) == 16 * H  # Friday and Monday


def test_across_midnight_in_the_workspace_zone():
    # Open 22:00–24:00 and 00:00–02:00 on weekdays: Thursday 23:00 → Friday 01:00 is 2 h.
    cal = Calendar(tz=LISBON, week=weekdays(("00:00", "02:00"), ("22:00", "24:00")))
    assert business_seconds(cal, at(2026, 3, 5, 23), at(2026, 3, 6, 1)) == 2 * H
    # The same instants given in UTC (Lisbon is UTC+0 in March, so shift the zone instead).
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    start = at(2026, 3, 5, 23).astimezone(tokyo)
    assert business_seconds(cal, start, at(2026, 3, 6, 1).astimezone(dt.UTC)) == 2 * H


def test_no_business_hours_means_every_second_counts():
    cal = Calendar(tz=LISBON)
    assert business_seconds(cal, at(2026, 3, 7, 10), at(2026, 3, 8, 10)) == 24 * H
    assert business_deadline(cal, at(2026, 3, 7, 10), 90) == at(2026, 3, 7, 10, 1) + dt.timedelta(
        seconds=30
    )


def test_end_before_start_is_zero_and_a_closed_week_has_no_deadline():
    cal = Calendar(tz=LISBON, week=NINE_TO_FIVE)
    assert business_seconds(cal, at(2026, 3, 9, 12), at(2026, 3, 9, 10)) == 0
    closed = Calendar(tz=LISBON, week=week_seconds({}))
    assert business_deadline(closed, at(2026, 3, 9), 60) is None


def test_a_calendar_asked_backwards_in_time_stays_consistent():
    cal = Calendar(tz=LISBON, week=NINE_TO_FIVE)
    late = at(2026, 3, 9, 10)
    assert business_seconds(cal, at(2026, 3, 6, 16), late) == 2 * H
    # A much earlier start extends the running totals backwards.
    assert business_seconds(cal, at(2025, 12, 31, 17), late) == (47 * 8 + 1) * H
    assert business_seconds(cal, at(2026, 3, 6, 16), late) == 2 * H


# -- properties --------------------------------------------------------------------------------

ZONES = st.sampled_from(["Europe/Lisbon", "America/New_York", "Australia/Lord_Howe", "UTC"])
CLOCK = st.integers(0, 96).map(lambda q: q * 15 * 60)  # quarter hours, 00:00 … 24:00


@st.composite
def day_spans(draw):
    points = sorted(set(draw(st.lists(CLOCK, max_size=6))))
    pairs = list(zip(points[::2], points[1::2], strict=False))
    return [(a, b) for a, b in pairs if b > a]


@st.composite
def calendars(draw):
    tz = zoneinfo.ZoneInfo(draw(ZONES))
    if draw(st.booleans()) and draw(st.booleans()):
        return Calendar(tz=tz)
    week = {d: draw(day_spans()) for d in range(7)}
    base = dt.date(2026, 1, 1)
    holidays = frozenset(
        base + dt.timedelta(days=n) for n in draw(st.lists(st.integers(0, 365), max_size=10))
    )
    return Calendar(tz=tz, week=week, holidays=holidays)


INSTANTS = st.integers(
    int(dt.datetime(2025, 12, 1, tzinfo=dt.UTC).timestamp()),
    int(dt.datetime(2027, 2, 1, tzinfo=dt.UTC).timestamp()),
).map(lambda ts: dt.datetime.fromtimestamp(ts, dt.UTC))


@settings(max_examples=300, deadline=None)
@given(calendars(), INSTANTS, INSTANTS, INSTANTS)
def test_business_time_adds_up_and_never_exceeds_the_clock(cal, a, b, c):
    s, m, e = sorted((a, b, c))
    assert business_seconds(cal, s, m) + business_seconds(cal, m, e) == business_seconds(cal, s, e)
    assert 0 <= business_seconds(cal, s, e) <= (e - s).total_seconds()


@settings(max_examples=200, deadline=None)
@given(calendars(), INSTANTS, st.integers(1, 200 * H))
def test_the_deadline_is_when_exactly_that_much_business_time_has_passed(cal, start, seconds):
    due = business_deadline(cal, start, seconds)
    if due is None:
        assert business_seconds(cal, start, start + dt.timedelta(days=400)) < seconds
        return
    assert business_seconds(cal, start, due) == seconds
    # The earliest such instant: a second before, less has passed.
    assert business_seconds(cal, start, due - dt.timedelta(seconds=1)) == seconds - 1


@settings(max_examples=200, deadline=None)
@given(calendars(), st.integers(0, 365), st.integers(0, 86399), st.integers(0, 86399))
def test_nothing_counts_on_a_holiday_or_a_closed_day(cal, n, x, y):
    day = dt.date(2026, 1, 1) + dt.timedelta(days=n)
    if cal.always_open or not (day in cal.holidays or not cal.week[day.weekday()]):
        return
    start = dt.datetime.combine(day, dt.time(), tzinfo=cal.tz)
    a, b = sorted((x, y))
    first, second = start + dt.timedelta(seconds=a), start + dt.timedelta(seconds=b)
    # Stay inside the local day (a day the clocks change has 23 or 25 hours).
    if second.astimezone(cal.tz).date() != day or first.astimezone(cal.tz).date() != day:
        return
    assert business_seconds(cal, first, second) == 0


@pytest.mark.parametrize("text", ["9:00", "24:01", "12:60", "ab:cd", "", "25:00"])
def test_bad_clock_times_are_refused(text):
    with pytest.raises(ValueError):
        week_seconds({"0": [[text, "17:00"]]})
