"""What the Insights tab shows, arranged for its templates and its charts. Nothing here
computes a figure: every number comes from `caredesk.insights.metrics`; this module only
picks which metrics to show, formats their values and builds the links that drill down."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.core import zones
from caredesk.core.errors import FieldErrors
from caredesk.insights import metrics
from caredesk.insights.catalogue import CATALOGUE, Metric
from caredesk.insights.filters import InsightFilters
from caredesk.workspaces.access import Access

# The cards, in groups. A name not (yet) in CATALOGUE is skipped.
SECTIONS = (
    (gettext_lazy("Volume"), ("tickets", "chats", "calls", "emails")),
    (
        gettext_lazy("Speed"),
        ("first_response_time", "wait_time", "handle_time", "resolution_time"),
    ),
    (
        gettext_lazy("Resolution"),
        ("first_contact_resolution", "reopen_rate", "sla_attainment", "backlog", "backlog_age"),
    ),
    (
        gettext_lazy("Customers"),
        ("nps", "csat", "survey_responses", "survey_response_rate", "sentiment"),
    ),
    (gettext_lazy("Quality"), ("quality_score", "pass_rate")),
)
# The time-series charts: (id, title, metrics drawn together). Metrics of one chart share a
# unit, so they share the axis.
CHARTS = (
    ("volume", gettext_lazy("Volume"), ("tickets", "chats", "calls", "emails")),
    ("speed", gettext_lazy("First response time"), ("first_response_time",)),
    ("resolution", gettext_lazy("Resolution time"), ("resolution_time",)),
    ("csat", gettext_lazy("CSAT"), ("csat",)),
    ("nps", gettext_lazy("NPS"), ("nps",)),
    ("sla", gettext_lazy("SLA attainment"), ("sla_attainment",)),
    ("quality", gettext_lazy("Quality score"), ("quality_score",)),
)
# The breakdowns the tab offers (a metric offers those of its `dimensions`).
BREAKDOWNS = ("segment", "queue", "agent", "channel")
BY_LABELS = {
    "segment": gettext_lazy("Segment"),
    "queue": gettext_lazy("Queue"),
    "agent": gettext_lazy("Agent"),
    "channel": gettext_lazy("Channel"),
    "team": gettext_lazy("Team"),
    "survey": gettext_lazy("Survey"),
    "tag": gettext_lazy("Tag"),
    "topic": gettext_lazy("Topic"),
}
UNIT_AXIS = {
    "count": gettext_lazy("Count"),
    "seconds": gettext_lazy("Minutes"),
    "percent": gettext_lazy("Percent (%)"),
    "score": gettext_lazy("Score"),
    "ratio": gettext_lazy("Ratio"),
}
DEFAULT_BREAKDOWN = ("tickets", "segment")


def shown(names) -> list[Metric]:
    return [CATALOGUE[n] for n in names if n in CATALOGUE]


# --------------------------------------------------------------------------- formatting


def _num(value, decimals=0) -> str:
    # number_format cuts the decimals it drops; round first (12.57 min is "13 min").
    value = round(value, decimals) if decimals else round(value)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def duration(seconds) -> str:
    """45 s / 7.5 min / 2 h 05 min: how long, at the precision a reader needs."""
    seconds = float(seconds)
    if seconds < 60:
        return _("%(n)s s") % {"n": _num(round(seconds))}
    if seconds < 3600:
        minutes = seconds / 60
        return _("%(n)s min") % {"n": _num(minutes, 1 if minutes < 10 else 0)}
    hours, rest = divmod(round(seconds / 60), 60)
    return _("%(h)s h %(m)s min") % {"h": _num(hours), "m": f"{rest:02d}"}


def formatted(metric: Metric, value) -> str:
    """A value in its unit, in the reader's language; "—" when there is none."""
    if value is None:
        return "—"
    if metric.unit == "seconds":
        return duration(value)
    if metric.unit == "percent":
        return f"{_num(value, 1)}%"
    if metric.unit in ("score", "ratio"):
        return _num(value, 2 if abs(value) < 10 else 1)
    return _num(value)


def chart_value(metric: Metric, value):
    """The number a chart plots: durations in minutes (the axis' unit), others as they are."""
    if value is None:
        return None
    if metric.unit == "seconds":
        return round(float(value) / 60, 2)
    # A Decimal would reach the script as a string.
    return value if isinstance(value, int) else round(float(value), 2)


@dataclass(frozen=True)
class Change:
    text: str  # "+12%" / "−3.5 pts"
    arrow: str  # ▲ ▼ or ""
    tone: str  # good | bad | flat
    title: str  # the previous value, said in words


def change(metric: Metric, fig) -> Change | None:
    """The change against the previous period: relative for counts and durations, in points
    for percents and scores (a rise from 40% to 44% is +4 points, not +10%)."""
    if fig.value is None or fig.previous is None:
        return None
    if metric.unit in ("percent", "score", "ratio"):
        delta = fig.value - fig.previous
        shown_delta = _num(abs(delta), 1)
        text = _("%(n)s pts") % {"n": shown_delta}
    else:
        rel = fig.change
        if rel is None:
            return None
        delta = rel
        text = f"{_num(abs(rel) * 100, 0)}%"
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    arrow = "▲" if delta > 0 else ("▼" if delta < 0 else "")
    if delta == 0 or not metric.better:
        tone = "flat"
    else:
        tone = "good" if (delta > 0) == (metric.better == "up") else "bad"
    title = _("Previous period: %(value)s") % {"value": formatted(metric, fig.previous)}
    return Change(f"{sign}{text}", arrow, tone, title)


# --------------------------------------------------------------------------- links


def rows_url(access: Access, name: str, filters: InsightFilters, by="", key=None) -> str:
    params = filters.as_params()
    if by:
        params.update(by=by, key=key or "")
    return reverse("insights_rows", args=[access.workspace.slug, name]) + "?" + urlencode(params)


def dashboard_url(access: Access, params: dict) -> str:
    return reverse("insights_dashboard", args=[access.workspace.slug]) + "?" + urlencode(params)


def presets(access: Access, filters: InsightFilters, extra: dict) -> list[dict]:
    """The date presets as links that keep every other filter."""
    today = zones.today(filters.tz)
    ranges = [
        (_("Last 7 days"), today - dt.timedelta(days=6)),
        (_("Last 30 days"), today - dt.timedelta(days=29)),
        (_("Last 90 days"), today - dt.timedelta(days=89)),
        (_("This month"), today.replace(day=1)),
    ]
    out = []
    for label, start in ranges:
        f = filters.with_(date_from=start, date_to=today, grain=_grain(filters, start, today))
        out.append(
            {
                "label": label,
                "url": dashboard_url(access, {**f.as_params(), **extra}),
                "current": (filters.date_from, filters.date_to) == (start, today),
            }
        )
    return out


def _grain(filters: InsightFilters, start: dt.date, end: dt.date) -> str:
    # A preset keeps a grain the user chose, unless it no longer fits (weeks of 7 days).
    from caredesk.insights.filters import default_grain

    if filters.grain == default_grain(filters.date_from, filters.date_to):
        return default_grain(start, end)
    return filters.grain


# --------------------------------------------------------------------------- the dashboard


def _figures(access: Access, filters: InsightFilters, names: list[str]) -> dict:
    """name → Figure, through metrics.dashboard when it exists (one pass for all cards)."""
    together = getattr(metrics, "dashboard", None)
    if together is not None:
        got = together(access, filters, names)
        if isinstance(got, dict):
            return got
        return {f.metric.name: f for f in got}
    return {n: metrics.figure(access, n, filters) for n in names}


def cards(access: Access, filters: InsightFilters) -> list[dict]:
    names = [m.name for _label, group in SECTIONS for m in shown(group)]
    figures = _figures(access, filters, names)
    out = []
    for label, group in SECTIONS:
        items = []
        for m in shown(group):
            fig = figures.get(m.name)
            if fig is None:
                continue
            items.append(
                {
                    "metric": m,
                    "value": formatted(m, fig.value),
                    "count": fig.count,
                    "change": change(m, fig),
                    "url": rows_url(access, m.name, filters),
                }
            )
        if items:
            out.append({"label": label, "cards": items})
    return out


def _label(start: dt.date, grain: str) -> str:
    return start.isoformat() if grain != "month" else start.strftime("%Y-%m")


def charts(access: Access, filters: InsightFilters) -> list[dict]:
    """Each time-series chart: its JSON for the browser and the same points for the table."""
    out = []
    for chart_id, title, names in CHARTS:
        ms = shown(names)
        if not ms:
            continue
        series = [(m, metrics.series(access, m.name, filters)) for m in ms]
        starts = [p.start for p in series[0][1]]
        unit = ms[0].unit
        out.append(
            {
                "id": chart_id,
                "title": str(title),
                "metrics": ms,
                "rows": [
                    (start, [formatted(m, pts[i].value) for m, pts in series])
                    for i, start in enumerate(starts)
                ],
                "json": {
                    "id": chart_id,
                    "kind": "line",
                    "title": str(title),
                    "unit": unit,
                    "axis": str(UNIT_AXIS.get(unit, "")),
                    "grain": filters.grain,
                    "labels": [_label(s, filters.grain) for s in starts],
                    "datasets": [
                        {
                            "label": str(m.label),
                            "data": [chart_value(m, p.value) for p in pts],
                        }
                        for m, pts in series
                    ],
                },
            }
        )
    return out


def parse_breakdown(params) -> tuple[Metric, str]:
    """The breakdown chart's metric (`bm`) and dimension (`by`) from the query string."""
    name = (params.get("bm") or DEFAULT_BREAKDOWN[0]).strip()
    if name not in CATALOGUE:
        raise FieldErrors({"bm": _("No such metric: %(value)s") % {"value": repr(name[:40])}})
    metric = CATALOGUE[name]
    choices = dimensions(metric)
    by = (params.get("by") or "").strip() or (choices[0] if choices else "")
    if by not in choices:
        raise FieldErrors({"by": _("One of: %(values)s") % {"values": ", ".join(choices)}})
    return metric, by


def dimensions(metric: Metric) -> list[str]:
    return [d for d in BREAKDOWNS if d in metric.dimensions]


def breakdown(access: Access, filters: InsightFilters, metric: Metric, by: str) -> dict:
    """One breakdown: its bars (with the link each bar drills down to) and its table."""
    try:
        slices = metrics.breakdown(access, metric.name, filters, by)
    except NotImplementedError:
        slices = None
    base = {
        "metric": metric,
        "by": by,
        "by_label": BY_LABELS[by],
        "available": slices is not None,
    }
    if slices is None:
        return {**base, "rows": [], "json": None}
    none = _("(none)")
    rows = [
        {
            "label": s.label or none,
            "key": s.key,
            "value": formatted(metric, s.value),
            "count": s.count,
            "url": rows_url(access, metric.name, filters, by, s.key),
        }
        for s in slices
    ]
    title = _("%(metric)s by %(dimension)s") % {
        "metric": metric.label,
        "dimension": str(BY_LABELS[by]).lower(),
    }
    return {
        **base,
        "title": title,
        "rows": rows,
        "json": {
            "id": "breakdown",
            "kind": "bar",
            "title": title,
            "unit": metric.unit,
            "axis": str(UNIT_AXIS.get(metric.unit, "")),
            "labels": [r["label"] for r in rows],
            "datasets": [
                {"label": str(metric.label), "data": [chart_value(metric, s.value) for s in slices]}
            ],
            "links": [r["url"] for r in rows],
        },
    }


def breakdown_switch(access: Access, params: dict, metric: Metric, by: str) -> dict:
    """Links that change the breakdown's metric or dimension, keeping every filter."""
    names = [m for _label, group in SECTIONS for m in shown(group) if dimensions(m)]
    return {
        "metrics": names,
        "dims": [
            {
                "by": d,
                "label": BY_LABELS[d],
                "url": dashboard_url(access, {**params, "bm": metric.name, "by": d}) + "#breakdown",
                "current": d == by,
            }
            for d in dimensions(metric)
        ],
    }


GRAIN_LABELS = {
    "day": gettext_lazy("Day"),
    "week": gettext_lazy("Week"),
    "month": gettext_lazy("Month"),
}


def one_of(values) -> str:
    return _("One of: %(values)s") % {"values": ", ".join(values)}


def bad_key() -> str:
    return _("Not a value of this breakdown.")


def bad_page() -> str:
    return _("Not a page number.")


def slice_label(access: Access, metric: Metric, filters: InsightFilters, by: str, key: str) -> str:
    """The name of the slice a drill-down shows (the bar's label)."""
    from caredesk.journey.models import MediaType
    from caredesk.workspaces.models import Membership, Segment

    if key == "":
        return _("(none)")
    if by == "segment" and key.isdigit():
        seg = Segment.objects.filter(
            pk=int(key), organization_id=access.workspace.organization_id
        ).first()
        return seg.name if seg else key
    if by in ("agent", "team") and key.isdigit():
        m = (
            Membership.objects.filter(workspace=access.workspace, user_id=int(key))
            .select_related("user")
            .first()
        )
        return str(m.user) if m else key
    if by == "channel":
        return str(dict(MediaType.choices).get(key, key))
    return key


def rows_page_url(access: Access, name: str, params: dict, number: int) -> str:
    url = reverse("insights_rows", args=[access.workspace.slug, name])
    return url + "?" + urlencode({**params, **({"page": number} if number > 1 else {})})


def export_url(access: Access, name: str, params: dict) -> str:
    url = reverse("insights_rows_export", args=[access.workspace.slug, name])
    return url + "?" + urlencode(params)


FIELD_LABELS = {
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "grain": gettext_lazy("Step"),
    "segment": gettext_lazy("Segment"),
    "queue": gettext_lazy("Queue"),
    "channel": gettext_lazy("Channel"),
    "agent": gettext_lazy("Agent"),
    "team": gettext_lazy("Team"),
    "survey": gettext_lazy("Survey"),
    "tag": gettext_lazy("Tag"),
    "topic": gettext_lazy("Topic"),
    "bm": gettext_lazy("Metric"),
    "by": gettext_lazy("Break down by"),
    "key": gettext_lazy("Slice"),
    "page": gettext_lazy("Page"),
}


def error_items(errors: dict) -> list[tuple[str, str, str]]:
    """(parameter, its label, message) for the error list above a form."""
    return [(f, str(FIELD_LABELS.get(f, f)), m) for f, m in errors.items()]


GROUPS = ("time", *BREAKDOWNS)


def data(access: Access, filters: InsightFilters, params) -> dict:
    """The JSON of one chart (insights_data): a metric over time or by a dimension, with the
    rows behind each point and, for a slice, the drill-down it links to."""
    name = (params.get("metric") or "").strip()
    if name not in CATALOGUE:
        raise FieldErrors({"metric": _("No such metric: %(value)s") % {"value": repr(name[:40])}})
    metric = CATALOGUE[name]
    group = (params.get("group_by") or "time").strip()
    allowed = ["time", *dimensions(metric)]
    if group not in allowed:
        raise FieldErrors({"group_by": one_of(allowed)})
    fig = _figures(access, filters, [name])[name]
    out = {
        "metric": name,
        "label": str(metric.label),
        "unit": metric.unit,
        "group_by": group,
        "value": fig.value,
        "count": fig.count,
        "rows_url": rows_url(access, name, filters),
    }
    if group == "time":
        points = metrics.series(access, name, filters)
        out["points"] = [
            {"start": p.start.isoformat(), "value": p.value, "count": p.count} for p in points
        ]
        return out
    try:
        slices = metrics.breakdown(access, name, filters, group)
    except NotImplementedError as e:
        raise FieldErrors({"group_by": _("This breakdown is not available yet.")}) from e
    out["slices"] = [
        {
            "key": s.key,
            "label": s.label,
            "value": s.value,
            "count": s.count,
            "rows_url": rows_url(access, name, filters, group, s.key),
        }
        for s in slices
    ]
    return out
