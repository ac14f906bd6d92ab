"""Computes the metrics of the catalogue. The only place a figure is computed:

    figure(access, name, filters)            -> Figure: value, rows behind it, previous period
    series(access, name, filters)            -> [Point]: one per day / week / month
    breakdown(access, name, filters, by)     -> [Slice]: one per segment / queue / agent / …
    rows(access, name, filters, by=, key=)   -> QuerySet of the rows behind a figure or a slice
    dashboard(access, filters, names)        -> {name: Figure}, one query per source

Every value is made from a few sums and counts over the rows (`components`): a count, a sum
and a count for a mean, a count and a count of the good ones for a share. The figure, each
step of the series, each slice of a breakdown and the dashboard all aggregate the same
components over the same rows, so they can never disagree: `figure(...).count ==
rows(...).count() == sum of the series' counts` (backlog excepted: a stock, whose figure is
its last point), and a slice's count is its rows' count.

Every source is first restricted to the caller's management area (`sources.scoped`), then
filtered; a filter with no meaning on a metric (a survey on chats) makes it "not
applicable": value None, count 0, no rows."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils.translation import gettext as _

from caredesk.analysis.models import Topic
from caredesk.care.models import DONE_STATUSES, OPEN_STATUSES, Case, Tag
from caredesk.core.errors import FieldErrors
from caredesk.feedback.models import Survey, SurveyKind
from caredesk.insights import sources as src
from caredesk.insights.catalogue import CATALOGUE, Metric
from caredesk.insights.filters import InsightFilters
from caredesk.insights.models import CaseMeasure
from caredesk.journey.models import MediaType
from caredesk.quality.models import CoachAssignment
from caredesk.routing.models import Queue
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Membership, Segment

DIMENSIONS = ("segment", "queue", "agent", "channel", "team", "survey", "tag", "topic")
STOCK = ("backlog", "backlog_age")

ACTIVITY_MEDIA = {"chats": MediaType.CHAT, "calls": MediaType.CALL, "emails": MediaType.EMAIL}
ORIGIN_CHANNEL = src.ORIGIN_CHANNEL


# --------------------------------------------------------------------------- results


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


# --------------------------------------------------------------------------- calculations


def _duration(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


@dataclass(frozen=True)
class Calc:
    """How a metric's value is made from its rows. `cond`: which of the source's rows are
    its rows; `kind`: count | mean (of `expr`) | share (of rows meeting `good`, in %) |
    nps (% of 9–10 minus % of 0–6)."""

    kind: str
    cond: Q
    expr: object = None
    good: Q | None = None


CHAT_OR_CALL = Q(media_type__in=[MediaType.CHAT, MediaType.CALL])

CALCS: dict[str, Calc] = {
    "tickets": Calc("count", Q()),
    "chats": Calc("count", Q(media_type=MediaType.CHAT)),
    "calls": Calc("count", Q(media_type=MediaType.CALL)),
    "emails": Calc("count", Q(media_type=MediaType.EMAIL)),
    "first_response_time": Calc(
        "mean", Q(responded_at__isnull=False, business_seconds__isnull=False), "business_seconds"
    ),
    "handle_time": Calc(
        "mean",
        CHAT_OR_CALL
        & Q(started_at__isnull=False, ended_at__isnull=False, ended_at__gte=F("started_at")),
        _duration("started_at", "ended_at"),
    ),
    "wait_time": Calc("mean", CHAT_OR_CALL & Q(wait_seconds__isnull=False), "wait_seconds"),
    "resolution_time": Calc(
        "mean", Q(resolution_business_seconds__isnull=False), "resolution_business_seconds"
    ),
    "first_contact_resolution": Calc("share", Q(), good=Q(first_contact_resolution=True)),
    "reopen_rate": Calc("share", Q(), good=Q(reopen_count__gt=0)),
    "sla_attainment": Calc("share", Q(sla_met__isnull=False), good=Q(sla_met=True)),
    "backlog": Calc("count", Q()),
    # expr is set per instant (the age at the end of the period): see _stock.
    "backlog_age": Calc("mean", Q()),
    "nps": Calc("nps", Q(survey__kind=SurveyKind.NPS, score__gte=0, score__lte=10)),
    "csat": Calc(
        "share", Q(survey__kind=SurveyKind.CSAT, score__gte=1, score__lte=5), good=Q(score__gte=4)
    ),
    "survey_response_rate": Calc("share", Q(), good=Q(answered_at__isnull=False)),
    "survey_responses": Calc("count", Q()),
    "quality_score": Calc("mean", Q(), "score"),
    "pass_rate": Calc("share", Q(), good=Q(passed=True)),
    "sentiment": Calc("mean", Q(customer_sentiment__isnull=False), "customer_sentiment"),
}

# The channels an activity metric can have (a channel filter outside them: not applicable).
METRIC_MEDIA = {
    "chats": ("chat",),
    "calls": ("call",),
    "emails": ("email",),
    "handle_time": ("chat", "call"),
    "wait_time": ("chat", "call"),
}


def _aggregates(calc: Calc, prefix: str, where: Q, expr=None) -> dict:
    rows = calc.cond & where
    out = {f"{prefix}n": Count("pk", filter=rows)}
    if calc.kind == "mean":
        out[f"{prefix}s"] = Sum(expr if expr is not None else calc.expr, filter=rows)
    elif calc.kind == "share":
        out[f"{prefix}k"] = Count("pk", filter=rows & calc.good)
    elif calc.kind == "nps":
        out[f"{prefix}p"] = Count("pk", filter=rows & Q(score__gte=9))
        out[f"{prefix}d"] = Count("pk", filter=rows & Q(score__lte=6))
    return out


def _seconds(value) -> float:
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value or 0)


def _components(calc: Calc, row: dict, prefix: str = "") -> tuple:
    n = row.get(f"{prefix}n") or 0
    if calc.kind == "count":
        return (n,)
    if calc.kind == "mean":
        return (n, _seconds(row.get(f"{prefix}s")))
    if calc.kind == "share":
        return (n, row.get(f"{prefix}k") or 0)
    return (n, row.get(f"{prefix}p") or 0, row.get(f"{prefix}d") or 0)


def _add(a: tuple | None, b: tuple) -> tuple:
    return b if a is None else tuple(x + y for x, y in zip(a, b, strict=True))


def _value(calc: Calc, comps: tuple) -> tuple[float | int | None, int]:
    n = comps[0]
    if calc.kind == "count":
        return n, n
    if not n:
        return None, 0
    if calc.kind == "mean":
        return comps[1] / n, n
    if calc.kind == "share":
        return 100.0 * comps[1] / n, n
    return 100.0 * (comps[1] - comps[2]) / n, n


# --------------------------------------------------------------------------- the rows


def applicable(name: str, filters: InsightFilters) -> bool:
    """False when a filter has no meaning on the metric (a survey on chats, a call channel on
    emails): its figure is then "not applicable"."""
    media = METRIC_MEDIA.get(name)
    return not (media and filters.channel and filters.channel not in media)


def _end_instant(filters: InsightFilters) -> dt.datetime:
    return filters.bounds()[1]


def _done_at():
    return Subquery(CaseMeasure.objects.filter(case_id=OuterRef("pk")).values("resolved_at")[:1])


def _resolved_since(workspace, at: dt.datetime) -> QuerySet:
    """The tickets last resolved at or after `at` (an indexed range of the measures, joined
    as a set: a correlated lookup per ticket cost seconds at a million tickets)."""
    return CaseMeasure.objects.filter(workspace=workspace, resolved_at__gte=at).values("case_id")


def _backlog_at(qs: QuerySet, at: dt.datetime, workspace) -> QuerySet:
    """The tickets open at the instant `at`: reported before it and not resolved or closed
    by then (resolved now, but last resolved at or after `at`, by its measure)."""
    return qs.filter(reported_at__lt=at).filter(
        Q(status__in=OPEN_STATUSES)
        | Q(status__in=DONE_STATUSES, pk__in=_resolved_since(workspace, at))
    )


def _base(access: Access, name: str, filters: InsightFilters) -> QuerySet | None:
    """The metric's rows under every filter but time; None when not applicable."""
    metric = CATALOGUE[name]
    if not applicable(name, filters):
        return None
    cond = src.filter_q(access, metric.source, filters)
    if cond is None:
        return None
    return src.scoped(access, metric.source).filter(cond).filter(CALCS[name].cond)


def filtered(access: Access, name: str | Metric, filters: InsightFilters) -> QuerySet | None:
    """The rows behind the figure: the base rows of the period (for a stock, open at its
    end); None when not applicable."""
    name = name if isinstance(name, str) else name.name
    qs = _base(access, name, filters)
    if qs is None:
        return None
    if name in STOCK:
        return _backlog_at(qs, _end_instant(filters), access.workspace)
    start, end = filters.bounds()
    field = src.TIME_FIELD[CATALOGUE[name].source]
    return qs.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def _expr(name: str, filters: InsightFilters):
    if name == "backlog_age":
        return ExpressionWrapper(
            Value(_end_instant(filters)) - F("reported_at"), output_field=DurationField()
        )
    return None


def _backlog_parts(qs: QuerySet, at: dt.datetime, workspace) -> tuple[QuerySet, QuerySet]:
    """`_backlog_at` as its two disjoint halves (open now; done now but after `at`): each is
    an indexed range, where the OR of the two made PostgreSQL read every ticket (0.3–0.45 s
    a figure at a million tickets)."""
    qs = qs.filter(reported_at__lt=at)
    return (
        qs.filter(status__in=OPEN_STATUSES),
        qs.filter(status__in=DONE_STATUSES, pk__in=_resolved_since(workspace, at)),
    )


def _figure_of(access: Access, name: str, filters: InsightFilters) -> tuple:
    calc = CALCS[name]
    if name in STOCK:
        base = _base(access, name, filters)
        if base is None:
            return None, 0
        parts = _backlog_parts(base, _end_instant(filters), access.workspace)
    else:
        qs = filtered(access, name, filters)
        if qs is None:
            return None, 0
        parts = (qs,)
    comps = None
    for part in parts:
        row = part.order_by().aggregate(**_aggregates(calc, "", Q(), _expr(name, filters)))
        comps = _add(comps, _components(calc, row))
    return _value(calc, comps)


def figure(access: Access, name: str, filters: InsightFilters) -> Figure:
    metric = CATALOGUE[name]
    value, count = _figure_of(access, name, filters)
    previous, previous_count = _figure_of(access, name, filters.previous())
    return Figure(metric, value, count, previous, previous_count)


# --------------------------------------------------------------------------- series

TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


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
        day = _next(day, filters.grain)
    return out


def _next(day: dt.date, grain: str) -> dt.date:
    if grain == "day":
        return day + dt.timedelta(days=1)
    if grain == "week":
        return day + dt.timedelta(days=7)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def series(access: Access, name: str, filters: InsightFilters) -> list[Point]:
    calc = CALCS[name]
    starts = periods(filters)
    if name in STOCK:
        return _stock_series(access, name, filters, starts)
    qs = filtered(access, name, filters)
    if qs is None:
        return [Point(start, None, 0) for start in starts]
    field = src.TIME_FIELD[CATALOGUE[name].source]
    trunc = TRUNC[filters.grain](field, tzinfo=filters.tz)
    rows = (
        qs.order_by().annotate(period=trunc).values("period").annotate(**_aggregates(calc, "", Q()))
    )
    comps = {_as_date(r["period"]): _components(calc, r) for r in rows}
    out = []
    for start in starts:
        value, count = _value(calc, comps.get(start, _components(calc, {})))
        out.append(Point(start, value, count))
    return out


def _stock_series(access, name, filters, starts) -> list[Point]:
    """A stock's series: its value at the end of each step (the last one: the period's end),
    all in one query of conditional counts."""
    calc = CALCS[name]
    base = _base(access, name, filters)
    if base is None:
        return [Point(start, None, 0) for start in starts]
    period_end = _end_instant(filters)
    ends = []
    for start in starts:
        last = min(_next(start, filters.grain) - dt.timedelta(days=1), filters.date_to)
        ends.append(filters.with_(date_from=min(start, last), date_to=last).bounds()[1])
    ends[-1] = period_end
    qs = base.filter(reported_at__lt=max(ends)).filter(
        Q(status__in=OPEN_STATUSES)
        | Q(status__in=DONE_STATUSES, pk__in=_resolved_since(access.workspace, min(ends)))
    )
    # When each ticket was last resolved, read only for those resolved since the first
    # step's end (an open ticket passes each step's condition by its first branch).
    qs = qs.annotate(done_at=_done_at())
    aggs = {}
    for i, at in enumerate(ends):
        where = Q(reported_at__lt=at) & (
            Q(status__in=OPEN_STATUSES) | Q(status__in=DONE_STATUSES, done_at__gte=at)
        )
        expr = ExpressionWrapper(Value(at) - F("reported_at"), output_field=DurationField())
        aggs.update(_aggregates(calc, f"p{i}_", where, expr))
    row = qs.order_by().aggregate(**aggs)
    out = []
    for i, start in enumerate(starts):
        value, count = _value(calc, _components(calc, row, f"p{i}_"))
        out.append(Point(start, value, count))
    return out


# --------------------------------------------------------------------------- breakdowns

# Dimensions read from a column: the column (GROUP BY) per source.
GROUP_FIELDS = {
    "segment": {
        "tickets": "segment_id",
        "backlog": "segment_id",
        "activities": "case__segment_id",
        "responses": "segment_id",
        "invitations": "case__segment_id",
        "episodes": "segment_path",
        "measures": "segment_path",
        "evaluations": "segment_path",
        "analyses": "segment_path",
    },
    "agent": {**src.AGENT_FIELD, "measures": "m_owner"},
    "channel": {
        "tickets": "origin",
        "backlog": "origin",
        "measures": "m_origin",
        "activities": "media_type",
        "analyses": "media_type",
        "episodes": "channel",
        "evaluations": "activity__media_type",
    },
    "queue": {
        "activities": "queue_name",
        "episodes": "queue_name",
        "analyses": "queue_name",
        "evaluations": "activity__queue_name",
    },
    "survey": {"responses": "survey_id", "invitations": "survey_id"},
    "tag": {"tickets": "tags", "backlog": "tags", "activities": "tags", "responses": "case__tags"},
}

# Dimensions read by a condition per value (one conditional count each, in one query).
CONDITIONAL = {
    "queue": ("tickets", "backlog", "measures"),
    "tag": ("episodes", "measures", "analyses", "invitations", "evaluations"),
    "topic": ("tickets", "backlog", "activities", "episodes", "measures", "responses"),
    "team": tuple(src.MODELS),
}
CONDITIONAL["topic"] += ("evaluations", "analyses")


def supports(metric: Metric, by: str) -> bool:
    return by in metric.dimensions


def _is_path(by: str, source: str) -> bool:
    return by == "segment" and GROUP_FIELDS["segment"][source] == "segment_path"


def _channel_key(source: str, raw) -> str:
    if source in ("tickets", "backlog", "measures"):
        return ORIGIN_CHANNEL.get(raw or "", "")
    return raw or ""


def _annotated(qs: QuerySet, source: str, by: str) -> QuerySet:
    if source != "measures":
        return qs
    if by == "agent":
        return qs.annotate(
            m_owner=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("owner_id")[:1])
        )
    if by == "channel":
        return qs.annotate(
            m_origin=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("origin")[:1])
        )
    return qs


def _candidates(access: Access, source: str, by: str) -> list[tuple[str, str, Q]]:
    """(key, label, condition) of each value of a conditional dimension, then "none"."""
    ws = access.workspace
    out: list[tuple[str, str, Q]] = []
    if by == "team":
        coaches = (
            CoachAssignment.objects.filter(workspace=ws)
            .order_by()
            .values_list("coach_id", flat=True)
            .distinct()
        )
        users = get_user_model().objects.filter(pk__in=list(coaches))
        everyone: set[int] = set()
        for user in users:
            agents = src.team_agents(ws, user.pk)
            everyone |= set(agents)
            out.append(
                (
                    str(user.pk),
                    user.get_full_name() or user.username,
                    src.agent_q(ws, source, agents),
                )
            )
        return out
    if by == "queue":
        for name in (
            Queue.objects.filter(workspace=ws).order_by("name").values_list("name", flat=True)
        ):
            out.append((name, name, src.queue_q(ws, source, name)))
        return out
    if by == "tag":
        for pk, name in Tag.objects.filter(workspace=ws).order_by("name").values_list("pk", "name"):
            out.append((str(pk), name, src.tag_q(ws, source, pk)))
        out.append(("", _("No tag"), src.tag_q(ws, source, None)))
        return out
    if by == "topic":
        for topic in Topic.objects.filter(workspace=ws).order_by("name", "pk"):
            ids = src.topic_ids(ws, topic.pk)
            out.append((str(topic.pk), topic.name, src.topic_q(ws, source, ids)))
        out.append(("", _("No topic"), ~src.topic_q(ws, source, None)))
        return out
    raise ValueError(by)


def _labels(access: Access, source: str, by: str, keys: list[str]) -> dict[str, str]:
    org = access.workspace.organization_id
    ids = [int(k) for k in keys if k.isdigit()]
    if by == "segment":
        if _is_path(by, source):
            return {
                p: n
                for p, n in Segment.objects.filter(organization_id=org, path__in=keys).values_list(
                    "path", "name"
                )
            }
        return {
            str(pk): n
            for pk, n in Segment.objects.filter(organization_id=org, pk__in=ids).values_list(
                "pk", "name"
            )
        }
    if by == "agent":
        return {
            str(u.pk): u.get_full_name() or u.username
            for u in get_user_model().objects.filter(pk__in=ids)
        }
    if by == "channel":
        return {k: str(MediaType(k).label) for k in keys if k in MediaType.values}
    if by == "survey":
        return {
            str(pk): n
            for pk, n in Survey.objects.filter(workspace=access.workspace, pk__in=ids).values_list(
                "pk", "name"
            )
        }
    if by == "tag":
        return {
            str(pk): n
            for pk, n in Tag.objects.filter(workspace=access.workspace, pk__in=ids).values_list(
                "pk", "name"
            )
        }
    return {k: k for k in keys}


NONE_LABELS = {
    "segment": lambda: _("No segment"),
    "agent": lambda: _("No agent"),
    "channel": lambda: _("No channel"),
    "queue": lambda: _("No queue"),
    "survey": lambda: _("No survey"),
    "tag": lambda: _("No tag"),
}


def breakdown(access: Access, name: str, filters: InsightFilters, by: str) -> list[Slice]:
    metric = CATALOGUE[name]
    calc = CALCS[name]
    if by not in metric.dimensions:
        raise FieldErrors.one("group_by", _("Not a dimension of this metric."))
    qs = filtered(access, name, filters)
    if qs is None:
        return []
    source = metric.source
    expr = _expr(name, filters)
    out: list[Slice] = []
    if source in CONDITIONAL.get(by, ()) and source not in GROUP_FIELDS.get(by, {}):
        candidates = _candidates(access, source, by)
        aggs = {}
        for i, (_key, _label, cond) in enumerate(candidates):
            aggs.update(_aggregates(calc, f"c{i}_", cond, expr))
        row = qs.order_by().aggregate(**aggs) if aggs else {}
        for i, (key, label, _cond) in enumerate(candidates):
            value, count = _value(calc, _components(calc, row, f"c{i}_"))
            if count:
                out.append(Slice(key, label, value, count))
    else:
        field = GROUP_FIELDS[by][source]
        grouped = (
            _annotated(qs, source, by)
            .order_by()
            .values(field)
            .annotate(**_aggregates(calc, "", Q(), expr))
        )
        comps: dict[str, tuple] = {}
        for r in grouped:
            raw = r[field]
            key = (
                _channel_key(source, raw) if by == "channel" else ("" if raw is None else str(raw))
            )
            comps[key] = _add(comps.get(key), _components(calc, r))
        keys = [k for k in comps if k]
        labels = _labels(access, source, by, keys)
        paths = {}
        if _is_path(by, source):
            paths = dict(
                Segment.objects.filter(
                    organization_id=access.workspace.organization_id, path__in=keys
                ).values_list("path", "pk")
            )
        for key, c in comps.items():
            value, count = _value(calc, c)
            if not count:
                continue
            label = labels.get(key) or (NONE_LABELS[by]() if not key else key)
            if _is_path(by, source) and key:
                key = str(paths.get(key, ""))
            out.append(Slice(key, label, value, count))
    return sorted(out, key=lambda s: (-s.count, s.label))


def _check_key(access: Access, by: str, pk: int) -> None:
    """A slice key of another workspace or organization is refused as unknown."""
    ws = access.workspace
    found = {
        "segment": lambda: Segment.objects.filter(organization_id=ws.organization_id, pk=pk),
        "agent": lambda: Membership.objects.filter(workspace=ws, user_id=pk),
        "survey": lambda: Survey.objects.filter(workspace=ws, pk=pk),
        "tag": lambda: Tag.objects.filter(workspace=ws, pk=pk),
    }[by]().exists()
    if not found:
        raise FieldErrors.one("key", _("No such value of %(by)s.") % {"by": by})


def _slice_q(access: Access, source: str, by: str, key: str) -> Q:
    ws = access.workspace
    if source in CONDITIONAL.get(by, ()) and source not in GROUP_FIELDS.get(by, {}):
        for k, _label, cond in _candidates(access, source, by):
            if k == key:
                return cond
        raise FieldErrors.one("key", _("No such value of %(by)s.") % {"by": by})
    field = GROUP_FIELDS[by][source]
    if by == "channel":
        if source in ("tickets", "backlog", "measures"):
            origins = [o for o, c in ORIGIN_CHANNEL.items() if c == key]
            cond = Q(origin__in=origins) if key else ~Q(origin__in=list(ORIGIN_CHANNEL))
            return (
                cond
                if source != "measures"
                else Q(case_id__in=Case.objects.filter(cond, workspace=ws).values("pk"))
            )
        return Q(**{field: key}) if key else Q(**{field: ""}) | Q(**{f"{field}__isnull": True})
    if by == "queue":
        return Q(**{field: key}) if key else Q(**{field: ""}) | Q(**{f"{field}__isnull": True})
    if key == "":
        if by == "segment" and _is_path(by, source):
            return Q(segment_path="")
        if source == "measures" and by == "agent":
            return Q(case_id__in=Case.objects.filter(workspace=ws, owner__isnull=True).values("pk"))
        return Q(**{f"{field}__isnull": True})
    if not key.isdigit() or len(key) > 18:
        raise FieldErrors.one("key", _("Not an id: %(value)s") % {"value": repr(key[:60])})
    _check_key(access, by, int(key))
    if by == "segment" and _is_path(by, source):
        path = (
            Segment.objects.filter(organization_id=ws.organization_id, pk=int(key))
            .values_list("path", flat=True)
            .first()
        )
        return Q(segment_path=path or "\x00")
    if source == "measures" and by == "agent":
        return src.agent_q(ws, source, [int(key)])
    return Q(**{field: int(key)})


def rows(
    access: Access, name: str, filters: InsightFilters, by: str = "", key: str = ""
) -> QuerySet:
    """The rows behind a figure (or behind one slice of a breakdown: `by` and its `key`),
    newest first. Raises FieldErrors (`by`, `key`) for a dimension the metric does not have
    or a key that is not one of its values."""
    metric = CATALOGUE[name]
    model = src.MODELS[metric.source]
    qs = filtered(access, name, filters)
    if qs is None:
        return model.objects.none()
    if by:
        if by not in metric.dimensions:
            raise FieldErrors.one("by", _("Not a dimension of this metric."))
        qs = _annotated(qs, metric.source, by).filter(_slice_q(access, metric.source, by, key))
    field = src.TIME_FIELD[metric.source]
    return qs.order_by(f"-{field}", "-pk")


# --------------------------------------------------------------------------- dashboard


def dashboard(access: Access, filters: InsightFilters, names) -> dict[str, Figure]:
    """Many figures at once, current and previous period: one aggregate query per source
    (conditional sums and counts per metric and period) instead of two per figure. The same
    rows and components as `figure`, so the same numbers."""
    names = [n for n in names if n in CATALOGUE]
    prev = filters.previous()
    out: dict[str, Figure] = {}
    by_source: dict[str, list[str]] = {}
    for name in names:
        if name in STOCK:
            continue
        if not applicable(name, filters):
            out[name] = Figure(CATALOGUE[name], None, 0, None, 0)
            continue
        by_source.setdefault(CATALOGUE[name].source, []).append(name)
    for source, group in by_source.items():
        cond = src.filter_q(access, source, filters)
        if cond is None:
            for name in group:
                out[name] = Figure(CATALOGUE[name], None, 0, None, 0)
            continue
        field = src.TIME_FIELD[source]
        start, end = filters.bounds()
        p_start, p_end = prev.bounds()
        now_q = Q(**{f"{field}__gte": start, f"{field}__lt": end})
        prev_q = Q(**{f"{field}__gte": p_start, f"{field}__lt": p_end})
        any_metric = Q(pk__in=[])
        aggs = {}
        for name in group:
            calc = CALCS[name]
            any_metric |= calc.cond
            aggs.update(_aggregates(calc, f"{name}__now_", now_q))
            aggs.update(_aggregates(calc, f"{name}__prev_", prev_q))
        qs = (
            src.scoped(access, source)
            .filter(cond)
            .filter(**{f"{field}__gte": p_start, f"{field}__lt": end})
        )
        if all(CALCS[n].cond != Q() for n in group):
            qs = qs.filter(any_metric)
        row = qs.order_by().aggregate(**aggs)
        for name in group:
            calc = CALCS[name]
            value, count = _value(calc, _components(calc, row, f"{name}__now_"))
            previous, previous_count = _value(calc, _components(calc, row, f"{name}__prev_"))
            out[name] = Figure(CATALOGUE[name], value, count, previous, previous_count)
    for name in names:
        if name in STOCK:
            out[name] = figure(access, name, filters)
    return {name: out[name] for name in names}
