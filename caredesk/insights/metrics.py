"""Computes the metrics of the catalogue. The only place a figure is computed:

    figure(access, name, filters)            -> Figure: value, rows behind it, previous period
    series(access, name, filters)            -> [Point]: one per day / week / month
    breakdown(access, name, filters, by)     -> [Slice]: one per segment / queue / agent / …
    rows(access, name, filters, by=, key=)   -> QuerySet of the rows behind a figure or a slice

`figure(...).count == rows(...).count()` for every metric and filter, and the sum of a
breakdown's counts is the figure's count when every row has exactly one key (segment,
agent, channel) — a ticket with two tags counts once under each tag.

Every source is first restricted to the caller's management area (`scoped`), then filtered.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from caredesk.care.models import Case
from caredesk.care.selectors import cases_visible
from caredesk.insights.catalogue import CATALOGUE, Metric
from caredesk.insights.filters import InsightFilters
from caredesk.journey.models import Activity, MediaType
from caredesk.routing.models import Queue
from caredesk.workspaces.access import Access, area_q

DIMENSIONS = ("segment", "queue", "agent", "channel", "team", "survey", "tag", "topic")

ACTIVITY_MEDIA = {"chats": MediaType.CHAT, "calls": MediaType.CALL, "emails": MediaType.EMAIL}
# A ticket's channel: where it came from.
ORIGIN_CHANNEL = {
    "chat": "chat",
    "call": "call",
    "email": "email",
    "survey_response": "survey_response",
    "alert": "survey_response",
}


@dataclass(frozen=True)
class Figure:
    metric: Metric
    value: float | int | None
    count: int  # the rows behind the value (drill-down lists exactly these)
    previous: float | int | None = None
    previous_count: int = 0

    @property
    def change(self) -> float | None:
        """Relative change against the previous period (0.25 = +25 %); None without one."""
        if self.value is None or not self.previous:
            return None
        return (self.value - self.previous) / abs(self.previous)


@dataclass(frozen=True)
class Point:
    start: dt.date
    value: float | int | None
    count: int


@dataclass(frozen=True)
class Slice:
    key: str  # the filter value that selects it (id, name or code); "" for "none"
    label: str
    value: float | int | None
    count: int


# --------------------------------------------------------------------------- sources


def _activity_area(access: Access) -> Q | None:
    """An activity lies in the management area when its ticket does, or, with no ticket,
    when its queue's segment does; the agent who handled it always counts it."""
    if access.sees_whole_workspace:
        return None
    queues = list(
        Queue.objects.filter(workspace=access.workspace)
        .filter(area_q(access, "segment__path"))
        .values_list("name", flat=True)
    )
    return (
        area_q(access, "case__segment_path")
        | Q(case__isnull=True, queue_name__in=queues)
        | Q(agent=access.user)
    )


def scoped(access: Access, metric: Metric) -> QuerySet:
    """The metric's source rows the caller may count, before any filter."""
    if metric.source == "tickets":
        return cases_visible(access)
    if metric.source == "activities":
        qs = Activity.objects.filter(workspace=access.workspace)
        if (cond := _activity_area(access)) is not None:
            qs = qs.filter(cond)
        return qs.filter(media_type=ACTIVITY_MEDIA[metric.name])
    raise NotImplementedError(metric.source)


def _time_field(metric: Metric) -> str:
    return "reported_at" if metric.source == "tickets" else "occurred_at"


def filtered(access: Access, metric: Metric, filters: InsightFilters) -> QuerySet:
    qs = scoped(access, metric)
    start, end = filters.bounds()
    field = _time_field(metric)
    qs = qs.filter(**{f"{field}__gte": start, f"{field}__lt": end})
    if metric.source == "tickets":
        if filters.segment_path:
            qs = qs.filter(segment_path__startswith=filters.segment_path)
        if filters.agent_id is not None:
            qs = qs.filter(owner_id=filters.agent_id)
        if filters.channel:
            origins = [o for o, c in ORIGIN_CHANNEL.items() if c == filters.channel]
            qs = qs.filter(origin__in=origins)
        if filters.tag_id is not None:
            qs = qs.filter(tags=filters.tag_id)
        if filters.queue:
            qs = qs.filter(
                pk__in=Activity.objects.filter(
                    workspace=access.workspace, queue_name=filters.queue, case__isnull=False
                ).values("case_id")
            )
    else:
        if filters.segment_path:
            qs = qs.filter(case__segment_path__startswith=filters.segment_path)
        if filters.agent_id is not None:
            qs = qs.filter(agent_id=filters.agent_id)
        if filters.channel and filters.channel != ACTIVITY_MEDIA[metric.name]:
            qs = qs.none()
        if filters.tag_id is not None:
            qs = qs.filter(tags=filters.tag_id)
        if filters.queue:
            qs = qs.filter(queue_name=filters.queue)
    return qs


# --------------------------------------------------------------------------- figures


def _value(metric: Metric, qs: QuerySet) -> tuple[float | int | None, int]:
    n = qs.count()
    return n, n


def figure(access: Access, name: str, filters: InsightFilters) -> Figure:
    metric = CATALOGUE[name]
    value, count = _value(metric, filtered(access, metric, filters))
    previous, previous_count = _value(metric, filtered(access, metric, filters.previous()))
    return Figure(metric, value, count, previous, previous_count)


TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def series(access: Access, name: str, filters: InsightFilters) -> list[Point]:
    metric = CATALOGUE[name]
    trunc = TRUNC[filters.grain](_time_field(metric), tzinfo=filters.tz)
    counts = {
        (d.date() if isinstance(d, dt.datetime) else d): n
        for d, n in filtered(access, metric, filters)
        .order_by()
        .annotate(period=trunc)
        .values_list("period")
        .annotate(n=Count("id"))
    }
    return [Point(start, counts.get(start, 0), counts.get(start, 0)) for start in periods(filters)]


def periods(filters: InsightFilters) -> list[dt.date]:
    """The first day of each step of the series, from the step holding `date_from`."""
    day = filters.date_from
    if filters.grain == "week":
        day -= dt.timedelta(days=day.weekday())
    elif filters.grain == "month":
        day = day.replace(day=1)
    out = []
    while day <= filters.date_to:
        out.append(day)
        if filters.grain == "day":
            day += dt.timedelta(days=1)
        elif filters.grain == "week":
            day += dt.timedelta(days=7)
        else:
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def breakdown(access: Access, name: str, filters: InsightFilters, by: str) -> list[Slice]:
    metric = CATALOGUE[name]
    qs = filtered(access, metric, filters).order_by()
    if by == "segment":
        field, label = (
            ("segment_id", "segment__name")
            if metric.source == "tickets"
            else ("case__segment_id", "case__segment__name")
        )
    elif by == "agent":
        field, label = (
            ("owner_id", "owner__username")
            if metric.source == "tickets"
            else ("agent_id", "agent__username")
        )
    else:
        raise NotImplementedError(by)
    out = [
        Slice("" if key is None else str(key), text or "", n, n)
        for key, text, n in qs.values_list(field, label).annotate(n=Count("id"))
    ]
    return sorted(out, key=lambda s: (-s.count, s.label))


def rows(
    access: Access, name: str, filters: InsightFilters, by: str = "", key: str = ""
) -> QuerySet:
    """The rows behind a figure (or behind one slice of a breakdown: `by` and its `key`)."""
    metric = CATALOGUE[name]
    qs = filtered(access, metric, filters)
    if by:
        field = {
            ("tickets", "segment"): "segment_id",
            ("tickets", "agent"): "owner_id",
            ("activities", "segment"): "case__segment_id",
            ("activities", "agent"): "agent_id",
        }[(metric.source, by)]
        qs = qs.filter(**({f"{field}__isnull": True} if key == "" else {field: int(key)}))
    order = "-reported_at" if isinstance(qs.model(), Case) else "-occurred_at"
    return qs.order_by(order, "-id")
