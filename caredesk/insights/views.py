"""The Insights tab: the dashboard of the management area and the drill-down lists. The
views read the filters, call `present` / `drill` (which call `metrics`) and render."""

import re

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.insights import drill, metrics, plan_links, present
from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.filters import CHANNELS, GRAINS, PARAMS, parse_insight_filters
from caredesk.journey.models import MediaType
from caredesk.routing.models import Queue
from caredesk.workspaces.access import area_q
from caredesk.workspaces.models import Membership, Segment
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view

PAGE_SIZE = 50
VIEW_PARAMS = ("bm", "by")


def _choices(access) -> dict:
    """The filter form's options: the segments of the caller's area, queues, agents."""
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
        "grain_choices": [(g, present.GRAIN_LABELS[g]) for g in GRAINS],
    }


def _raw(request) -> dict:
    return {k: request.GET.get(k, "") for k in (*PARAMS, *VIEW_PARAMS)}


@require_GET
@workspace_view(Perm.VIEW_INSIGHTS)
def insights_dashboard(request, access):
    context = {**_choices(access), "raw": _raw(request), "filter_errors": {}}
    try:
        filters = parse_insight_filters(request.GET, access)
        metric, by = present.parse_breakdown(request.GET)
    except FieldErrors as e:
        context.update(filter_errors=e.errors, error_items=present.error_items(e.errors))
        return render_ws(
            request, access, "insights/dashboard.html", context, active="insights", status=INVALID
        )
    params = filters.as_params()
    view = {"bm": metric.name, "by": by}
    chart_list = present.charts(access, filters)
    part = present.breakdown(access, filters, metric, by)
    context.update(
        filters=filters,
        raw={**context["raw"], **params, **view},
        params=params,
        # The presets keep the breakdown the user chose (and add none they did not).
        presets=present.presets(
            access, filters, {k: view[k] for k in VIEW_PARAMS if request.GET.get(k)}
        ),
        sections=present.cards(access, filters),
        charts=chart_list,
        chart_data=[c["json"] for c in chart_list] + ([part["json"]] if part["json"] else []),
        part=part,
        switch=present.breakdown_switch(access, params, metric, by),
        can_plan=access.has(Perm.MANAGE_ACTION_PLANS),
    )
    if context["can_plan"]:
        _plan_links(access, filters, context)
    return render_ws(request, access, "insights/dashboard.html", context, active="insights")


def _plan_links(access, filters, context) -> None:
    """The query of each "Create action plan" link: a card (origin kpi), a trend chart and
    each breakdown row with its own slice (origin chart)."""
    where = plan_links.slice_name(access, filters)

    def query(origin, name, place=where, **slice_):
        title = plan_links.title(name, place)
        return plan_links.plan_query(filters, origin=origin, metric=name, title=title, **slice_)

    for section in context["sections"]:
        for card in section["cards"]:
            card["plan_query"] = query("kpi", card["metric"].name)
    for chart in context["charts"]:
        chart["plan_query"] = query("chart", chart["metrics"][0].name)
    part = context["part"]
    part["plan_query"] = query("chart", part["metric"].name)
    for row in part["rows"]:
        if row["key"]:
            row["plan_query"] = query(
                "chart", part["metric"].name, row["label"], **{part["by"]: row["key"]}
            )


@require_GET
@workspace_view(Perm.VIEW_INSIGHTS)
def insights_data(request, access):
    """One chart's numbers as JSON (the same filters as the page, plus metric and group_by)."""
    try:
        filters = parse_insight_filters(request.GET, access)
        payload = present.data(access, filters, request.GET)
    except FieldErrors as e:
        detail = "; ".join(f"{k}: {v}" for k, v in e.errors.items())
        return JsonResponse({"detail": detail, "errors": e.errors}, status=INVALID)
    return JsonResponse(payload)


def _rows_request(request, access, metric_name):
    """The metric, the filters and the slice (by, key) of a drill-down; FieldErrors when bad."""
    if metric_name not in CATALOGUE:
        raise Http404
    metric = CATALOGUE[metric_name]
    filters = parse_insight_filters(request.GET, access)
    by = request.GET.get("by", "").strip()
    key = request.GET.get("key", "").strip()
    if by and by not in metric.dimensions:
        raise FieldErrors(
            {"by": present.one_of(metric.dimensions)},
        )
    if key and (not by or len(key) > 254):
        raise FieldErrors({"key": present.bad_key()})
    try:
        qs = metrics.rows(access, metric.name, filters, by=by, key=key)
    except (KeyError, ValueError, NotImplementedError) as e:
        raise FieldErrors({"key" if by else "by": present.bad_key()}) from e
    return metric, filters, by, key, qs


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    if not re.fullmatch(r"\d{1,6}", value) or int(value) < 1:
        raise FieldErrors({"page": present.bad_page()})
    return int(value)


@require_GET
@workspace_view(Perm.VIEW_INSIGHTS)
def insights_rows(request, access, metric):
    context = {"raw": _raw(request), "filter_errors": {}, "metric_name": metric}
    try:
        m, filters, by, key, qs = _rows_request(request, access, metric)
        number = _page_number(request)
    except FieldErrors as e:
        context.update(filter_errors=e.errors, error_items=present.error_items(e.errors))
        context["metric"] = CATALOGUE.get(metric)
        return render_ws(
            request, access, "insights/rows.html", context, active="insights", status=INVALID
        )
    count = qs.count()
    pages = max(1, -(-count // PAGE_SIZE))
    number = min(number, pages)
    lay = drill.layout(qs)
    params = filters.as_params()
    if by:
        params.update(by=by, key=key)
    context.update(
        metric=m,
        filters=filters,
        count=count,
        by=by,
        by_label=present.BY_LABELS.get(by, by),
        key_label=present.slice_label(access, m, filters, by, key) if by else "",
        columns=lay.columns,
        rows=drill.page(access, qs, number, PAGE_SIZE),
        page_number=number,
        pages=pages,
        first=(number - 1) * PAGE_SIZE + 1,
        last=min(number * PAGE_SIZE, count),
        prev_url=present.rows_page_url(access, m.name, params, number - 1) if number > 1 else "",
        next_url=present.rows_page_url(access, m.name, params, number + 1)
        if number < pages
        else "",
        export_url=present.export_url(access, m.name, params),
        back_url=present.dashboard_url(access, filters.as_params()),
        can_export=access.has(Perm.EXPORT_CASES),
    )
    return render_ws(request, access, "insights/rows.html", context, active="insights")


@require_GET
@workspace_view(Perm.VIEW_INSIGHTS)
def insights_rows_export(request, access, metric):
    # The rows carry customers' emails and tickets: the same permission as the ticket export.
    access.require(Perm.EXPORT_CASES)
    try:
        m, filters, by, key, qs = _rows_request(request, access, metric)
    except FieldErrors as e:
        return HttpResponse("; ".join(e.errors.values()), status=INVALID, content_type="text/plain")
    return drill.xlsx_response(access, m, filters, qs, suffix=f"{by}-{key or 'none'}" if by else "")
