"""Reads of action plans. One visibility rule (`plan_visibility_q`), used by every page, export
and API operation:

- members who see the whole workspace (view_all_cases, the system) read every plan;
- everyone else reads a plan whose segment lies in their management area, a plan with no
  segment (the whole workspace's), and a plan they own, collaborate on or hold a task of.

Writing the plan needs manage_action_plans on top of reading it (`can_edit`); its owner,
collaborators and task owners work its tasks, comments and links without it (`can_work`)."""

import datetime as dt
import re
from dataclasses import dataclass, replace

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from caredesk.action_plans.models import (
    CLOSED_STATUSES,
    ActionPlan,
    PlanStatus,
    PlanTask,
)
from caredesk.audit.models import AuditEntry
from caredesk.core import zones
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import text_error
from caredesk.workspaces.access import Access, area_q
from caredesk.workspaces.models import Membership, Segment, User
from caredesk.workspaces.permissions import Perm

AUDIT_TYPE = "action_plan"
MAX_ID = 2**63 - 1


def plan_visibility_q(access: Access) -> Q | None:
    """The plans the caller reads, as a condition on ActionPlan (None: all of the workspace)."""
    if access.sees_whole_workspace:
        return None
    cond = Q(segment_path="") | area_q(access, "segment_path")
    if access.user is not None:
        collaborating = ActionPlan.collaborators.through.objects.filter(
            user_id=access.user.pk
        ).values("actionplan_id")
        cond |= (
            Q(owner=access.user)
            | Q(pk__in=collaborating)
            | Q(pk__in=PlanTask.objects.filter(owner=access.user).values("plan_id"))
        )
    return cond


def plans_visible(access: Access) -> QuerySet:
    qs = ActionPlan.objects.filter(workspace=access.workspace)
    cond = plan_visibility_q(access)
    return qs if cond is None else qs.filter(cond)


def plan_get(access: Access, plan_id) -> ActionPlan:
    """The plan, or 404 when it is not one the caller reads (never saying it exists)."""
    try:
        pk = int(plan_id)
    except (TypeError, ValueError):
        pk = 0
    plan = (
        plans_visible(access).select_related("owner", "segment", "created_by").filter(pk=pk).first()
        if 0 < pk <= MAX_ID
        else None
    )
    if plan is None:
        raise Http404(_("No such action plan"))
    return plan


def can_edit(access: Access, plan: ActionPlan) -> bool:
    """Change the plan itself (the caller reads it: it came from plan_get)."""
    return access.has(Perm.MANAGE_ACTION_PLANS)


def is_collaborator(access: Access, plan: ActionPlan) -> bool:
    if access.user is None:
        return False
    if plan.owner_id == access.user.pk:
        return True
    return plan.collaborators.filter(pk=access.user.pk).exists()


def can_work(access: Access, plan: ActionPlan) -> bool:
    """Add, change and tick tasks, comment and attach links."""
    return can_edit(access, plan) or is_collaborator(access, plan)


def can_work_task(access: Access, task: PlanTask) -> bool:
    """Change or tick this task: whoever works the plan, and the task's own owner."""
    if access.user is not None and task.owner_id == access.user.pk:
        return True
    return can_work(access, task.plan)


def is_overdue(plan: ActionPlan, today: dt.date) -> bool:
    return bool(plan.due_date and plan.due_date < today and plan.status not in CLOSED_STATUSES)


# --------------------------------------------------------------------------- list filters

LIST_PARAMS = ("status", "owner", "segment", "overdue", "q", "mine")
MAX_QUERY = 200


@dataclass(frozen=True)
class PlanFilters:
    status: str = ""
    owner_id: int | None = None
    segment: Segment | None = None
    overdue: bool = False
    q: str = ""
    mine: bool = False

    def as_params(self) -> dict[str, str]:
        params = {
            "status": self.status,
            "owner": str(self.owner_id or ""),
            "segment": str(self.segment.pk) if self.segment else "",
            "overdue": "1" if self.overdue else "",
            "q": self.q,
            "mine": "1" if self.mine else "",
        }
        return {k: v for k, v in params.items() if v}

    def without_status(self) -> "PlanFilters":
        return replace(self, status="")


def _flag(value: str, name: str, errors: dict) -> bool:
    if value in ("", "0", "false"):
        return False
    if value in ("1", "true"):
        return True
    errors[name] = _("1 or 0.")
    return False


def parse_plan_filters(params, access: Access) -> PlanFilters:
    """The list's filters from a query string; a bad one raises FieldErrors naming it. `owner`
    is a user id or "me"; `segment` a segment id (with the segments below it)."""
    errors: dict[str, str] = {}
    raw = {}
    for name in LIST_PARAMS:
        value = params.get(name) or ""
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        if error := text_error(value, MAX_QUERY):
            errors[name] = error
            value = ""
        raw[name] = value
    status = raw["status"]
    if status and status not in PlanStatus.values:
        errors["status"] = _("One of: %(values)s") % {"values": ", ".join(PlanStatus.values)}
    owner_id = None
    if raw["owner"] == "me":
        owner_id = access.user.pk if access.user else None
    elif raw["owner"]:
        if not re.fullmatch(r"\d{1,18}", raw["owner"]):
            errors["owner"] = _("Not an id: %(value)s") % {"value": repr(raw["owner"])}
        else:
            owner_id = int(raw["owner"])
    segment = None
    if raw["segment"]:
        if re.fullmatch(r"\d{1,18}", raw["segment"]):
            segment = Segment.objects.filter(
                organization_id=access.workspace.organization_id, pk=int(raw["segment"])
            ).first()
        if segment is None:
            errors["segment"] = _("No such segment.")
    overdue = _flag(raw["overdue"], "overdue", errors)
    mine = _flag(raw["mine"], "mine", errors)
    if errors:
        raise FieldErrors(errors)
    return PlanFilters(
        status=status, owner_id=owner_id, segment=segment, overdue=overdue, q=raw["q"], mine=mine
    )


def workspace_today(access: Access) -> dt.date:
    return zones.today(zones.zone(access.workspace.time_zone))


def plans_filtered(access: Access, filters: PlanFilters) -> QuerySet:
    qs = plans_visible(access)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.segment is not None:
        qs = qs.filter(segment_path__startswith=filters.segment.path)
    if filters.overdue:
        qs = qs.filter(due_date__lt=workspace_today(access)).exclude(status__in=CLOSED_STATUSES)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    if filters.mine and access.user is not None:
        user = access.user
        collaborating = ActionPlan.collaborators.through.objects.filter(user_id=user.pk).values(
            "actionplan_id"
        )
        qs = qs.filter(
            Q(owner=user)
            | Q(pk__in=collaborating)
            | Q(pk__in=PlanTask.objects.filter(owner=user).values("plan_id"))
        )
    return qs


def plan_counts(access: Access, filters: PlanFilters) -> dict[str, int]:
    """How many plans of each status match the other filters, and "overdue"."""
    qs = plans_filtered(access, filters.without_status())
    counts = {s: 0 for s in PlanStatus.values}
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[s] for s in PlanStatus.values)
    counts["overdue"] = (
        qs.filter(due_date__lt=workspace_today(access)).exclude(status__in=CLOSED_STATUSES).count()
    )
    return counts


def plan_page(
    access: Access, filters: PlanFilters, *, before: int | None = None, limit: int = 50
) -> tuple[list[ActionPlan], int | None]:
    """One page of plans, newest first; the id to continue before, None on the last page."""
    qs = plans_filtered(access, filters)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(
        qs.select_related("owner", "segment")
        .annotate(
            task_count=Count("tasks", distinct=True),
            tasks_done=Count("tasks", filter=Q(tasks__done=True), distinct=True),
        )
        .order_by("-pk")[: limit + 1]
    )
    items = rows[:limit]
    return items, (items[-1].pk if len(rows) > limit else None)


# --------------------------------------------------------------------------- one plan


def plan_tasks(plan: ActionPlan) -> list[PlanTask]:
    return list(
        plan.tasks.select_related("owner", "agent", "coaching_session", "article", "done_by")
        .prefetch_related("article__translations")
        .order_by("position", "id")
    )


def plan_comments(plan: ActionPlan):
    return list(plan.comments.select_related("author").order_by("created_at", "id"))


def plan_links(plan: ActionPlan):
    return list(plan.links.select_related("added_by").order_by("created_at", "id"))


def plan_log(plan: ActionPlan) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            workspace_id=plan.workspace_id, object_type=AUDIT_TYPE, object_id=plan.pk
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def workspace_people(access: Access) -> list[User]:
    """Active members of the workspace, by name: who may own a plan, a task or collaborate."""
    users = User.objects.filter(
        pk__in=Membership.objects.filter(workspace=access.workspace).values("user_id"),
        is_active=True,
    )
    return sorted(users, key=lambda u: (str(u).lower(), u.pk))


def article_title(article) -> str:
    """The title of an article in its own language (else any translation)."""
    if article is None:
        return ""
    translations = list(article.translations.all())
    for t in translations:
        if t.language == article.language:
            return t.title
    return translations[0].title if translations else _("Article %(id)s") % {"id": article.pk}
