"""Reads of the Conversations tab. Every figure is a count of `Analysis` rows of one queryset,
`analyses(access, filters, pick)`, and the list behind a figure is that same queryset: the
tab's numbers equal the rows of its click-through lists by construction.

The management area: an analysis lies in it when its copied segment path does (the ticket's
segment, else its queue's, else the response's), or when the caller is the agent who
handled it (as `insights.sources.activity_area`)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils.translation import gettext as _

from caredesk.analysis.models import Analysis, AnalysisTopic, Label, Signal, SourceKind, Topic
from caredesk.care.models import Case
from caredesk.core.errors import FieldErrors
from caredesk.insights.filters import InsightFilters
from caredesk.quality.models import coached_agent_ids
from caredesk.workspaces.access import Access, area_q
from caredesk.workspaces.models import Segment, User

TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
DETRACTOR_MAX = 6  # NPS 0–6
SOURCES = tuple(SourceKind.values)
MAX_ID = 2**63 - 1  # a larger id names nothing (and SQLite cannot even compare it)


@dataclass(frozen=True)
class Pick:
    """What a figure counts beyond the Insights filters: a sentiment label, a signal, NPS
    detractors (or every NPS verbatim), a source kind. The list's own URL parameters."""

    label: str = ""
    signal: str = ""
    nps: str = ""  # "detractor" | "all" (every NPS verbatim) | ""
    source: str = ""

    def as_params(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}

    def with_(self, **changes) -> "Pick":
        return replace(self, **changes)


PICK_PARAMS = ("label", "signal", "nps", "source")


def parse_pick(params) -> Pick:
    errors = {}
    values = {}
    allowed = {
        "label": Label.values,
        "signal": Signal.values,
        "nps": ["detractor", "all"],
        "source": SOURCES,
    }
    for name in PICK_PARAMS:
        value = (params.get(name) or "").strip()
        if value and value not in allowed[name]:
            errors[name] = _("One of: %(values)s") % {"values": ", ".join(allowed[name])}
        values[name] = value
    if errors:
        raise FieldErrors(errors)
    return Pick(**values)


def visible(access: Access) -> QuerySet:
    qs = Analysis.objects.filter(workspace=access.workspace)
    if access.sees_whole_workspace:
        return qs
    cond = area_q(access, "segment_path")
    if access.user is not None:
        cond |= Q(agent_id=access.user.pk)
    return qs.filter(cond)


def analyses(access: Access, filters: InsightFilters, pick: Pick = Pick()) -> QuerySet:
    """The analyses the caller may count under these filters."""
    start, end = filters.bounds()
    qs = visible(access).filter(occurred_at__gte=start, occurred_at__lt=end)
    if filters.segment_path:
        qs = qs.filter(segment_path__startswith=filters.segment_path)
    if filters.queue:
        qs = qs.filter(queue_name=filters.queue)
    if filters.channel:
        qs = qs.filter(media_type=filters.channel)
    if filters.agent_id is not None:
        qs = qs.filter(agent_id=filters.agent_id)
    if filters.team_id is not None:
        coach = User(pk=filters.team_id)
        team = coached_agent_ids(Access(coach, access.workspace, frozenset()))
        qs = qs.filter(agent_id__in=team)
    if filters.survey_id is not None:
        qs = qs.filter(survey_id=filters.survey_id)
    if filters.tag_id is not None:
        from caredesk.journey.models import Activity

        tagged = Activity.tags.through.objects.filter(tag_id=filters.tag_id).values("activity_id")
        qs = qs.filter(source=SourceKind.ACTIVITY, source_id__in=tagged)
    if filters.topic_id is not None:
        # A hit of a subtopic is stored as a hit of its ancestors too (pipeline).
        qs = qs.filter(topic_hits__topic_id=filters.topic_id)
    if pick.label:
        qs = qs.filter(label=pick.label)
    if pick.signal:
        qs = qs.filter(**{pick.signal: True})
    if pick.nps:
        qs = qs.filter(source=SourceKind.RESPONSE, survey_kind="nps", score__isnull=False)
        if pick.nps == "detractor":
            qs = qs.filter(score__lte=DETRACTOR_MAX)
    if pick.source:
        qs = qs.filter(source=pick.source)
    return qs


# --------------------------------------------------------------------------- overview


@dataclass
class Overview:
    total: int = 0
    labels: dict = field(default_factory=dict)  # label → count
    signals: dict = field(default_factory=dict)  # signal → count
    average: float | None = None
    sentiment_series: list = field(default_factory=list)  # [(start, {label: n})]
    topics: list = field(default_factory=list)  # [TopicRow] by volume
    negative_topics: list = field(default_factory=list)  # [TopicRow] by negative count
    topic_series: list = field(default_factory=list)  # [(TopicRow, [n per period])]
    periods: list = field(default_factory=list)
    drivers: list = field(default_factory=list)  # [Driver]
    nps_total: int = 0
    nps_detractors: int = 0
    queues: list = field(default_factory=list)  # [Slice]
    agents: list = field(default_factory=list)
    segments: list = field(default_factory=list)


@dataclass(frozen=True)
class TopicRow:
    topic: Topic
    count: int
    negative: int

    @property
    def negative_share(self) -> float:
        return self.negative / self.count if self.count else 0.0


@dataclass(frozen=True)
class Driver:
    topic: Topic
    detractors: int  # detractor verbatims with the topic
    verbatims: int  # NPS verbatims with the topic
    lift: float  # share of detractor verbatims with it / share of all verbatims with it


@dataclass(frozen=True)
class Slice:
    key: str  # the filter value (queue name, agent id, segment id)
    label: str
    count: int
    negative: int
    average: float | None
    depth: int = 0
    path: str = ""  # a segment's


def _periods(filters: InsightFilters) -> list[dt.date]:
    from caredesk.insights.metrics import periods

    return periods(filters)


def _period_of(filters: InsightFilters):
    return TRUNC[filters.grain]("occurred_at", tzinfo=filters.tz)


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


TOP_TOPICS = 10
TREND_TOPICS = 5
MIN_DRIVER = 2  # detractor verbatims a topic needs before its lift means anything


def overview(access: Access, filters: InsightFilters) -> Overview:
    out = Overview()
    qs = analyses(access, filters).order_by()
    agg = qs.aggregate(
        total=Count("id"),
        average=Avg("sentiment"),
        **{f"l_{label}": Count("id", filter=Q(label=label)) for label in Label.values},
        **{f"s_{signal}": Count("id", filter=Q(**{signal: True})) for signal in Signal.values},
    )
    out.total = agg["total"]
    out.average = agg["average"]
    out.labels = {label: agg[f"l_{label}"] for label in Label.values}
    out.signals = {signal: agg[f"s_{signal}"] for signal in Signal.values}
    out.periods = _periods(filters)
    by_period = defaultdict(dict)
    for period, label, n in (
        qs.annotate(period=_period_of(filters))
        .values_list("period", "label")
        .annotate(n=Count("id"))
    ):
        by_period[_day(period)][label] = n
    out.sentiment_series = [(p, by_period.get(p, {})) for p in out.periods]
    out.topics, out.negative_topics = _topics(access, qs)
    out.topic_series = _topic_series(filters, qs, out.topics[:TREND_TOPICS], out.periods)
    out.drivers, out.nps_total, out.nps_detractors = _drivers(access, filters)
    out.queues = _by_queue(qs)
    out.agents = _by_agent(qs)
    out.segments = _by_segment(access, qs)
    return out


def _topics(access: Access, qs: QuerySet) -> tuple[list, list]:
    rows = list(
        AnalysisTopic.objects.filter(analysis__in=qs.values("pk"))
        .order_by()
        .values_list("topic_id")
        .annotate(n=Count("id"), neg=Count("id", filter=Q(analysis__label=Label.NEGATIVE)))
    )
    topics = Topic.objects.in_bulk([r[0] for r in rows])
    found = [TopicRow(topics[t], n, neg) for t, n, neg in rows if t in topics]
    by_volume = sorted(found, key=lambda r: (-r.count, r.topic.name))[:TOP_TOPICS]
    by_negative = sorted(
        (r for r in found if r.negative), key=lambda r: (-r.negative, -r.count, r.topic.name)
    )[:TOP_TOPICS]
    return by_volume, by_negative


def _topic_series(filters, qs, rows, periods) -> list:
    if not rows:
        return []
    counts = defaultdict(dict)
    for topic_id, period, n in (
        AnalysisTopic.objects.filter(
            analysis__in=qs.values("pk"), topic_id__in=[r.topic.pk for r in rows]
        )
        .order_by()
        .annotate(period=TRUNC[filters.grain]("analysis__occurred_at", tzinfo=filters.tz))
        .values_list("topic_id", "period")
        .annotate(n=Count("id"))
    ):
        counts[topic_id][_day(period)] = n
    return [(r, [counts[r.topic.pk].get(p, 0) for p in periods]) for r in rows]


def _drivers(access: Access, filters: InsightFilters) -> tuple[list, int, int]:
    verbatims = analyses(access, filters, Pick(nps="all")).order_by()
    totals = verbatims.aggregate(n=Count("id"), det=Count("id", filter=Q(score__lte=DETRACTOR_MAX)))
    all_n, det_n = totals["n"], totals["det"]
    if not det_n:
        return [], all_n, det_n
    rows = list(
        AnalysisTopic.objects.filter(analysis__in=verbatims.values("pk"))
        .order_by()
        .values_list("topic_id")
        .annotate(n=Count("id"), det=Count("id", filter=Q(analysis__score__lte=DETRACTOR_MAX)))
    )
    topics = Topic.objects.in_bulk([r[0] for r in rows])
    drivers = [
        Driver(topics[t], det, n, (det / det_n) / (n / all_n))
        for t, n, det in rows
        if t in topics and det >= MIN_DRIVER
    ]
    drivers.sort(key=lambda d: (-d.lift, -d.detractors, d.topic.name))
    return drivers[:TOP_TOPICS], all_n, det_n


def _slices(qs: QuerySet, field_name: str):
    return (
        qs.values_list(field_name)
        .annotate(
            n=Count("id"),
            neg=Count("id", filter=Q(label=Label.NEGATIVE)),
            avg=Avg("sentiment"),
        )
        .order_by("-n")
    )


TOP_SLICES = 15


def _by_queue(qs: QuerySet) -> list[Slice]:
    return [
        Slice(name, name, n, neg, avg)
        for name, n, neg, avg in _slices(qs.exclude(queue_name=""), "queue_name")[:TOP_SLICES]
    ]


def _by_agent(qs: QuerySet) -> list[Slice]:
    rows = list(_slices(qs.filter(agent_id__isnull=False), "agent_id")[:TOP_SLICES])
    users = User.objects.in_bulk([r[0] for r in rows])
    return [
        Slice(str(pk), str(users[pk]) if pk in users else f"#{pk}", n, neg, avg)
        for pk, n, neg, avg in rows
    ]


def _by_segment(access: Access, qs: QuerySet) -> list[Slice]:
    """Each segment with what lies under it (a filter on a segment includes its children,
    so each row is exactly its click-through list), as a tree in path order."""
    exact = {
        path: (n, neg, avg)
        for path, n, neg, avg in _slices(qs.exclude(segment_path=""), "segment_path")
    }
    if not exact:
        return []
    segments = Segment.objects.filter(organization_id=access.workspace.organization_id)
    if not access.sees_whole_workspace:
        segments = segments.filter(area_q(access, "path"))
    out = []
    for seg in segments.order_by("path"):
        under = [v for path, v in exact.items() if path.startswith(seg.path)]
        n = sum(v[0] for v in under)
        if not n:
            continue
        neg = sum(v[1] for v in under)
        weighted = [(v[2], v[0]) for v in under if v[2] is not None]
        avg = sum(a * c for a, c in weighted) / sum(c for _, c in weighted) if weighted else None
        depth = seg.path.strip("/").count("/") if seg.path else 0
        out.append(Slice(str(seg.pk), seg.name, n, neg, avg, depth, seg.path))
    if out:
        top = min(s.depth for s in out)
        out = [replace(s, depth=s.depth - top) for s in out]
    return out


# --------------------------------------------------------------------------- list, detail


def page_rows(qs: QuerySet, offset: int, limit: int) -> list[Analysis]:
    return list(
        qs.order_by("-occurred_at", "-id").prefetch_related("topic_hits__topic")[
            offset : offset + limit
        ]
    )


def find(access: Access, source: str, source_id: int) -> Analysis | None:
    """The analysis of one source, if the caller may see it."""
    if source not in SOURCES or not 0 < source_id <= MAX_ID:
        return None
    return (
        visible(access)
        .filter(source=source, source_id=source_id)
        .prefetch_related("topic_hits__topic")
        .first()
    )


def case_number(analysis: Analysis) -> int | None:
    if analysis.case_id is None:
        return None
    return Case.objects.filter(pk=analysis.case_id).values_list("number", flat=True).first()
