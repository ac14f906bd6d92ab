"""The Conversations tab: the analysis of the conversations of the management area, the list
behind each of its numbers, and one conversation with its evidence highlighted.

The filters are the Insights tab's (`parse_insight_filters`, the same URL parameters); a
list adds what its number counts (`selectors.Pick`: label, signal, nps, source). Every
number links to the list built from the same queryset, so they always agree."""

import json
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from caredesk.analysis.models import Label, Signal, SourceKind, Topic
from caredesk.conversations import evidence, selectors
from caredesk.conversations.topics import topic_label
from caredesk.core.errors import FieldErrors
from caredesk.insights import plan_links
from caredesk.insights.filters import CHANNELS, GRAINS, PARAMS, parse_insight_filters
from caredesk.journey.models import MediaType
from caredesk.routing.models import Queue
from caredesk.workspaces.access import area_q
from caredesk.workspaces.models import Membership, Segment
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view

PAGE_SIZE = 50
MEDIA_NAMES = dict(MediaType.choices)
LIST_PARAMS = (*PARAMS, *selectors.PICK_PARAMS)


def grain_labels() -> dict:
    return {
        "day": pgettext("time step", "Day"),
        "week": pgettext("time step", "Week"),
        "month": pgettext("time step", "Month"),
    }


def _context(access, request) -> dict:
    return {
        **_choices(access),
        "raw": _raw(request),
        "filter_errors": {},
        "filters": None,
        "pick": None,
        "hidden": [],
    }


def _choices(access) -> dict:
    segments = Segment.objects.filter(organization_id=access.workspace.organization_id)
    if not access.sees_whole_workspace:
        segments = segments.filter(area_q(access, "path"))
    members = (
        Membership.objects.filter(workspace=access.workspace, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    channel_labels = dict(MediaType.choices)
    return {
        "segment_choices": [
            (str(s.pk), s.name, s.depth) for s in segments.order_by("path").only("name", "path")
        ],
        "queue_choices": list(
            Queue.objects.filter(workspace=access.workspace)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        "agent_choices": [(str(m.user_id), str(m.user)) for m in members],
        "channel_choices": [(c, channel_labels.get(c, c)) for c in CHANNELS],
        "grain_choices": [(g, grain_labels()[g]) for g in GRAINS],
        "topic_choices": [
            (str(t.pk), topic_label(t, access.workspace.language), depth)
            for t, depth in _tree(access.workspace)
        ],
    }


def _tree(workspace):
    from caredesk.conversations.topics import topic_tree

    return topic_tree(workspace)


def _raw(request) -> dict:
    return {k: request.GET.get(k, "") for k in LIST_PARAMS}


def _dates_shown(raw: dict, filters) -> None:
    """The date fields show the range in force, the default one included."""
    raw["from"] = raw["from"] or filters.date_from.isoformat()
    raw["to"] = raw["to"] or filters.date_to.isoformat()


class Links:
    """URLs of the list behind a number: the page's filters plus what the number counts."""

    def __init__(self, workspace, filters, pick=None):
        self.base = reverse("conversations_list", args=[workspace.slug])
        self.filters = filters
        self.pick = pick or selectors.Pick()

    def __call__(self, pick: dict | None = None, **filter_changes) -> str:
        filters = self.filters.with_(**filter_changes) if filter_changes else self.filters
        params = {**filters.as_params(), **self.pick.as_params(), **(pick or {})}
        return f"{self.base}?{urlencode(params)}"


def _chart_data(ov: selectors.Overview, links: Links) -> dict:
    labels = [p.isoformat() for p in ov.periods]
    shares = {}
    counts = {}
    for label in Label.values:
        counts[label] = [by.get(label, 0) for _, by in ov.sentiment_series]
    totals = [sum(counts[label][i] for label in Label.values) for i in range(len(labels))]
    for label in Label.values:
        shares[label] = [
            round(100 * n / totals[i], 1) if totals[i] else 0 for i, n in enumerate(counts[label])
        ]
    label_names = dict(Label.choices)
    return {
        "periods": labels,
        "sentiment": {
            "title": _("Share of conversations by sentiment"),
            "unit": "%",
            "series": [
                {"key": label, "label": str(label_names[label]), "values": shares[label]}
                for label in (Label.NEGATIVE, Label.NEUTRAL, Label.POSITIVE)
            ],
        },
        "topics": {
            "title": _("Conversations per topic"),
            "unit": _("conversations"),
            "series": [
                {"key": str(row.topic.pk), "label": row.topic.name, "values": values}
                for row, values in ov.topic_series
            ],
        },
        "top": {
            "title": _("Top topics by volume"),
            "labels": [r.topic.name for r in ov.topics],
            "values": [r.count for r in ov.topics],
            "negative": [r.negative for r in ov.topics],
            "links": [links(topic_id=r.topic.pk) for r in ov.topics],
            "negative_label": str(label_names[Label.NEGATIVE]),
            "volume_label": _("Conversations"),
        },
    }


@require_GET
@workspace_view(Perm.VIEW_INSIGHTS)
def conversations_overview(request, access):
    context = _context(access, request)
    try:
        filters = parse_insight_filters(request.GET, access)
    except FieldErrors as exc:
        context["filter_errors"] = exc.errors
        return render_ws(
            request,
            access,
            "conversations/overview.html",
            context,
            active="conversations",
            status=400,
        )
    _dates_shown(context["raw"], filters)
    ov = selectors.overview(access, filters)
    links = Links(access.workspace, filters)
    can_plan = access.has(Perm.MANAGE_ACTION_PLANS)

    def plan(topic, origin="topic", metric="sentiment") -> str:
        """The "Create action plan" query of a topic (sentiment) or a driver (NPS)."""
        if not can_plan:
            return ""
        title = plan_links.title(metric, topic.name)
        return plan_links.plan_query(
            filters, origin=origin, metric=metric, title=title, topic=str(topic.pk)
        )

    label_names = dict(Label.choices)
    signal_names = dict(Signal.choices)
    periods = ov.periods
    context.update(
        filters=filters,
        ov=ov,
        links=links,
        all_url=links(),
        label_cards=[
            (label, label_names[label], ov.labels[label], links({"label": label}))
            for label in (Label.NEGATIVE, Label.NEUTRAL, Label.POSITIVE)
        ],
        signal_cards=[
            (s, signal_names[s], ov.signals[s], links({"signal": s})) for s in Signal.values
        ],
        sentiment_rows=[
            (
                p,
                [
                    (
                        by.get(label, 0),
                        links(
                            {"label": label},
                            date_from=max(p, filters.date_from),
                            date_to=_end(filters, p),
                        ),
                    )
                    for label in (Label.NEGATIVE, Label.NEUTRAL, Label.POSITIVE)
                ],
            )
            for p, by in ov.sentiment_series
        ],
        topic_rows=[
            (
                r,
                links(topic_id=r.topic.pk),
                links({"label": "negative"}, topic_id=r.topic.pk),
                plan(r.topic),
            )
            for r in ov.topics
        ],
        negative_rows=[
            (
                r,
                links({"label": "negative"}, topic_id=r.topic.pk),
                links(topic_id=r.topic.pk),
                plan(r.topic),
            )
            for r in ov.negative_topics
        ],
        trend_rows=[
            (
                r,
                [
                    (
                        n,
                        links(
                            topic_id=r.topic.pk,
                            date_from=max(p, filters.date_from),
                            date_to=_end(filters, p),
                        ),
                    )
                    for n, p in zip(values, periods, strict=True)
                ],
            )
            for r, values in ov.topic_series
        ],
        driver_rows=[
            (
                d,
                links({"nps": "detractor"}, topic_id=d.topic.pk),
                links({"nps": "all"}, topic_id=d.topic.pk),
                plan(d.topic, "driver", "nps"),
            )
            for d in ov.drivers
        ],
        can_plan=can_plan,
        detractors_url=links({"nps": "detractor"}),
        verbatims_url=links({"nps": "all"}),
        breakdowns=[
            (
                _("By queue"),
                "queue",
                [
                    (s, links(queue=s.key), links({"label": "negative"}, queue=s.key))
                    for s in ov.queues
                ],
            ),
            (
                _("By agent"),
                "agent",
                [
                    (
                        s,
                        links(agent_id=int(s.key)),
                        links({"label": "negative"}, agent_id=int(s.key)),
                    )
                    for s in ov.agents
                ],
            ),
            (
                _("By segment"),
                "segment",
                [
                    (s, _segment_link(links, s), _segment_link(links, s, {"label": "negative"}))
                    for s in ov.segments
                ],
            ),
        ],
        chart_data=_chart_data(ov, links),
    )
    return render_ws(
        request, access, "conversations/overview.html", context, active="conversations"
    )


def _segment_link(links: Links, s, pick=None) -> str:
    return links(pick, segment_id=int(s.key), segment_path=s.path)


def _end(filters, start):
    """The last day of the step starting at `start`, within the filters' range."""
    import datetime as dt

    if filters.grain == "day":
        end = start
    elif filters.grain == "week":
        end = start + dt.timedelta(days=6)
    else:
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return min(end, filters.date_to)


@require_GET
@workspace_view(Perm.VIEW_INSIGHTS)
def conversations_list(request, access):
    context = _context(access, request)
    errors = {}
    filters = pick = None
    try:
        filters = parse_insight_filters(request.GET, access)
    except FieldErrors as exc:
        errors.update(exc.errors)
    try:
        pick = selectors.parse_pick(request.GET)
    except FieldErrors as exc:
        errors.update(exc.errors)
    page = request.GET.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        errors["page"] = _("A page number from 1.")
    if errors:
        context["filter_errors"] = errors
        return render_ws(
            request, access, "conversations/list.html", context, active="conversations", status=400
        )
    _dates_shown(context["raw"], filters)
    number = int(page)
    qs = selectors.analyses(access, filters, pick)
    total = qs.count()
    rows = selectors.page_rows(qs, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    links = Links(access.workspace, filters, pick)
    base = links()
    topic = (
        Topic.objects.filter(pk=filters.topic_id).first() if filters.topic_id is not None else None
    )
    context.update(
        filters=filters,
        pick=pick,
        hidden=list(pick.as_params().items()),
        total=total,
        rows=[_row(access, a) for a in rows],
        topic=topic,
        label_name=dict(Label.choices).get(pick.label, ""),
        signal_name=dict(Signal.choices).get(pick.signal, ""),
        overview_url=reverse("conversations_overview", args=[access.workspace.slug])
        + "?"
        + urlencode(filters.as_params()),
        prev_url=f"{base}&page={number - 1}" if number > 1 else "",
        next_url=f"{base}&page={number + 1}" if number * PAGE_SIZE < total else "",
        first=(number - 1) * PAGE_SIZE + 1 if total else 0,
        last=min(number * PAGE_SIZE, total),
    )
    return render_ws(request, access, "conversations/list.html", context, active="conversations")


def _row(access, a) -> dict:
    customer = [u for u in a.units or () if u.get("side") == "customer"] or list(a.units or ())
    snippet = customer[0].get("text", "") if customer else ""
    return {
        "a": a,
        "url": reverse("conversation_detail", args=[access.workspace.slug, a.source, a.source_id]),
        "snippet": snippet,
        "media": MEDIA_NAMES.get(a.media_type, a.media_type),
        "topics": sorted({h.topic.name for h in a.topic_hits.all()}),
        "signals": [name for s, name in Signal.choices if getattr(a, s)],
    }


@require_GET
@workspace_view(Perm.VIEW_INSIGHTS)
def conversation_detail(request, access, source: str, source_id: int):
    if source not in SourceKind.values:
        raise Http404(_("No such conversation"))
    a = selectors.find(access, source, source_id)
    if a is None:
        raise Http404(_("No such conversation"))
    hits = sorted(a.topic_hits.all(), key=lambda h: h.topic.name)
    units = evidence.highlighted_units(a, hits)
    signal_names = dict(Signal.choices)
    context = {
        "a": a,
        "units": units,
        "topics": [(h.topic, len(h.evidence or ())) for h in hits],
        "signals": [(s, signal_names.get(s.get("kind"), s.get("kind"))) for s in a.signals or ()],
        "case_number": selectors.case_number(a),
        "label_name": dict(Label.choices).get(a.label, ""),
        "media_name": dict(MediaType.choices).get(a.media_type, a.media_type),
        "course": _course(a),
        "back_url": request.GET.get("back", ""),
        "source_url": _source_url(access, a),
    }
    if not context["back_url"].startswith("/"):
        context["back_url"] = reverse("conversations_overview", args=[access.workspace.slug])
    return render_ws(request, access, "conversations/detail.html", context, active="conversations")


def _course(a) -> str:
    """Did the customer end happier than they began?"""
    said = sum(1 for u in a.units or () if u.get("side") == "customer")
    if a.start_sentiment is None or a.end_sentiment is None or said < 2:
        return ""
    change = a.end_sentiment - a.start_sentiment
    if change > 0.05:
        return _("The customer ended happier than they began.")
    if change < -0.05:
        return _("The customer ended less happy than they began.")
    return _("The customer's mood did not change.")


def _source_url(access, a) -> str:
    from django.urls import NoReverseMatch

    try:
        if a.source == SourceKind.RESPONSE:
            return reverse("feedback_response", args=[access.workspace.slug, a.source_id])
        return reverse("journey_activity", args=[access.workspace.slug, a.source_id])
    except NoReverseMatch:
        return ""


def chart_json(data) -> str:
    return json.dumps(data)
