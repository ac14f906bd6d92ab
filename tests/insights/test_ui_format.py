"""How the Insights tab writes a value and its change (insights-ui): durations in h/min,
percents, scores, and the arrow's colour from the metric's `better`."""

from decimal import Decimal

import pytest
from django.utils import translation

from caredesk.insights.catalogue import Metric
from caredesk.insights.metrics import Figure
from caredesk.insights.present import change, chart_value, duration, formatted


def _metric(unit, better=""):
    return Metric("x", "X", "x", unit, "tickets", better)


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "0 s"),
        (45.4, "45 s"),
        (90, "1.5 min"),
        (754, "13 min"),
        (7500, "2 h 05 min"),
        (47 * 3600 + 59 * 60, "47 h 59 min"),
        (1069 * 3600 + 300, "44 d 13 h"),
    ],
)
def test_durations(seconds, text):
    with translation.override("en"):
        assert duration(seconds) == text


def test_values_in_their_unit():
    with translation.override("en"):
        assert formatted(_metric("count"), 12345) == "12,345"
        assert formatted(_metric("percent"), 87.5) == "87.5%"
        assert formatted(_metric("score"), Decimal("4.256")) == "4.26"
        assert formatted(_metric("score"), -12.5) == "-12.5"
        assert formatted(_metric("seconds"), None) == "—"
    with translation.override("pt-br"):
        assert formatted(_metric("count"), 12345) == "12.345"
    assert chart_value(_metric("seconds"), 90) == 1.5
    assert chart_value(_metric("score"), Decimal("4.256")) == 4.26


def test_the_change_and_its_colour():
    with translation.override("en"):
        up = change(_metric("seconds", "down"), Figure(_metric("seconds"), 120, 5, 100, 4))
        assert (up.text, up.arrow, up.tone) == ("+20%", "▲", "bad")
        pts = change(_metric("percent", "up"), Figure(_metric("percent"), 44.0, 9, 40.0, 9))
        assert (pts.text, pts.arrow, pts.tone) == ("+4.0 pts", "▲", "good")
        flat = change(_metric("count"), Figure(_metric("count"), 10, 10, 12, 12))
        assert (flat.text, flat.arrow, flat.tone) == ("−17%", "▼", "flat")
        assert change(_metric("count"), Figure(_metric("count"), 10, 10, 0, 0)) is None
        assert change(_metric("count"), Figure(_metric("count"), None, 0, 3, 3)) is None
