"""The impact of a plan computed from known data (tests/action_plan_impact/scene.py), through
the JSON view and the partial, and refused to whoever may not read the plan."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from caredesk.action_plans.impact import impact, progress
from caredesk.action_plans.models import ActionPlan
from caredesk.insights.catalogue import CATALOGUE

from . import scene
from .scene import day


def url(plan, slug="support"):
    return reverse("action_plan_impact", args=[slug, plan.pk])


@pytest.fixture
def plan(world):
    return scene.build(world)


def test_baseline_of_the_scene(plan):
    assert plan.baseline_value == 700
    assert plan.baseline_count == 3


def test_impact_values_counts_and_markers(plan):
    got = impact(plan)
    assert (got.since.value, got.since.count) == (300, 2)
    assert (got.since.date_from, got.since.date_to) == (day(6), day(0))
    assert (got.previous.value, got.previous.count) == (900, 2)
    assert (got.previous.date_from, got.previous.date_to) == (day(13), day(7))
    assert (got.baseline.value, got.baseline.count) == (700, 3)
    assert got.progress.fraction == pytest.approx(0.8)
    assert got.progress.reached is False
    # The chart: the previous period and the time since the start, by day.
    assert got.grain == "day"
    assert [p.start for p in got.points] == [day(n) for n in range(13, -1, -1)]
    values = {p.start: (p.value, p.count) for p in got.points if p.count}
    assert values == {
        day(10): (600, 1),
        day(8): (1200, 1),
        day(5): (400, 1),
        day(2): (200, 1),
    }
    assert sum(p.count for p in got.points) == got.since.count + got.previous.count
    assert [(m.kind, m.day, m.label) for m in got.markers] == [
        ("start", day(6), ""),
        ("task", day(3), "Coach the Italian team"),
    ]


def test_progress_is_direction_aware():
    down, up = CATALOGUE["handle_time"], CATALOGUE["csat"]
    assert progress(down, 700, 200, 150).reached is True
    assert progress(down, 700, 200, 800).fraction == pytest.approx(-0.2)
    assert progress(up, 60, 80, 70).fraction == pytest.approx(0.5)
    assert progress(up, 60, 80, 85).reached is True
    # A target equal to the baseline: keep it, on the good side.
    assert progress(down, 300, 300, 290).reached is True
    assert progress(up, 70, 70, 69).reached is False
    assert progress(up, None, 80, 70) is None


def test_json_view_numbers_links_and_markers(world, as_user, plan):
    r = as_user(world.admin).get(url(plan))
    assert r.status_code == 200
    data = r.json()
    assert data["metric"]["name"] == "handle_time"
    assert (data["since"]["value"], data["since"]["count"]) == (300, 2)
    assert data["since"]["text"] == "5 min 00 s"
    assert (data["previous"]["value"], data["previous"]["count"]) == (900, 2)
    assert (data["baseline"]["value"], data["baseline"]["count"]) == (700, 3)
    assert data["target"] == {"value": 200, "text": "3 min 20 s"}
    assert data["progress"]["fraction"] == 0.8
    assert data["progress"]["percent"] == 80
    assert data["vs_baseline"]["tone"] == "good"
    assert data["vs_previous"]["text"] == "−67%"
    assert data["slice"] == [{"key": "segment", "label": "Segment", "value": "Italy"}]
    since = urlparse(data["since"]["rows_url"])
    assert since.path == reverse("insights_rows", args=["support", "handle_time"])
    assert parse_qs(since.query) == {
        "segment": [str(world.italy.pk)],
        "from": [day(6).isoformat()],
        "to": [day(0).isoformat()],
    }
    chart = data["chart"]
    assert len(chart["labels"]) == 14
    assert chart["datasets"][0]["data"][8] == round(400 / 60, 2)
    assert chart["datasets"][1] == {
        "kind": "baseline",
        "label": "Baseline",
        "data": [round(700 / 60, 2)] * 14,
    }
    assert chart["markers"] == [
        {"index": 7, "date": day(6).isoformat(), "kind": "start", "label": "Plan started"},
        {
            "index": 10,
            "date": day(3).isoformat(),
            "kind": "task",
            "label": "Done: Coach the Italian team",
        },
    ]
    assert sum(chart["counts"]) == 4


def test_drill_down_counts_the_rows(world, as_user, plan):
    data = as_user(world.admin).get(url(plan)).json()
    for key, count in (("since", 2), ("previous", 2), ("baseline", 3)):
        r = as_user(world.admin).get(data[key]["rows_url"])
        assert r.status_code == 200
        assert r.context["count"] == count


def test_readers(world, as_user, plan):
    # Italy's manager (area and owner) and the admin read it; Lisbon's manager does not.
    assert as_user(world.italy_manager).get(url(plan)).status_code == 200
    assert as_user(world.manager).get(url(plan)).status_code == 404
    assert as_user(world.agent).get(url(plan)).status_code == 404
    plan.collaborators.add(world.agent)
    data = as_user(world.agent).get(url(plan)).json()
    # An agent (no view_insights) reads the numbers without drill-down links.
    assert data["since"]["count"] == 2
    assert data["since"]["rows_url"] == ""


def test_refused_outside(world, as_user, plan):
    assert as_user(world.outsider).get(url(plan)).status_code == 404
    # Not a member of Sales; and the plan is not of Sales.
    assert as_user(world.italy_manager).get(url(plan, "sales")).status_code in (403, 404)
    assert as_user(world.admin).get(url(plan, "sales")).status_code == 404
    assert (
        as_user(world.admin).get(reverse("action_plan_impact", args=["support", 99999])).status_code
        == 404
    )
    assert as_user(world.admin).post(url(plan)).status_code == 405


def test_plan_without_metric(world, as_user):
    plan = ActionPlan.objects.create(
        workspace=world.support, title="By hand", started_on=day(3), owner=world.admin
    )
    assert as_user(world.admin).get(url(plan)).json() == {"plan": plan.pk, "metric": None}


def test_not_started_yet(world, plan):
    plan.started_on = day(-3)
    plan.save()
    got = impact(plan)
    assert got.started is False
    assert (got.since.value, got.since.count) == (None, 0)
    assert got.progress is None


@pytest.mark.parametrize("metric", ["handle_time", "chats", "calls", "wait_time", "backlog"])
@pytest.mark.parametrize("started", [6, 80])
def test_the_impact_agrees_with_the_insights_cards(world, plan, metric, started):
    """Since the start and the previous period are the figure Insights shows for the same
    slice and dates; the chart's steps are its series (weekly past 62 days)."""
    from caredesk.action_plans.slice import plan_filters
    from caredesk.insights import metrics
    from caredesk.workspaces.access import Access

    plan.metric, plan.started_on = metric, day(started)
    got = impact(plan)
    filters = plan_filters(world.support, plan.filters, date_from=day(started), date_to=day(0))
    fig = metrics.figure(Access.system(world.support), metric, filters)
    assert (got.since.count, got.previous.count) == (fig.count, fig.previous_count)
    assert got.since.value == pytest.approx(fig.value)
    assert got.previous.value == pytest.approx(fig.previous)
    chart = filters.with_(date_from=filters.previous().date_from)
    chart = chart.with_(grain="week" if started > 30 else "day")
    series = metrics.series(Access.system(world.support), metric, chart)
    assert [(p.start, p.count) for p in got.points] == [(p.start, p.count) for p in series]
    assert [p.value for p in got.points] == pytest.approx([p.value for p in series])


def test_a_volume_is_compared_with_an_unequal_baseline_per_day():
    """30 tickets in a 30-day baseline against 6 in the plan's first 3 days is twice the daily
    volume (+100%), not a fall of 80%; equal periods compare their totals."""
    import datetime as dt

    from caredesk.action_plans.impact import Impact, Period
    from caredesk.action_plans.impact_present import _change

    d = dt.date(2026, 3, 1)
    since = Period(6, 6, d, d + dt.timedelta(days=2))
    got = Impact(None, CATALOGUE["tickets"], since, since, None, None, None, "day")
    baseline = Period(30, 30, d - dt.timedelta(days=30), d - dt.timedelta(days=1))
    assert _change(got, baseline) == {
        "text": "+100%",
        "arrow": "▲",
        "tone": "flat",
        "per_day": True,
    }
    previous = Period(12, 12, d - dt.timedelta(days=3), d - dt.timedelta(days=1))
    assert _change(got, previous)["text"] == "−50%"
    assert _change(got, previous)["per_day"] is False
    # A mean (handle time) is never scaled.
    mean = Impact(None, CATALOGUE["handle_time"], since, since, None, None, None, "day")
    assert _change(mean, baseline)["per_day"] is False


def test_a_volumes_progress_is_counted_at_the_baselines_length():
    """A target of 20 tickets against a 30-day baseline of 30: 6 tickets in the first 3 days
    are 60 a month, further from the target (progress −3), not past it."""
    import datetime as dt

    from caredesk.action_plans.impact import Period, _comparable

    d = dt.date(2026, 3, 1)
    since = Period(6, 6, d, d + dt.timedelta(days=2))
    base = Period(30, 30, d - dt.timedelta(days=30), d - dt.timedelta(days=1))
    tickets = CATALOGUE["tickets"]
    assert _comparable(tickets, since, base) == 60
    assert progress(tickets, 30, 20, _comparable(tickets, since, base)).fraction == -3
    assert _comparable(CATALOGUE["handle_time"], since, base) == 6
    assert _comparable(tickets, since, None) == 6
