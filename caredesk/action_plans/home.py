"""Home's "My action items": the open plans a member owns or collaborates on and their own
open tasks of open plans, due soonest first (overdue marked). Each count names the Action
plans list filtered to exactly those rows (?owner=me, ?collaborator=me, ?task_owner=me)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.urls import reverse

from caredesk.action_plans.models import CLOSED_STATUSES, ActionPlan, PlanTask
from caredesk.core import zones
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Tab

SHOWN = 8


@dataclass(frozen=True)
class Row:
    title: str
    plan: ActionPlan
    due_date: dt.date | None
    overdue: bool
    url: str
    kind: str  # plan | task
    role: str = ""  # owner | collaborator (plans)


def _open_plans(access: Access):
    return ActionPlan.objects.filter(workspace=access.workspace).exclude(status__in=CLOSED_STATUSES)


def _soonest(qs, field="due_date"):
    return qs.order_by(F(field).asc(nulls_last=True), "id")


def enabled(access: Access) -> bool:
    return Tab.ACTION_PLANS in access.workspace.enabled_tabs and access.user is not None


def my_action_items(access: Access, today: dt.date | None = None) -> dict:
    today = today or zones.today()
    user = access.user
    owned = _open_plans(access).filter(owner=user)
    collab = _open_plans(access).filter(collaborators=user).exclude(owner=user)
    tasks = PlanTask.objects.filter(
        plan__in=_open_plans(access), owner=user, done=False
    ).select_related("plan")
    base = reverse("action_plan_list", args=[access.workspace.slug])

    def detail(plan):
        return reverse("action_plan_detail", args=[access.workspace.slug, plan.pk])

    def late(day):
        return day is not None and day < today

    plans = [
        Row(p.title, p, p.due_date, late(p.due_date), detail(p), "plan", role)
        for role, qs in (("owner", owned), ("collaborator", collab))
        for p in _soonest(qs)[:SHOWN]
    ]
    plans.sort(key=lambda r: (r.due_date is None, r.due_date or today, r.plan.pk))
    return {
        "plans": plans[:SHOWN],
        "tasks": [
            Row(t.title, t.plan, t.due_date, late(t.due_date), detail(t.plan), "task")
            for t in _soonest(tasks)[:SHOWN]
        ],
        "owned": owned.count(),
        "collaborating": collab.count(),
        "task_count": tasks.count(),
        "owned_url": f"{base}?owner=me",
        "collaborating_url": f"{base}?collaborator=me",
        "tasks_url": f"{base}?task_owner=me",
    }
