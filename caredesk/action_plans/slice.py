"""A plan's slice of the data: the metric and the Insights filters it was made from, read in
the workspace's zone with the whole workspace's view (the filters themselves, a segment
above all, say which part). The baseline at creation and the impact afterwards are both
computed here, from caredesk.insights.metrics, so they can never disagree with the cards.

CONTRACT (shared core): `plan_filters`, `baseline` and `Baseline` keep their signatures;
the impact branch adds the impact computation beside them (caredesk.action_plans.impact)."""

import datetime as dt
from dataclasses import dataclass

from caredesk.core import zones
from caredesk.insights import metrics
from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.filters import InsightFilters, parse_insight_filters
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Workspace

# What a plan remembers of the filters: the slice, not the view (the grain is the chart's).
SLICE_PARAMS = ("segment", "queue", "channel", "agent", "team", "survey", "tag", "topic")


@dataclass(frozen=True)
class Baseline:
    value: float | int | None
    count: int
    date_from: dt.date
    date_to: dt.date


def workspace_zone(workspace: Workspace) -> dt.tzinfo:
    return zones.zone(workspace.time_zone)


def plan_filters(
    workspace: Workspace, params: dict, *, date_from: dt.date, date_to: dt.date
) -> InsightFilters:
    """The plan's slice over [date_from, date_to] (days in the workspace's zone). `params`
    are the stored filters (ids as strings); a bad one raises FieldErrors naming it."""
    query = {k: str(params[k]) for k in SLICE_PARAMS if params.get(k) not in (None, "")}
    query.update({"from": date_from.isoformat(), "to": date_to.isoformat()})
    filters = parse_insight_filters(query, Access.system(workspace))
    return filters.with_(tz=workspace_zone(workspace))


def slice_params(params: dict) -> dict[str, str]:
    """Only the slice's parameters of an Insights query string, as strings."""
    return {k: str(params[k]) for k in SLICE_PARAMS if params.get(k) not in (None, "")}


def baseline(
    workspace: Workspace, metric: str, params: dict, *, date_from: dt.date, date_to: dt.date
) -> Baseline:
    """The metric on the slice over the given days: the plan's baseline."""
    filters = plan_filters(workspace, params, date_from=date_from, date_to=date_to)
    if metric not in CATALOGUE:
        return Baseline(None, 0, date_from, date_to)
    fig = metrics.figure(Access.system(workspace), metric, filters)
    return Baseline(fig.value, fig.count, date_from, date_to)
