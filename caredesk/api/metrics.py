"""Metrics over REST: GET …/metrics (the same numbers as the Insights tab's cards, charts
and tables, computed by caredesk.insights.metrics) and the drill-down lists."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS
from caredesk.core import pagination
from caredesk.core.errors import FieldErrors
from caredesk.insights import drill_api as drill
from caredesk.insights import metrics
from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.filters import GRAINS, InsightFilters, parse_insight_filters
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

router = Router(tags=["metrics"])

BASE = "/workspaces/{workspace}/metrics"
PAGE_SIZE = 50


class MetricFilterParams(Schema):
    """The Insights filters (caredesk.insights.filters), read as text so a bad value gets a
    400 naming its parameter."""

    from_: str = Field("", alias="from", description="YYYY-MM-DD (default: 30 days ago)")
    to: str = Field("", description="YYYY-MM-DD, inclusive (default: today)")
    grain: str = Field("", description="day | week | month")
    segment: str = Field("", description="segment id (with the segments below it)")
    queue: str = Field("", description="queue name")
    channel: str = Field("", description="chat | call | email | web_form | survey_response")
    agent: str = Field("", description="user id of the agent")
    team: str = Field("", description="user id of a coach: the agents they coach")
    survey: str = Field("", description="survey id")
    tag: str = Field("", description="tag id")
    topic: str = Field("", description="topic id")


class MetricParams(MetricFilterParams):
    metric: str = Field("", description="a metric name of GET …/metrics/catalogue")
    group_by: str = Field(
        "", description="day | week | month (the series) or a dimension (the breakdown)"
    )


class MetricRowParams(MetricFilterParams):
    by: str = Field("", description="a dimension: the rows of one slice of a breakdown")
    key: str = Field("", description="the slice's key (as in groups[].key)")
    cursor: str = Field("", description="next_cursor of the previous response (older rows)")
    limit: int = Field(PAGE_SIZE, ge=1, le=200)


class MetricGroupOut(Schema):
    key: str
    label: str
    start: dt.date | None = None
    value: float | None
    count: int


class MetricFigureOut(Schema):
    metric: str
    label: str
    unit: str
    definition: str
    value: float | None
    count: int
    previous: float | None
    previous_count: int
    change: float | None
    groups: list[MetricGroupOut]


class MetricDefinitionOut(Schema):
    metric: str
    label: str
    unit: str
    definition: str
    better: str
    source: str
    dimensions: list[str]


class MetricCatalogueOut(Schema):
    items: list[MetricDefinitionOut]


class MetricRowOut(Schema):
    kind: str
    id: int
    number: int | None
    when: dt.datetime | None
    segment: str
    agent: str
    value: float | None
    url: str


class MetricRowPage(Schema):
    items: list[MetricRowOut]
    count: int
    next_cursor: str | None


def _access(request, workspace: str) -> Access:
    return api_access(request, workspace, require=Perm.VIEW_INSIGHTS)


def _filters(request, access: Access) -> InsightFilters:
    return parse_insight_filters(request.GET, access)


def _metric(name: str, field: str = "metric") -> str:
    if not name:
        raise FieldErrors.one(field, _("Name a metric."))
    if name not in CATALOGUE:
        raise FieldErrors.one(field, _("No such metric: %(value)s") % {"value": repr(name[:60])})
    return name


def _number(value):
    return None if value is None else float(value)


@router.get(
    f"{BASE}",
    response={200: MetricFigureOut, **ERRORS},
    summary="A metric's figure, with its series or breakdown",
)
def metric_get(request, workspace: str, params: Query[MetricParams]):
    access = _access(request, workspace)
    name = _metric(params.metric.strip())
    group_by = params.group_by.strip()
    metric = CATALOGUE[name]
    if group_by and group_by not in GRAINS and group_by not in metric.dimensions:
        values = ", ".join((*GRAINS, *metric.dimensions))
        raise FieldErrors.one("group_by", _("One of: %(values)s") % {"values": values})
    filters = _filters(request, access)
    fig = metrics.figure(access, name, filters)
    groups = []
    if group_by in GRAINS:
        for p in metrics.series(access, name, filters.with_(grain=group_by)):
            groups.append(
                {
                    "key": p.start.isoformat(),
                    "label": p.start.isoformat(),
                    "start": p.start,
                    "value": _number(p.value),
                    "count": p.count,
                }
            )
    elif group_by:
        for s in metrics.breakdown(access, name, filters, group_by):
            groups.append(
                {"key": s.key, "label": s.label, "value": _number(s.value), "count": s.count}
            )
    return {
        "metric": name,
        "label": str(metric.label),
        "unit": metric.unit,
        "definition": str(metric.definition),
        "value": _number(fig.value),
        "count": fig.count,
        "previous": _number(fig.previous),
        "previous_count": fig.previous_count,
        "change": fig.change,
        "groups": groups,
    }


@router.get(
    f"{BASE}/catalogue",
    response={200: MetricCatalogueOut, **ERRORS},
    summary="Every metric's definition",
)
def metric_catalogue(request, workspace: str):
    _access(request, workspace)
    return {
        "items": [
            {
                "metric": m.name,
                "label": str(m.label),
                "unit": m.unit,
                "definition": str(m.definition),
                "better": m.better,
                "source": m.source,
                "dimensions": list(m.dimensions),
            }
            for m in CATALOGUE.values()
        ]
    }


@router.get(
    f"{BASE}/{{metric}}/rows",
    response={200: MetricRowPage, **ERRORS},
    summary="The rows behind a metric's figure or one slice of its breakdown",
)
def metric_rows(request, workspace: str, metric: str, params: Query[MetricRowParams]):
    access = _access(request, workspace)
    name = _metric(metric)
    by = params.by.strip()
    if by and by not in CATALOGUE[name].dimensions:
        values = ", ".join(CATALOGUE[name].dimensions)
        raise FieldErrors.one("by", _("One of: %(values)s") % {"values": values})
    if params.key and not by:
        raise FieldErrors.one("key", _("A key needs a dimension (by)."))
    key = pagination.decode_cursor(params.cursor) if params.cursor else None
    if params.cursor and key is None:
        raise FieldErrors.one("cursor", str(pagination.NOT_A_CURSOR))
    filters = _filters(request, access)
    qs = metrics.rows(access, name, filters, by=by, key=params.key)
    count = qs.count()
    if key is not None:
        at, pk = key
        field = drill.src.TIME_FIELD[CATALOGUE[name].source]
        qs = qs.filter(Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": pk}))
    items = list(drill.prepare(qs, name)[: params.limit + 1])
    page = items[: params.limit]
    next_cursor = None
    if len(items) > params.limit:
        last = page[-1]
        next_cursor = pagination.encode_cursor(drill.time_of(name, last), last.pk)
    return {
        "items": [r.__dict__ for r in drill.describe(access, name, filters, page)],
        "count": count,
        "next_cursor": next_cursor,
    }
