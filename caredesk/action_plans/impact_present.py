"""A plan's impact arranged for its page and its JSON: values in the metric's unit and the
reader's language (insights.valuetext, as the plan's page, Home and the digest say them),
the drill-down link of every number and the chart's datasets and markers. Nothing here
computes a figure (caredesk.action_plans.impact does)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from caredesk.action_plans.impact import Impact, Period
from caredesk.action_plans.slice import slice_params
from caredesk.analysis.models import Topic
from caredesk.care.models import Tag
from caredesk.feedback.models import Survey
from caredesk.insights import metrics, present
from caredesk.insights.metrics import Figure
from caredesk.insights.valuetext import value_text
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm


def _percent(value) -> str:
    return f"{number_format(round(value), use_l10n=True, force_grouping=True)}%"


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def rows_url(access: Access, impact: Impact, period: Period) -> str:
    """The Insights drill-down of the rows behind `period`; "" for a reader who may not
    open Insights (the number is then shown without a link)."""
    if not access.has(Perm.VIEW_INSIGHTS):
        return ""
    path = reverse("insights_rows", args=[access.workspace.slug, impact.metric.name])
    return path + "?" + urlencode(period.params(impact.plan))


def _period(access: Access, impact: Impact, period: Period | None) -> dict | None:
    if period is None:
        return None
    return {
        "value": period.value,
        "text": value_text(impact.metric, period.value),
        "count": period.count,
        "from": period.date_from.isoformat(),
        "to": period.date_to.isoformat(),
        "dates": f"{_day(period.date_from)} – {_day(period.date_to)}",
        "rows_url": rows_url(access, impact, period),
    }


def _days(period: Period) -> int:
    return (period.date_to - period.date_from).days + 1


def _change(impact: Impact, against: Period | None) -> dict | None:
    if against is None:
        return None
    since, before = impact.since, against.value
    # A volume grows with the days it covers: a 30-day baseline against the plan's first
    # 3 days would read as a fall of 90%. Unequal periods are compared per day.
    per_day = (
        metrics.CALCS[impact.metric.name].kind == "count"
        and impact.metric.name not in metrics.STOCK
        and before is not None
        and _days(since) > 0
        and _days(against) != _days(since)
    )
    if per_day:
        before = before * _days(since) / _days(against)
    fig = Figure(impact.metric, since.value, since.count, before)
    ch = present.change(impact.metric, fig)
    if ch is None:
        return None
    return {"text": ch.text, "arrow": ch.arrow, "tone": ch.tone, "per_day": per_day}


def slice_words(access: Access, impact: Impact) -> list[dict]:
    """The slice's filters in words ("Segment: Italy"), for the chart's subtitle."""
    ws = access.workspace
    names = {
        "survey": lambda pk: Survey.objects.filter(workspace=ws, pk=pk).first(),
        "tag": lambda pk: Tag.objects.filter(workspace=ws, pk=pk).first(),
        "topic": lambda pk: Topic.objects.filter(workspace=ws, pk=pk).first(),
    }
    out = []
    for key, value in slice_params(impact.plan.filters or {}).items():
        if key in names and value.isdigit():
            obj = names[key](int(value))
            text = getattr(obj, "name", None) or getattr(obj, "title", None) or value
        else:
            text = present.slice_label(access, impact.metric, None, key, value)
        out.append({"key": key, "label": str(present.BY_LABELS.get(key, key)), "value": str(text)})
    return out


def _marker_index(starts, day) -> int | None:
    if not starts or day < starts[0]:
        return None
    index = None
    for i, start in enumerate(starts):
        if start <= day:
            index = i
    return index


def chart(impact: Impact) -> dict:
    metric = impact.metric
    starts = [p.start for p in impact.points]
    flat = len(starts)
    datasets = [
        {
            "kind": "metric",
            "label": str(metric.label),
            "data": [present.chart_value(metric, p.value) for p in impact.points],
        }
    ]
    if impact.baseline is not None and impact.baseline.value is not None:
        value = present.chart_value(metric, impact.baseline.value)
        datasets.append({"kind": "baseline", "label": _("Baseline"), "data": [value] * flat})
    if impact.target is not None:
        value = present.chart_value(metric, impact.target)
        datasets.append({"kind": "target", "label": _("Target"), "data": [value] * flat})
    markers = []
    for m in impact.markers:
        index = _marker_index(starts, m.day)
        if index is None or m.day > impact.since.date_to:
            continue
        label = _("Plan started") if m.kind == "start" else _("Done: %(task)s") % {"task": m.label}
        markers.append({"index": index, "date": m.day.isoformat(), "kind": m.kind, "label": label})
    return {
        "id": "impact",
        "kind": "line",
        "title": _("%(metric)s before and since the plan started") % {"metric": metric.label},
        "unit": metric.unit,
        "axis": str(present.UNIT_AXIS.get(metric.unit, "")),
        "grain": impact.grain,
        "labels": [s.isoformat() for s in starts],
        "counts": [p.count for p in impact.points],
        "datasets": datasets,
        "markers": markers,
    }


def table(impact: Impact) -> list[dict]:
    """The chart as rows (its accessible alternative): each step with its rows and the
    events marked on it."""
    chart_ = chart(impact)
    events: dict[int, list[str]] = {}
    for m in chart_["markers"]:
        events.setdefault(m["index"], []).append(m["label"])
    return [
        {
            "start": p.start,
            "value": p.value,
            "text": value_text(impact.metric, p.value),
            "count": p.count,
            "events": events.get(i, []),
        }
        for i, p in enumerate(impact.points)
    ]


def payload(access: Access, impact: Impact) -> dict:
    """What the plan's page shows and impact.json answers."""
    metric = impact.metric
    prog = impact.progress
    return {
        "plan": impact.plan.pk,
        "metric": {
            "name": metric.name,
            "label": str(metric.label),
            "unit": metric.unit,
            "better": metric.better,
            "definition": str(metric.definition),
        },
        "slice": slice_words(access, impact),
        "started": impact.started,
        "since": _period(access, impact, impact.since),
        "previous": _period(access, impact, impact.previous),
        "baseline": _period(access, impact, impact.baseline),
        "target": None
        if impact.target is None
        else {"value": impact.target, "text": value_text(metric, impact.target)},
        "progress": None
        if prog is None
        else {
            "fraction": round(prog.fraction, 4),
            # The bar's width: the fraction reached, kept within the bar.
            "percent": max(0, min(100, round(prog.fraction * 100))),
            "text": _percent(prog.fraction * 100),
            "reached": prog.reached,
        },
        "vs_baseline": _change(impact, impact.baseline),
        "vs_previous": _change(impact, impact.previous),
        "chart": chart(impact),
        "table": table(impact),
    }
