"""A plan's impact, computed, never typed: its metric on its slice since the plan started,
against the baseline stored at creation and against the same slice's previous period of
equal length (the days just before `started_on`), with the rows behind every number, the
progress towards the target and the chart's markers (the start, each task's completion).

Everything is read through caredesk.insights.metrics under `slice.plan_filters`, with the
whole workspace's view (the slice's own filters say which part), so a number here and the
Insights card of the same filters are the same number, and its drill-down lists its rows."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from caredesk.action_plans.models import ActionPlan
from caredesk.action_plans.slice import plan_filters, slice_params, workspace_zone
from caredesk.insights import metrics
from caredesk.insights.catalogue import CATALOGUE, Metric
from caredesk.insights.filters import MAX_DAYS, default_grain
from caredesk.workspaces.access import Access


@dataclass(frozen=True)
class Period:
    """One number of the impact: the metric over [date_from, date_to] and its rows."""

    value: float | int | None
    count: int
    date_from: dt.date
    date_to: dt.date

    def params(self, plan: ActionPlan) -> dict[str, str]:
        """The Insights query string of exactly these rows (its drill-down counts them)."""
        return {
            **slice_params(plan.filters or {}),
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
        }


@dataclass(frozen=True)
class Progress:
    """How far the metric has gone from the baseline towards the target: 0 at the baseline,
    1 at the target (may be below 0, when it went the other way, or above 1)."""

    fraction: float
    reached: bool


@dataclass(frozen=True)
class Marker:
    day: dt.date
    kind: str  # start | task
    label: str
    task_id: int | None = None


@dataclass(frozen=True)
class Impact:
    plan: ActionPlan
    metric: Metric
    since: Period
    previous: Period
    baseline: Period | None
    target: float | None
    progress: Progress | None
    grain: str
    # The chart runs over the previous period and the time since the start, so the start
    # marker stands between the "before" and the "after".
    points: list[metrics.Point] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return self.since.date_from <= self.since.date_to


def progress(metric: Metric, baseline, target, value) -> Progress | None:
    """(value − baseline) / (target − baseline). The target's side of the baseline says which
    way is progress; a target equal to the baseline is "keep it", and the catalogue's better
    direction says which side of it counts as reached."""
    if baseline is None or target is None or value is None:
        return None
    if target == baseline:
        up = metric.better != "down"
        reached = value >= target if up else value <= target
        return Progress(1.0 if reached else 0.0, reached)
    fraction = (value - baseline) / (target - baseline)
    return Progress(fraction, fraction >= 1)


def _local_day(at: dt.datetime, tz) -> dt.date:
    return timezone.localtime(at, tz).date()


def markers(plan: ActionPlan, tz) -> list[Marker]:
    out = [Marker(plan.started_on, "start", "")]
    done = plan.tasks.filter(done=True, done_at__isnull=False).order_by("done_at", "id")
    for task in done.only("id", "title", "done_at"):
        out.append(Marker(_local_day(task.done_at, tz), "task", task.title, task.pk))
    return out


def _combined(metric: Metric, points, date_from: dt.date, date_to: dt.date) -> Period:
    """The figure of consecutive days from their points: the sum of a count, else the mean
    of the days' values weighted by their rows (a mean, a share or an NPS over the rows)."""
    count = sum(p.count for p in points)
    if metrics.CALCS[metric.name].kind == "count":
        return Period(count, count, date_from, date_to)
    if not count:
        return Period(None, 0, date_from, date_to)
    total = sum(p.value * p.count for p in points if p.count)
    return Period(round(total / count, 9), count, date_from, date_to)


def _weeks(metric: Metric, days: list[metrics.Point]) -> list[metrics.Point]:
    """Daily points as weekly ones (Monday first, as metrics.series' weeks)."""
    weeks: dict[dt.date, list] = {}
    for p in days:
        weeks.setdefault(p.start - dt.timedelta(days=p.start.weekday()), []).append(p)
    out = []
    for monday, points in weeks.items():
        period = _combined(metric, points, monday, monday)
        out.append(metrics.Point(monday, period.value, period.count))
    return out


def _comparable(metric: Metric, since: Period, base: Period | None):
    """The value since the start, made comparable with the baseline and a target set against
    it: a volume (a sum over days, not a stock) is scaled to the baseline's number of days
    (6 tickets in 3 days against a 30-day baseline count as 60)."""
    if since.value is None or base is None or since.date_to < since.date_from:
        return since.value
    if metrics.CALCS[metric.name].kind != "count" or metric.name in metrics.STOCK:
        return since.value
    days = (since.date_to - since.date_from).days + 1
    base_days = (base.date_to - base.date_from).days + 1
    return since.value * base_days / days


def impact(plan: ActionPlan, today: dt.date | None = None) -> Impact | None:
    """The plan's impact up to `today` (the workspace's today); None without a metric.
    A bad stored filter (a segment since deleted) raises FieldErrors naming it."""
    if plan.metric not in CATALOGUE:
        return None
    workspace = plan.workspace
    tz = workspace_zone(workspace)
    today = today or timezone.localtime(timezone.now(), tz).date()
    metric = CATALOGUE[plan.metric]
    access = Access.system(workspace)
    start = plan.started_on
    # Not started yet: the "since" period is empty (to < from) and counts nothing.
    end = max(today, start)
    filters = plan_filters(workspace, plan.filters or {}, date_from=start, date_to=end)
    prev = filters.previous()
    chart_from = max(prev.date_from, end - dt.timedelta(days=MAX_DAYS - 1))
    grain = default_grain(chart_from, end)
    chart = filters.with_(date_from=chart_from)
    if metric.name in metrics.STOCK or chart_from != prev.date_from:
        # A stock's figure is its value at the end, not a sum of days: asked for as such.
        fig = metrics.figure(access, metric.name, filters)
        since = Period(fig.value, fig.count, start, today)
        previous = Period(fig.previous, fig.previous_count, prev.date_from, prev.date_to)
        points = metrics.series(access, metric.name, chart.with_(grain=grain))
    else:
        # One query: the days of both periods, each period's figure made of its days (every
        # metric but a stock is a count, or a mean weighted by the rows, over its rows).
        days = metrics.series(access, metric.name, chart.with_(grain="day"))
        since = _combined(metric, [p for p in days if p.start >= start], start, today)
        before = [p for p in days if p.start < start]
        previous = _combined(metric, before, prev.date_from, prev.date_to)
        points = days if grain == "day" else _weeks(metric, days)
    if today < start:
        since = Period(None, 0, start, today)

    base = None
    if plan.baseline_from and plan.baseline_to:
        base = Period(
            plan.baseline_value, plan.baseline_count or 0, plan.baseline_from, plan.baseline_to
        )
    return Impact(
        plan=plan,
        metric=metric,
        since=since,
        previous=previous,
        baseline=base,
        target=plan.target_value,
        progress=progress(
            metric, plan.baseline_value, plan.target_value, _comparable(metric, since, base)
        ),
        grain=grain,
        points=points,
        markers=markers(plan, tz),
    )
