"""The Action plans tab: the list (filters, counts, Excel), the plan's page with its tasks,
comments, links and log, and the create and edit forms.

Reads go through caredesk.action_plans.selectors, writes through services; a plan outside the
caller's sight is a 404 everywhere. The small forms of the plan's page post with htmx and get
their section back; without JavaScript they post and come back to the page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.action_plans import present, selectors, services
from caredesk.action_plans.export import plans_xlsx_response
from caredesk.action_plans.models import (
    ActionPlan,
    PlanOrigin,
    PlanPriority,
    PlanStatus,
    TaskKind,
)
from caredesk.action_plans.slice import SLICE_PARAMS
from caredesk.coaching.models import CoachingSession, SessionStatus
from caredesk.coaching.selectors import criterion_choices
from caredesk.core import htmx
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID, is_htmx
from caredesk.core.markdown import render_markdown
from caredesk.insights.catalogue import CATALOGUE
from caredesk.resources.models import Article
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import segment_tree
from caredesk.workspaces.web import render_ws, workspace_view

ACTIVE = "action_plans"
PLAN_FIELDS = (
    "title",
    "description",
    "owner",
    "segment",
    "due_date",
    "status",
    "priority",
    "target_value",
)


# --------------------------------------------------------------------------- helpers


def _list_url(access, params: dict | None = None) -> str:
    url = reverse("action_plan_list", args=[access.workspace.slug])
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _detail_url(access, plan, anchor: str = "") -> str:
    url = reverse("action_plan_detail", args=[access.workspace.slug, plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _segment_choices(access) -> list[tuple[str, str, int]]:
    segments = segment_tree(access.workspace.organization_id)
    if not access.sees_whole_workspace:
        segments = [s for s in segments if any(s.path.startswith(p) for p in access.area_paths)]
    return [(str(s.pk), s.name, s.depth) for s in segments]


def _people(access) -> list[tuple[str, str]]:
    return [(str(u.pk), str(u)) for u in selectors.workspace_people(access)]


def _metric_choices() -> list[tuple[str, str]]:
    return sorted(((k, str(m.label)) for k, m in CATALOGUE.items()), key=lambda x: x[1].lower())


# --------------------------------------------------------------------------- list


@require_GET
@workspace_view(Perm.USE_CARE)
def action_plan_list(request, access):
    context = {
        "raw": {k: request.GET.get(k, "") for k in selectors.LIST_PARAMS},
        "status_choices": PlanStatus.choices,
        "owner_choices": _people(access),
        "segment_choices": _segment_choices(access),
        "can_create": access.has(Perm.MANAGE_ACTION_PLANS),
        "filter_errors": {},
    }
    try:
        filters = selectors.parse_plan_filters(request.GET, access)
    except FieldErrors as e:
        context["filter_errors"] = e.errors
        return render_ws(
            request, access, "action_plans/list.html", context, active=ACTIVE, status=INVALID
        )
    before = request.GET.get("before", "")
    plans, next_id = selectors.plan_page(
        access, filters, before=int(before) if before.isdigit() and len(before) < 19 else None
    )
    params = filters.as_params()
    counts = selectors.plan_counts(access, filters)
    today = selectors.workspace_today(access)
    for plan in plans:
        plan.overdue = selectors.is_overdue(plan, today)
        plan.metric_label = present.metric_label(plan.metric)
    context.update(
        filters=filters,
        plans=plans,
        counts=counts,
        stat_links=[
            (value, label, counts[value], _list_url(access, {**params, "status": value}))
            for value, label in PlanStatus.choices
        ],
        total_link=_list_url(access, {k: v for k, v in params.items() if k != "status"}),
        overdue_link=_list_url(access, {**params, "overdue": "1"}),
        mine_link=_list_url(access, {**params, "mine": "1"}),
        all_link=_list_url(access, {k: v for k, v in params.items() if k != "mine"}),
        older_link=_list_url(access, {**params, "before": next_id}) if next_id else "",
        export_link=reverse("action_plan_export", args=[access.workspace.slug])
        + ("?" + urlencode(params) if params else ""),
    )
    return render_ws(request, access, "action_plans/list.html", context, active=ACTIVE)


@require_GET
@workspace_view(Perm.USE_CARE)
def action_plan_export(request, access):
    try:
        filters = selectors.parse_plan_filters(request.GET, access)
    except FieldErrors as e:
        return HttpResponse("; ".join(e.errors.values()), status=INVALID, content_type="text/plain")
    return plans_xlsx_response(access, filters)


# --------------------------------------------------------------------------- create


def _slice_from(query) -> dict:
    """The Insights parameters an insight's button sends (the slice and its period)."""
    out = {k: query.get(k, "").strip() for k in (*SLICE_PARAMS, "from", "to")}
    return {k: v for k, v in out.items() if v}


def _posted_slice(post) -> dict:
    out = {k: post.get(f"filter_{k}", "").strip() for k in (*SLICE_PARAMS, "from", "to")}
    return {k: v for k, v in out.items() if v}


def _preview(access, metric: str, filters: dict) -> dict:
    """The slice in words and the baseline the plan would keep, or the errors of its filters."""
    try:
        metric, params, date_from, date_to = services.check_slice(access, metric, filters)
        base = services.slice_baseline(access, metric, params, date_from, date_to)
    except FieldErrors as e:
        return {"slice_errors": e.errors, "slice_words": [], "baseline_from": None}
    return {
        "slice_errors": {},
        "slice_words": present.slice_words(access.workspace, params),
        "baseline_from": date_from,
        "baseline_to": date_to,
        "baseline_text": present.metric_value(metric, base.value),
        "insights_link": present.insights_url(access.workspace, params, date_from, date_to),
    }


def _form_context(access, values: dict, errors: dict, slice_filters: dict) -> dict:
    metric = values.get("metric", "")
    return {
        "values": values,
        "errors": errors,
        "slice": slice_filters,
        "metric_label": present.metric_label(metric),
        "metric_choices": _metric_choices(),
        "status_choices": PlanStatus.choices,
        "priority_choices": PlanPriority.choices,
        "people": _people(access),
        "segment_choices": _segment_choices(access),
        **_preview(access, metric, slice_filters),
    }


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_ACTION_PLANS)
def action_plan_create(request, access):
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        slice_filters = _posted_slice(request.POST)
        values = {k: request.POST.get(k, "") for k in (*PLAN_FIELDS, "origin", "metric")}
        values["collaborators"] = request.POST.getlist("collaborators")
        try:
            plan = services.plan_create(
                access=access,
                title=values["title"],
                description=values["description"],
                owner_id=values["owner"] or None,
                collaborator_ids=values["collaborators"],
                segment_id=values["segment"] or None,
                due_date=values["due_date"],
                status=values["status"] or PlanStatus.NOT_STARTED,
                priority=values["priority"] or PlanPriority.MEDIUM,
                target_value=values["target_value"],
                origin=values["origin"] or PlanOrigin.MANUAL,
                metric=values["metric"],
                filters=slice_filters,
            )
        except FieldErrors as e:
            errors, status = e.errors, INVALID
        else:
            messages.success(request, _("Action plan created."))
            return redirect(_detail_url(access, plan))
    else:
        q = request.GET
        slice_filters = _slice_from(q)
        metric = q.get("metric", "").strip()
        origin = q.get("origin", "").strip()
        values = {
            "title": q.get("title", "").strip() or present.no_plan_title(metric),
            "description": "",
            "owner": str(access.user.pk) if access.user else "",
            "segment": slice_filters.get("segment", ""),
            "due_date": "",
            "status": PlanStatus.NOT_STARTED,
            "priority": PlanPriority.MEDIUM,
            "target_value": "",
            "origin": origin if origin in PlanOrigin.values else PlanOrigin.MANUAL,
            "metric": metric,
            "collaborators": [],
        }
    context = _form_context(access, values, errors, slice_filters)
    return render_ws(
        request, access, "action_plans/create.html", context, active=ACTIVE, status=status
    )


# --------------------------------------------------------------------------- detail


def _task_choices(access) -> dict:
    sessions = (
        CoachingSession.objects.visible_to(access)
        .filter(status=SessionStatus.SCHEDULED)
        .select_related("agent")
        .order_by("scheduled_at")[:100]
    )
    articles = Article.objects.filter(workspace=access.workspace).prefetch_related("translations")[
        :200
    ]
    return {
        # Scheduling a session from a task is the coaching app's: those who evaluate.
        "criterion_choices": criterion_choices(access) if access.has(Perm.EVALUATE) else [],
        "kind_choices": TaskKind.choices,
        "session_choices": [(str(s.pk), s) for s in sessions],
        "article_choices": [(str(a.pk), selectors.article_title(a)) for a in articles],
    }


def detail_context(access, plan: ActionPlan, forms: dict | None = None) -> dict:
    forms = forms or {}
    today = selectors.workspace_today(access)
    tasks = selectors.plan_tasks(plan)
    present.task_extras(access.workspace, tasks)
    for t in tasks:
        t.overdue = bool(t.due_date and t.due_date < today and not t.done)
        t.can_work = selectors.can_work_task(access, t)
    can_work = selectors.can_work(access, plan)
    return {
        "plan": plan,
        "overdue": selectors.is_overdue(plan, today),
        "can_edit": selectors.can_edit(access, plan),
        "can_work": can_work,
        "description_html": render_markdown(plan.description),
        "collaborators": list(plan.collaborators.order_by("first_name", "username")),
        "metric_label": present.metric_label(plan.metric),
        "slice_words": present.slice_words(access.workspace, plan.filters),
        "insights_link": present.insights_url(
            access.workspace, plan.filters, plan.baseline_from, plan.baseline_to
        ),
        "baseline_text": present.metric_value(plan.metric, plan.baseline_value),
        "target_text": present.target_text(plan),
        "tasks": tasks,
        "tasks_done": sum(1 for t in tasks if t.done),
        "comments": selectors.plan_comments(plan),
        "links": selectors.plan_links(plan),
        "log": present.group_log(selectors.plan_log(plan), access.workspace.organization_id),
        "people": _people(access),
        "status_choices": PlanStatus.choices,
        "task_form": forms.get("task") or {"values": {"kind": "free"}, "errors": {}},
        "comment_form": forms.get("comment") or {"values": {}, "errors": {}},
        "link_form": forms.get("link") or {"values": {}, "errors": {}},
        "task_errors": forms.get("task_errors") or {},
        **(_task_choices(access) if can_work else {}),
    }


@require_GET
@workspace_view(Perm.USE_CARE)
def action_plan_detail(request, access, plan):
    plan = selectors.plan_get(access, plan)
    return render_ws(
        request, access, "action_plans/detail.html", detail_context(access, plan), active=ACTIVE
    )


SECTIONS = {"tasks": "action_plans/_tasks.html", "comments": "action_plans/_comments.html"}
SECTIONS["links"] = "action_plans/_links.html"


def _after_write(request, access, plan, section: str, forms=None, errors=False):
    """htmx: the section again (with the form's errors); else back to the page (or the page
    with the errors, nothing written)."""
    plan = selectors.plan_get(access, plan.pk)
    status = INVALID if errors else 200
    context = detail_context(access, plan, forms)
    if is_htmx(request):
        return render_ws(request, access, SECTIONS[section], context, status=status)
    if errors:
        return render_ws(
            request, access, "action_plans/detail.html", context, active=ACTIVE, status=status
        )
    return redirect(_detail_url(access, plan, section))


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_ACTION_PLANS)
def action_plan_edit(request, access, plan):
    plan = selectors.plan_get(access, plan)
    errors: dict[str, str] = {}
    status = 200
    values = {
        "title": plan.title,
        "description": plan.description,
        "owner": str(plan.owner_id or ""),
        "segment": str(plan.segment_id or ""),
        "due_date": plan.due_date.isoformat() if plan.due_date else "",
        "status": plan.status,
        "priority": plan.priority,
        "target_value": "" if plan.target_value is None else f"{plan.target_value:g}",
        "collaborators": [str(u.pk) for u in plan.collaborators.all()],
    }
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in PLAN_FIELDS}
        posted["collaborators"] = request.POST.getlist("collaborators")
        # Only what changed goes to the service, so nothing unchanged is audited.
        changed = {k: v for k, v in posted.items() if v != values[k]}
        if "collaborators" in changed and set(posted["collaborators"]) == set(
            values["collaborators"]
        ):
            changed.pop("collaborators")
        keys = {"owner": "owner_id", "segment": "segment_id", "collaborators": "collaborator_ids"}
        try:
            services.plan_update(
                access=access,
                plan=plan,
                **{keys.get(k, k): (v if v != "" else None) for k, v in changed.items()},
            )
        except FieldErrors as e:
            errors, status, values = e.errors, INVALID, posted
        else:
            messages.success(request, _("Action plan updated."))
            return redirect(_detail_url(access, plan))
    context = {
        "plan": plan,
        "values": values,
        "errors": errors,
        "status_choices": PlanStatus.choices,
        "priority_choices": PlanPriority.choices,
        "people": _people(access),
        "segment_choices": _segment_choices(access),
        "metric_label": present.metric_label(plan.metric),
    }
    return render_ws(
        request, access, "action_plans/edit.html", context, active=ACTIVE, status=status
    )


@require_POST
@workspace_view(Perm.MANAGE_ACTION_PLANS)
def action_plan_status(request, access, plan):
    """The status select of the plan's header."""
    plan = selectors.plan_get(access, plan)
    try:
        services.plan_update(access=access, plan=plan, status=request.POST.get("status", ""))
    except FieldErrors as e:
        messages.error(request, next(iter(e.errors.values())))
    return htmx.redirect(request, _detail_url(access, plan))


# --------------------------------------------------------------------------- tasks


def _task_values(post) -> dict:
    return {
        k: post.get(k, "").strip()
        for k in (
            "title",
            "kind",
            "owner",
            "due_date",
            "agent",
            "coaching_session",
            "article",
            "schedule_at",
        )
    }


@require_POST
@workspace_view(Perm.USE_CARE)
def action_plan_task_add(request, access, plan):
    plan = selectors.plan_get(access, plan)
    values = _task_values(request.POST)
    values["criteria"] = request.POST.getlist("criteria")
    try:
        services.task_add(
            access=access,
            plan=plan,
            title=values["title"],
            kind=values["kind"] or TaskKind.FREE,
            owner_id=values["owner"] or None,
            due_date=values["due_date"],
            agent_id=values["agent"] or None,
            coaching_session_id=values["coaching_session"] or None,
            article_id=values["article"] or None,
            schedule_at=values["schedule_at"] or None,
            criteria=values["criteria"],
        )
    except FieldErrors as e:
        form = {"values": values, "errors": e.errors}
        return _after_write(request, access, plan, "tasks", {"task": form}, errors=True)
    return _after_write(request, access, plan, "tasks")


@require_POST
@workspace_view(Perm.USE_CARE)
def action_plan_task_edit(request, access, plan, task):
    plan = selectors.plan_get(access, plan)
    task = services.task_get(plan, task)
    values = _task_values(request.POST)
    try:
        services.task_update(
            access=access,
            task=task,
            title=values["title"],
            kind=values["kind"] or task.kind,
            owner_id=values["owner"] or None,
            due_date=values["due_date"] or None,
            agent_id=values["agent"] or None,
            coaching_session_id=values["coaching_session"] or None,
            article_id=values["article"] or None,
        )
    except FieldErrors as e:
        forms = {"task_errors": {task.pk: e.errors}}
        return _after_write(request, access, plan, "tasks", forms, errors=True)
    return _after_write(request, access, plan, "tasks")


@require_POST
@workspace_view(Perm.USE_CARE)
def action_plan_task_done(request, access, plan, task):
    plan = selectors.plan_get(access, plan)
    task = services.task_get(plan, task)
    services.task_set_done(access=access, task=task, done=request.POST.get("done") == "1")
    return _after_write(request, access, plan, "tasks")


@require_POST
@workspace_view(Perm.USE_CARE)
def action_plan_task_delete(request, access, plan, task):
    plan = selectors.plan_get(access, plan)
    services.task_delete(access=access, task=services.task_get(plan, task))
    return _after_write(request, access, plan, "tasks")


@require_POST
@workspace_view(Perm.USE_CARE)
def action_plan_task_move(request, access, plan, task):
    plan = selectors.plan_get(access, plan)
    task = services.task_get(plan, task)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.task_move(access=access, task=task, step=step)
    return _after_write(request, access, plan, "tasks")


# --------------------------------------------------------------------------- comments, links


@require_POST
@workspace_view(Perm.USE_CARE)
def action_plan_comment_add(request, access, plan):
    plan = selectors.plan_get(access, plan)
    body = request.POST.get("body", "")
    try:
        services.comment_add(access=access, plan=plan, body=body)
    except FieldErrors as e:
        form = {"values": {"body": body}, "errors": e.errors}
        return _after_write(request, access, plan, "comments", {"comment": form}, errors=True)
    return _after_write(request, access, plan, "comments")


@require_POST
@workspace_view(Perm.USE_CARE)
def action_plan_link_add(request, access, plan):
    plan = selectors.plan_get(access, plan)
    values = {k: request.POST.get(k, "") for k in ("url", "title")}
    try:
        services.link_add(access=access, plan=plan, url=values["url"], title=values["title"])
    except FieldErrors as e:
        form = {"values": values, "errors": e.errors}
        return _after_write(request, access, plan, "links", {"link": form}, errors=True)
    return _after_write(request, access, plan, "links")


@require_POST
@workspace_view(Perm.USE_CARE)
def action_plan_link_delete(request, access, plan, link):
    plan = selectors.plan_get(access, plan)
    services.link_remove(access=access, link=services.link_get(plan, link))
    return _after_write(request, access, plan, "links")
