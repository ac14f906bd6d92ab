"""Action plans over REST: /workspaces/{ws}/action-plans, their tasks, comments, links and log.

Everyone with use_care reads the plans of their area (caredesk.action_plans.selectors: one
rule); manage_action_plans creates and changes them; the owner, collaborators and task owners
work the tasks, comments and links. A plan is never deleted: cancel it (status "cancelled")."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from caredesk.action_plans import selectors, services
from caredesk.action_plans.models import (
    ActionPlan,
    PlanComment,
    PlanLink,
    PlanOrigin,
    PlanPriority,
    PlanStatus,
    PlanTask,
    TaskKind,
)
from caredesk.api.access import api_access
from caredesk.api.schemas import (
    ERRORS,
    AuditOut,
    Bool,
    Id,
    In,
    SegmentRef,
    Text,
    UserRef,
    audit_out,
    segment_ref,
    user_ref,
)
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY
from caredesk.core.pagination import NOT_A_CURSOR, decode_id_cursor
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

router = Router(tags=["action plans"])

BASE = "/workspaces/{workspace}/action-plans"
ONE = BASE + "/{plan_id}"
_c = lambda c: ", ".join(c.values)  # noqa: E731


# -- shapes ------------------------------------------------------------------------------------


class ActionPlanBaselineOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    value: float | None = Field(description="The metric on the slice over the period; null: none")
    count: int | None = Field(description="Rows it was computed from")
    date_from: dt.date | None = Field(alias="from")
    date_to: dt.date | None = Field(alias="to")


class ActionPlanOut(Schema):
    id: int
    title: str
    description: str = Field(description="Markdown")
    status: str = Field(description=f"One of: {_c(PlanStatus)}")
    priority: str = Field(description=f"One of: {_c(PlanPriority)}")
    owner: UserRef | None
    collaborators: list[UserRef]
    segment: SegmentRef | None
    due_date: dt.date | None
    overdue: bool
    origin: str = Field(description=f"One of: {_c(PlanOrigin)}")
    metric: str = Field(description="A metric of the Insights catalogue; empty for none")
    filters: dict[str, str] = Field(description="The Insights slice it tracks (segment, queue…)")
    baseline: ActionPlanBaselineOut
    target_value: float | None
    started_on: dt.date
    tasks_total: int
    tasks_done: int
    created_by: UserRef | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None


class ActionPlanPage(Schema):
    items: list[ActionPlanOut]
    counts: dict[str, int] = Field(description="Plans by status under the other filters")
    next_cursor: str | None


class ActionPlanListParams(Schema):
    status: str = Field("", description=f"One of: {_c(PlanStatus)}")
    owner: str = Field("", description='A user id, or "me"')
    segment: str = Field("", description="A segment id (with those below it)")
    overdue: str = Field("", description="1: only plans past their due date and still open")
    q: str = Field("", description="Words in the title")
    mine: str = Field("", description="1: plans I own, collaborate on or hold a task of")
    cursor: str = Field("", description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class ActionPlanIn(In):
    title: Text(services.MAX_TITLE)
    description: Text(MAX_BODY) = Field("", description="Markdown")
    owner: Id | None = Field(None, description="A member; the creator when left out")
    collaborators: list[Id] = Field(default_factory=list)
    segment: Id | None = Field(None, description="The slice's segment when left out")
    due_date: Text(10) | None = Field(None, description="YYYY-MM-DD")
    status: Text(20) = Field(PlanStatus.NOT_STARTED, description=f"One of: {_c(PlanStatus)}")
    priority: Text(10) = Field(PlanPriority.MEDIUM, description=f"One of: {_c(PlanPriority)}")
    target_value: float | None = None
    origin: Text(10) = Field(PlanOrigin.MANUAL, description=f"One of: {_c(PlanOrigin)}")
    metric: Text(40) = Field("", description="A metric of the Insights catalogue")
    filters: dict[str, Any] = Field(
        default_factory=dict,
        description="The Insights query it came from: segment, queue, channel, agent, team, "
        "survey, tag, topic, and from/to (the baseline's period; default the 30 days before "
        "today)",
    )


class ActionPlanPatch(In):
    title: Text(services.MAX_TITLE) | None = None
    description: Text(MAX_BODY) | None = None
    owner: Id | None = None
    collaborators: list[Id] | None = Field(None, description="Replaces them")
    segment: Id | None = None
    due_date: Text(10) | None = None
    status: Text(20) | None = None
    priority: Text(10) | None = None
    target_value: float | None = None


class ActionPlanTaskOut(Schema):
    id: int
    kind: str = Field(description=f"One of: {_c(TaskKind)}")
    title: str
    owner: UserRef | None
    due_date: dt.date | None
    done: bool
    done_at: dt.datetime | None
    done_by: UserRef | None
    position: int
    agent: UserRef | None = Field(description="kind coaching: the agent to coach")
    coaching_session: int | None
    article: int | None


class ActionPlanTaskIn(In):
    title: Text(services.MAX_TITLE)
    kind: Text(10) = Field(TaskKind.FREE, description=f"One of: {_c(TaskKind)}")
    owner: Id | None = None
    due_date: Text(10) | None = Field(None, description="YYYY-MM-DD")
    agent: Id | None = Field(None, description="kind coaching: required")
    coaching_session: Id | None = Field(None, description="kind coaching: a session of the agent")
    schedule_at: Text(40) | None = Field(
        None, description="kind coaching: schedule a new session then (needs evaluate)"
    )
    criteria: list[Id] | None = Field(None, description="The new session's criteria")
    article: Id | None = Field(None, description="kind article: an article of the workspace")


class ActionPlanTaskPatch(In):
    title: Text(services.MAX_TITLE) | None = None
    kind: Text(10) | None = None
    owner: Id | None = None
    due_date: Text(10) | None = None
    agent: Id | None = None
    coaching_session: Id | None = None
    schedule_at: Text(40) | None = None
    criteria: list[Id] | None = None
    article: Id | None = None
    done: Bool | None = None
    position: Id | None = Field(None, description="Move the task to this place (1 is first)")


class ActionPlanCommentOut(Schema):
    id: int
    author: UserRef | None
    body: str
    created_at: dt.datetime


class ActionPlanCommentIn(In):
    body: Text(MAX_BODY)


class ActionPlanLinkOut(Schema):
    id: int
    title: str
    url: str
    added_by: UserRef | None
    created_at: dt.datetime


class ActionPlanLinkIn(In):
    url: Text(services.MAX_URL) = Field(description="http or https")
    title: Text(services.MAX_TITLE) = ""


# -- converters --------------------------------------------------------------------------------


def plan_out(plan: ActionPlan, today: dt.date) -> dict:
    tasks = list(plan.tasks.all())
    return {
        "id": plan.pk,
        "title": plan.title,
        "description": plan.description,
        "status": plan.status,
        "priority": plan.priority,
        "owner": user_ref(plan.owner),
        "collaborators": [user_ref(u) for u in plan.collaborators.all()],
        "segment": segment_ref(plan.segment),
        "due_date": plan.due_date,
        "overdue": selectors.is_overdue(plan, today),
        "origin": plan.origin,
        "metric": plan.metric,
        "filters": plan.filters or {},
        "baseline": {
            "value": plan.baseline_value,
            "count": plan.baseline_count,
            "from": plan.baseline_from,
            "to": plan.baseline_to,
        },
        "target_value": plan.target_value,
        "started_on": plan.started_on,
        "tasks_total": len(tasks),
        "tasks_done": sum(1 for t in tasks if t.done),
        "created_by": user_ref(plan.created_by),
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "closed_at": plan.closed_at,
    }


def task_out(task: PlanTask) -> dict:
    return {
        "id": task.pk,
        "kind": task.kind,
        "title": task.title,
        "owner": user_ref(task.owner),
        "due_date": task.due_date,
        "done": task.done,
        "done_at": task.done_at,
        "done_by": user_ref(task.done_by),
        "position": task.position,
        "agent": user_ref(task.agent),
        "coaching_session": task.coaching_session_id,
        "article": task.article_id,
    }


def comment_out(c: PlanComment) -> dict:
    return {"id": c.pk, "author": user_ref(c.author), "body": c.body, "created_at": c.created_at}


def link_out(link: PlanLink) -> dict:
    return {
        "id": link.pk,
        "title": link.title,
        "url": link.url,
        "added_by": user_ref(link.added_by),
        "created_at": link.created_at,
    }


def _read(request, workspace: str) -> Access:
    return api_access(request, workspace, require=Perm.USE_CARE)


def _plan(access: Access, plan_id: int) -> ActionPlan:
    return selectors.plan_get(access, plan_id)


def _full(access: Access, plan: ActionPlan) -> dict:
    plan = (
        ActionPlan.objects.select_related("owner", "segment", "created_by")
        .prefetch_related("collaborators", "tasks")
        .get(pk=plan.pk)
    )
    return plan_out(plan, selectors.workspace_today(access))


# Body keys → service keyword names.
_PLAN_KEYS = {"owner": "owner_id", "collaborators": "collaborator_ids", "segment": "segment_id"}
_TASK_KEYS = {
    "owner": "owner_id",
    "agent": "agent_id",
    "coaching_session": "coaching_session_id",
    "article": "article_id",
}


def _renamed(data: dict, keys: dict) -> dict:
    return {keys.get(k, k): v for k, v in data.items()}


# -- plans -------------------------------------------------------------------------------------


@router.get(
    BASE, response={200: ActionPlanPage, **ERRORS}, summary="List action plans", by_alias=True
)
def action_plan_list(request, workspace: str, params: Query[ActionPlanListParams]):
    access = _read(request, workspace)
    filters = selectors.parse_plan_filters(params.dict(), access)
    before = decode_id_cursor(params.cursor) if params.cursor else None
    if params.cursor and before is None:
        raise FieldErrors.one("cursor", str(NOT_A_CURSOR))
    items, next_id = selectors.plan_page(access, filters, before=before, limit=params.limit)
    ids = [p.pk for p in items]
    plans = {
        p.pk: p
        for p in ActionPlan.objects.filter(pk__in=ids)
        .select_related("owner", "segment", "created_by")
        .prefetch_related("collaborators", "tasks")
    }
    today = selectors.workspace_today(access)
    return {
        "items": [plan_out(plans[pk], today) for pk in ids],
        "counts": selectors.plan_counts(access, filters),
        "next_cursor": str(next_id) if next_id else None,
    }


@router.post(
    BASE,
    response={201: ActionPlanOut, **ERRORS},
    by_alias=True,
    summary="Create an action plan (manage_action_plans)",
    description="From an insight (metric and the Insights filters it was viewed under; the "
    "baseline is computed over filters.from–to) or by hand.",
)
def action_plan_create(request, workspace: str, payload: ActionPlanIn):
    access = api_access(request, workspace, require=Perm.MANAGE_ACTION_PLANS)
    data = payload.dict(exclude_unset=True)
    plan = services.plan_create(access=access, **_renamed(data, _PLAN_KEYS))
    return Status(201, _full(access, plan))


@router.get(ONE, response={200: ActionPlanOut, **ERRORS}, summary="One action plan", by_alias=True)
def action_plan_get(request, workspace: str, plan_id: int):
    access = _read(request, workspace)
    return _full(access, _plan(access, plan_id))


@router.patch(
    ONE,
    response={200: ActionPlanOut, **ERRORS},
    by_alias=True,
    summary="Change an action plan (manage_action_plans; only the fields sent)",
    description='Cancel a plan with status "cancelled"; plans are not deleted.',
)
def action_plan_update(request, workspace: str, plan_id: int, payload: ActionPlanPatch):
    access = api_access(request, workspace, require=Perm.MANAGE_ACTION_PLANS)
    plan = _plan(access, plan_id)
    data = payload.dict(exclude_unset=True)
    for key in ("title", "description", "status", "priority"):
        if key in data and data[key] is None:
            raise FieldErrors.one(key, _("Cannot be null."))
    if "collaborators" in data and data["collaborators"] is None:
        data["collaborators"] = []
    plan = services.plan_update(access=access, plan=plan, **_renamed(data, _PLAN_KEYS))
    return _full(access, plan)


@router.get(f"{ONE}/log", response={200: list[AuditOut], **ERRORS}, summary="A plan's audit log")
def action_plan_log(request, workspace: str, plan_id: int):
    access = _read(request, workspace)
    return [audit_out(e) for e in selectors.plan_log(_plan(access, plan_id))]


# -- tasks -------------------------------------------------------------------------------------


@router.get(
    f"{ONE}/tasks", response={200: list[ActionPlanTaskOut], **ERRORS}, summary="A plan's tasks"
)
def action_plan_tasks(request, workspace: str, plan_id: int):
    access = _read(request, workspace)
    return [task_out(t) for t in selectors.plan_tasks(_plan(access, plan_id))]


@router.post(
    f"{ONE}/tasks",
    response={201: ActionPlanTaskOut, **ERRORS},
    summary="Add a task (manage_action_plans, or the plan's owner or a collaborator)",
)
def action_plan_task_add(request, workspace: str, plan_id: int, payload: ActionPlanTaskIn):
    access = _read(request, workspace)
    plan = _plan(access, plan_id)
    data = _renamed(payload.dict(exclude_unset=True), _TASK_KEYS)
    task = services.task_add(access=access, plan=plan, **data)
    return Status(201, task_out(task))


@router.patch(
    f"{ONE}/tasks/{{task_id}}",
    response={200: ActionPlanTaskOut, **ERRORS},
    summary="Change or tick a task (also its owner)",
)
def action_plan_task_update(
    request, workspace: str, plan_id: int, task_id: int, payload: ActionPlanTaskPatch
):
    access = _read(request, workspace)
    task = services.task_get(_plan(access, plan_id), task_id)
    data = _renamed(payload.dict(exclude_unset=True), _TASK_KEYS)
    position = data.pop("position", None)
    for key in ("title", "kind", "done"):
        if key in data and data[key] is None:
            raise FieldErrors.one(key, _("Cannot be null."))
    if position is not None:
        ids = [t.pk for t in selectors.plan_tasks(task.plan) if t.pk != task.pk]
        if position > len(ids) + 1:
            raise FieldErrors.one("position", _("At most %(n)s.") % {"n": len(ids) + 1})
    task = services.task_update(access=access, task=task, **data)
    if position is not None:
        ids.insert(position - 1, task.pk)
        services.tasks_reorder(access=access, plan=task.plan, task_ids=ids)
        task.refresh_from_db()
    return task_out(task)


@router.delete(
    f"{ONE}/tasks/{{task_id}}",
    response={204: None, **ERRORS},
    summary="Remove a task (manage_action_plans, or the plan's owner or a collaborator)",
)
def action_plan_task_delete(request, workspace: str, plan_id: int, task_id: int):
    access = _read(request, workspace)
    task = services.task_get(_plan(access, plan_id), task_id)
    services.task_delete(access=access, task=task)
    return Status(204, None)


# -- comments and links ------------------------------------------------------------------------


@router.get(
    f"{ONE}/comments",
    response={200: list[ActionPlanCommentOut], **ERRORS},
    summary="A plan's comments, oldest first",
)
def action_plan_comments(request, workspace: str, plan_id: int):
    access = _read(request, workspace)
    return [comment_out(c) for c in selectors.plan_comments(_plan(access, plan_id))]


@router.post(
    f"{ONE}/comments",
    response={201: ActionPlanCommentOut, **ERRORS},
    summary="Comment on a plan (manage_action_plans, or its owner or a collaborator)",
)
def action_plan_comment_add(request, workspace: str, plan_id: int, payload: ActionPlanCommentIn):
    access = _read(request, workspace)
    comment = services.comment_add(access=access, plan=_plan(access, plan_id), body=payload.body)
    return Status(201, comment_out(comment))


@router.get(
    f"{ONE}/links",
    response={200: list[ActionPlanLinkOut], **ERRORS},
    summary="A plan's attachments (links)",
)
def action_plan_links(request, workspace: str, plan_id: int):
    access = _read(request, workspace)
    return [link_out(x) for x in selectors.plan_links(_plan(access, plan_id))]


@router.post(
    f"{ONE}/links",
    response={201: ActionPlanLinkOut, **ERRORS},
    summary="Attach a link (http or https)",
)
def action_plan_link_add(request, workspace: str, plan_id: int, payload: ActionPlanLinkIn):
    access = _read(request, workspace)
    link = services.link_add(
        access=access, plan=_plan(access, plan_id), url=payload.url, title=payload.title
    )
    return Status(201, link_out(link))


@router.delete(
    f"{ONE}/links/{{link_id}}",
    response={204: None, **ERRORS},
    summary="Remove a link",
)
def action_plan_link_delete(request, workspace: str, plan_id: int, link_id: int):
    access = _read(request, workspace)
    link = services.link_get(_plan(access, plan_id), link_id)
    services.link_remove(access=access, link=link)
    return Status(204, None)
