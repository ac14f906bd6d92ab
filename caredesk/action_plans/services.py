"""Writes of action plans, their tasks, comments and links. Each function checks everything
first (FieldErrors naming the field, nothing written), then writes the change and its audit
entries (object_type "action_plan", the plan's id) in one transaction.

Who may: the plan's readers are given by selectors.plan_get (callers pass a plan they read);
changing the plan needs manage_action_plans (`can_edit`), working its tasks, comments and links
also its owner, collaborators and task owners (`can_work`, `can_work_task`)."""

import datetime as dt
import math
import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from caredesk.action_plans import selectors
from caredesk.action_plans.models import (
    CLOSED_STATUSES,
    ActionPlan,
    PlanComment,
    PlanLink,
    PlanOrigin,
    PlanPriority,
    PlanStatus,
    PlanTask,
    TaskKind,
)
from caredesk.action_plans.slice import (
    SLICE_PARAMS,
    baseline,
    plan_filters,
    slice_params,
    workspace_zone,
)
from caredesk.audit.models import AuditEntry
from caredesk.coaching.models import CoachingSession
from caredesk.core import zones
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.core.limits import MAX_BODY, text_error
from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.filters import DEFAULT_DAYS
from caredesk.resources.models import Article
from caredesk.workspaces.access import Access, refusal
from caredesk.workspaces.models import Membership, Segment, User
from caredesk.workspaces.permissions import Perm

_UNSET = object()

MAX_TITLE = 200
MAX_URL = 2000
MAX_COLLABORATORS = 50
MAX_TASKS = 200
MAX_LINKS = 100
MAX_COMMENTS = 2000

# Every control character but the line breaks and tabs of a Markdown text.
_KEEP_IN_BODY = {"\n", "\t"}


def clean_line(value) -> str:
    """A one-line text: any Unicode (emojis included), control characters dropped, runs of
    whitespace made one space."""
    if not isinstance(value, str):
        return value
    text = "".join(" " if c in "\r\n\t" else c for c in value)
    text = "".join(c for c in text if unicodedata.category(c) != "Cc")
    return re.sub(r"\s+", " ", text).strip()


def clean_body(value) -> str:
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in _KEEP_IN_BODY or unicodedata.category(c) != "Cc").strip()


def _title(value, field: str, errors: dict, *, required: bool = True) -> str:
    text = clean_line(value if value is not None else "")
    if not isinstance(text, str):
        errors[field] = _("A text.")
        return ""
    if required and not text:
        errors[field] = _("A title is required.")
    elif error := text_error(text, MAX_TITLE):
        errors[field] = error
    return text


def _body(value, field: str, errors: dict, *, required: bool = False) -> str:
    text = clean_body(value if value is not None else "")
    if not isinstance(text, str):
        errors[field] = _("A text.")
        return ""
    if required and not text:
        errors[field] = _("Write something.")
    elif error := text_error(text, MAX_BODY):
        errors[field] = error
    return text


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= selectors.MAX_ID else None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,18}\s*", value):
        return int(value)
    return None


def _member(access: Access, user_id, field: str, errors: dict) -> User | None:
    """An active member of the workspace, or None for none; else an error on `field`."""
    if user_id in (None, ""):
        return None
    uid = _int(user_id)
    user = None
    if uid is not None:
        member = (
            Membership.objects.filter(workspace=access.workspace, user_id=uid, user__is_active=True)
            .select_related("user")
            .first()
        )
        user = member.user if member else None
    if user is None:
        errors[field] = _("Not a member of this workspace: %(value)s") % {
            "value": str(user_id)[:40]
        }
    return user


def _members(access: Access, ids, errors: dict) -> list[User]:
    if ids in (None, ""):
        return []
    if isinstance(ids, str):
        ids = [i for i in re.split(r"[,\s]+", ids) if i]
    if not isinstance(ids, list | tuple):
        errors["collaborators"] = _("A list of user ids.")
        return []
    if len(ids) > MAX_COLLABORATORS:
        errors["collaborators"] = _("At most %(n)s.") % {"n": MAX_COLLABORATORS}
        return []
    users: list[User] = []
    for raw in ids:
        user = _member(access, raw, "collaborators", errors)
        if user is None:
            return []
        if user not in users:
            users.append(user)
    return users


def _segment(access: Access, segment_id, errors: dict, field: str = "segment") -> Segment | None:
    """A segment of the organization inside the caller's management area (any segment for
    those who see the whole workspace)."""
    if segment_id in (None, ""):
        return None
    sid = _int(segment_id)
    seg = (
        Segment.objects.filter(organization_id=access.workspace.organization_id, pk=sid).first()
        if sid
        else None
    )
    if seg is None:
        errors[field] = _("No such segment.")
        return None
    if not access.sees_whole_workspace and not any(
        seg.path.startswith(p) for p in access.area_paths
    ):
        errors[field] = _("This segment is outside your management area.")
        return None
    return seg


def _date(value, field: str, errors: dict) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        errors[field] = _("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors[field] = _("Not a date (YYYY-MM-DD): %(value)s") % {"value": repr(value)[:40]}
    return None


def _number(value, field: str, errors: dict) -> float | None:
    if value in (None, ""):
        return None
    number = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or abs(number) > 1e15:
        errors[field] = _("Not a number: %(value)s") % {"value": repr(value)[:40]}
        return None
    return number


def _label(value) -> str:
    if value is None:
        return ""
    if isinstance(value, User):
        return value.get_username()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def audit(access: Access, plan: ActionPlan, action: str, changes=()) -> None:
    """The plan's log: one entry per (field, old, new); one with no field for none."""
    rows = [
        AuditEntry(
            workspace=access.workspace,
            object_type=selectors.AUDIT_TYPE,
            object_id=plan.pk,
            actor=access.user,
            action=action,
            field=f,
            old_value=(old or "")[:500],
            new_value=(new or "")[:500],
        )
        for f, old, new in (list(changes) or [("", "", "")])
    ]
    AuditEntry.objects.bulk_create(rows)
    ActionPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


def _require_edit(access: Access, plan: ActionPlan | None = None) -> None:
    access.require(Perm.MANAGE_ACTION_PLANS)


def _require_work(access: Access, plan: ActionPlan) -> None:
    if not selectors.can_work(access, plan):
        raise PermissionDenied(refusal(access.workspace, Perm.MANAGE_ACTION_PLANS))


# --------------------------------------------------------------------------- the slice


def _period(access: Access, filters: dict, errors: dict) -> tuple[dt.date, dt.date]:
    """The days the insight was viewed over (its `from`/`to`); by default the last 30 days
    before today in the workspace's zone."""
    today = zones.today(workspace_zone(access.workspace))
    date_from = _date(filters.get("from"), "filters.from", errors)
    date_to = _date(filters.get("to"), "filters.to", errors)
    if date_to is None:
        date_to = today - dt.timedelta(days=1)
        if date_from is not None and date_from > date_to:
            date_to = date_from
    if date_from is None:
        date_from = date_to - dt.timedelta(days=DEFAULT_DAYS - 1)
    if "filters.from" not in errors and "filters.to" not in errors and date_from > date_to:
        errors["filters.to"] = _("The end date is before the start date.")
    return date_from, date_to


def check_slice(access: Access, metric, filters) -> tuple[str, dict, dt.date, dt.date]:
    """The metric, the slice's parameters and its period, checked. Errors name the field:
    "metric", "filters.<param>" (an Insights parameter)."""
    errors: dict[str, str] = {}
    metric = metric or ""
    if not isinstance(metric, str) or (metric and metric not in CATALOGUE):
        errors["metric"] = _("Unknown metric: %(value)s") % {"value": repr(metric)[:60]}
    if filters in (None, ""):
        filters = {}
    if not isinstance(filters, dict):
        errors["filters"] = _("An object of Insights filters.")
        raise FieldErrors(errors)
    unknown = [k for k in filters if k not in (*SLICE_PARAMS, "from", "to", "grain")]
    if unknown:
        errors[f"filters.{unknown[0]}"] = _("Not a filter of Insights.")
    for k in SLICE_PARAMS:
        value = filters.get(k)
        if value is not None and (not isinstance(value, str | int) or isinstance(value, bool)):
            errors[f"filters.{k}"] = _("A text or an id.")
    date_from, date_to = _period(access, filters, errors)
    params = {k: v for k, v in slice_params(filters).items() if f"filters.{k}" not in errors}
    try:
        plan_filters(access.workspace, params, date_from=date_from, date_to=date_to)
    except FieldErrors as e:
        errors.update({f"filters.{k}": v for k, v in e.errors.items()})
    if params.get("segment") and "filters.segment" not in errors:
        _segment(access, params["segment"], errors, "filters.segment")
    if errors:
        raise FieldErrors(errors)
    return metric, params, date_from, date_to


def slice_baseline(access: Access, metric: str, params: dict, date_from, date_to):
    """The baseline the plan will keep (FieldErrors "filters.<param>" for a bad parameter)."""
    try:
        return baseline(access.workspace, metric, params, date_from=date_from, date_to=date_to)
    except FieldErrors as e:
        raise FieldErrors({f"filters.{k}": v for k, v in e.errors.items()}) from None


# --------------------------------------------------------------------------- plans


def plan_create(
    *,
    access: Access,
    title,
    description="",
    owner_id=_UNSET,
    collaborator_ids=(),
    segment_id=_UNSET,
    due_date=None,
    status=PlanStatus.NOT_STARTED,
    priority=PlanPriority.MEDIUM,
    target_value=None,
    origin=PlanOrigin.MANUAL,
    metric="",
    filters=None,
) -> ActionPlan:
    """A plan, from an insight (`metric` and the Insights `filters` it was viewed under,
    `from`/`to` included) or by hand. The owner defaults to the creator, the segment to the
    slice's."""
    _require_edit(access)
    errors: dict[str, str] = {}
    title = _title(title, "title", errors)
    description = _body(description, "description", errors)
    errors.update(
        choice_errors(
            *(
                c
                for c in (
                    (status, "status", PlanStatus),
                    (priority, "priority", PlanPriority),
                    (origin, "origin", PlanOrigin),
                )
            )
        )
    )
    owner = access.user if owner_id is _UNSET else _member(access, owner_id, "owner", errors)
    collaborators = _members(access, collaborator_ids, errors)
    due = _date(due_date, "due_date", errors)
    target = _number(target_value, "target_value", errors)
    try:
        metric, params, date_from, date_to = check_slice(access, metric, filters)
    except FieldErrors as e:
        errors.update(e.errors)
        metric, params, date_from, date_to = "", {}, None, None
    if segment_id is _UNSET:
        segment_id = params.get("segment")
    segment = _segment(access, segment_id, errors)
    if errors:
        raise FieldErrors(errors)
    base = slice_baseline(access, metric, params, date_from, date_to)

    now = timezone.now()
    with transaction.atomic():
        plan = ActionPlan.objects.create(
            workspace=access.workspace,
            title=title,
            description=description,
            owner=owner,
            segment=segment,
            segment_path=segment.path if segment else "",
            status=status,
            priority=priority,
            due_date=due,
            origin=origin,
            metric=metric,
            filters=params,
            baseline_value=None if base.value is None else float(base.value),
            baseline_count=base.count if metric else None,
            baseline_from=date_from,
            baseline_to=date_to,
            target_value=target,
            started_on=zones.today(workspace_zone(access.workspace)),
            created_by=access.user,
            closed_at=now if status in CLOSED_STATUSES else None,
        )
        if collaborators:
            plan.collaborators.set(collaborators)
        audit(
            access,
            plan,
            "created",
            [
                c
                for c in [
                    ("title", "", title),
                    ("status", "", status),
                    ("priority", "", priority),
                    ("owner", "", _label(owner)),
                    ("segment", "", _label(segment)),
                    ("due_date", "", _label(due)),
                    ("metric", "", metric),
                    ("target_value", "", _label(target)),
                    ("collaborators", "", ", ".join(u.get_username() for u in collaborators)),
                ]
                if c[2]
            ],
        )
    return plan


def plan_update(
    *,
    access: Access,
    plan: ActionPlan,
    title=_UNSET,
    description=_UNSET,
    owner_id=_UNSET,
    collaborator_ids=_UNSET,
    segment_id=_UNSET,
    due_date=_UNSET,
    status=_UNSET,
    priority=_UNSET,
    target_value=_UNSET,
) -> ActionPlan:
    """Change the fields passed; each change is one audit entry. Done or cancelled closes the
    plan (closed_at); another status opens it again. The metric, its slice and baseline are
    what the plan was made from and do not change."""
    _require_edit(access, plan)
    errors: dict[str, str] = {}
    new: dict = {}
    if title is not _UNSET:
        new["title"] = _title(title, "title", errors)
    if description is not _UNSET:
        new["description"] = _body(description, "description", errors)
    checks = [(status, "status", PlanStatus), (priority, "priority", PlanPriority)]
    errors.update(choice_errors(*(c for c in checks if c[0] is not _UNSET)))
    for value, field, _choices in checks:
        if value is not _UNSET:
            new[field] = value
    if owner_id is not _UNSET:
        new["owner"] = _member(access, owner_id, "owner", errors)
    if segment_id is not _UNSET:
        new["segment"] = _segment(access, segment_id, errors)
    if due_date is not _UNSET:
        new["due_date"] = _date(due_date, "due_date", errors)
    if target_value is not _UNSET:
        new["target_value"] = _number(target_value, "target_value", errors)
    collaborators = None
    if collaborator_ids is not _UNSET:
        collaborators = _members(access, collaborator_ids, errors)
    if errors:
        raise FieldErrors(errors)

    changes = []
    for field, value in new.items():
        old = getattr(plan, field)
        if old != value:
            old_label = old if field in ("title", "description") else _label(old)
            changes.append((field, old_label, value if isinstance(value, str) else _label(value)))
            setattr(plan, field, value)
    if "segment" in new:
        plan.segment_path = plan.segment.path if plan.segment else ""
    if "status" in new and any(c[0] == "status" for c in changes):
        plan.closed_at = timezone.now() if plan.status in CLOSED_STATUSES else None
    with transaction.atomic():
        if changes:
            plan.save()
        if collaborators is not None:
            before = list(plan.collaborators.order_by("username"))
            if {u.pk for u in before} != {u.pk for u in collaborators}:
                plan.collaborators.set(collaborators)
                changes.append(
                    (
                        "collaborators",
                        ", ".join(u.get_username() for u in before),
                        ", ".join(sorted(u.get_username() for u in collaborators)),
                    )
                )
        if changes:
            audit(access, plan, "updated", changes)
    return plan


# --------------------------------------------------------------------------- tasks


def task_get(plan: ActionPlan, task_id) -> PlanTask:
    tid = _int(task_id)
    task = plan.tasks.select_related("plan").filter(pk=tid).first() if tid else None
    if task is None:
        raise Http404(_("No such task"))
    return task


def _article(access: Access, article_id, errors: dict) -> Article | None:
    if article_id in (None, ""):
        return None
    aid = _int(article_id)
    article = Article.objects.filter(workspace=access.workspace, pk=aid).first() if aid else None
    if article is None:
        errors["article"] = _("No such article in this workspace.")
    return article


def _session(access: Access, session_id, agent: User | None, errors: dict):
    if session_id in (None, ""):
        return None
    sid = _int(session_id)
    session = (
        CoachingSession.objects.filter(workspace=access.workspace, pk=sid).first() if sid else None
    )
    if session is None:
        errors["coaching_session"] = _("No such coaching session.")
    elif agent is not None and session.agent_id != agent.pk:
        errors["coaching_session"] = _("This session is with another agent.")
    return session


def _schedule(access: Access, agent: User, schedule_at, criteria, title: str):
    """A new coaching session through the coaching app (its own checks: evaluate, the agent
    is one the caller coaches, the criteria)."""
    from caredesk.coaching.sessions import session_create

    if agent is None:
        raise FieldErrors.one("agent", _("Choose the agent to coach."))
    return session_create(
        access=access,
        agent_id=agent.pk,
        scheduled_at=schedule_at,
        criteria=list(criteria or []),
        notes=title,
    )


def _schedule_errors(schedule_at, criteria, errors: dict) -> None:
    """A new session's time and criteria, checked with the task (the coaching app checks them
    again, with the agent and the caller's right to coach)."""
    if schedule_at in (None, ""):
        return
    when = None
    if isinstance(schedule_at, str):
        try:
            when = parse_datetime(schedule_at.strip()) or dt.datetime.fromisoformat(
                schedule_at.strip()
            )
        except ValueError:
            when = None
    if when is None:
        errors["schedule_at"] = _("Not a date and time (YYYY-MM-DD HH:MM): %(value)s") % {
            "value": repr(schedule_at)[:40]
        }
    if not criteria:
        errors["criteria"] = _("Choose at least one criterion for the session.")


def _task_links(access, kind, agent_id, session_id, article_id, errors):
    """The kind's own fields: a coaching task's agent (required) and session, an article
    task's article; the others' are dropped."""
    agent = session = article = None
    if kind == TaskKind.COACHING:
        if agent_id in (None, ""):
            errors["agent"] = _("Choose the agent to coach.")
        else:
            agent = _member(access, agent_id, "agent", errors)
        session = _session(access, session_id, agent, errors)
    elif kind == TaskKind.ARTICLE:
        article = _article(access, article_id, errors)
    return agent, session, article


def task_add(
    *,
    access: Access,
    plan: ActionPlan,
    title,
    kind=TaskKind.FREE,
    owner_id=None,
    due_date=None,
    agent_id=None,
    coaching_session_id=None,
    article_id=None,
    schedule_at=None,
    criteria=None,
) -> PlanTask:
    """A task at the end of the plan. A coaching task names its agent, and may link a session
    (`coaching_session_id`) or schedule one (`schedule_at` and `criteria`)."""
    _require_work(access, plan)
    errors: dict[str, str] = {}
    title = _title(title, "title", errors)
    errors.update(choice_errors((kind, "kind", TaskKind)))
    owner = _member(access, owner_id, "owner", errors)
    due = _date(due_date, "due_date", errors)
    agent, session, article = _task_links(
        access, kind, agent_id, coaching_session_id, article_id, errors
    )
    if kind == TaskKind.COACHING and session is None:
        _schedule_errors(schedule_at, criteria, errors)
    if plan.tasks.count() >= MAX_TASKS:
        errors["title"] = _("A plan has at most %(n)s tasks.") % {"n": MAX_TASKS}
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        if kind == TaskKind.COACHING and session is None and schedule_at not in (None, ""):
            session = _schedule(access, agent, schedule_at, criteria, title)
        position = (plan.tasks.aggregate(m=Max("position"))["m"] or 0) + 1
        task = PlanTask.objects.create(
            plan=plan,
            kind=kind,
            title=title,
            owner=owner,
            due_date=due,
            agent=agent,
            coaching_session=session,
            article=article,
            position=position,
            created_by=access.user,
        )
        changes = [("task", "", title)]
        if owner:
            changes.append(("task owner", "", _label(owner)))
        if due:
            changes.append(("task due date", "", _label(due)))
        audit(access, plan, "task added", changes)
    return task


def task_update(
    *,
    access: Access,
    task: PlanTask,
    title=_UNSET,
    kind=_UNSET,
    owner_id=_UNSET,
    due_date=_UNSET,
    agent_id=_UNSET,
    coaching_session_id=_UNSET,
    article_id=_UNSET,
    done=_UNSET,
    schedule_at=None,
    criteria=None,
) -> PlanTask:
    plan = task.plan
    if not selectors.can_work_task(access, task):
        raise PermissionDenied(refusal(access.workspace, Perm.MANAGE_ACTION_PLANS))
    errors: dict[str, str] = {}
    new: dict = {}
    if title is not _UNSET:
        new["title"] = _title(title, "title", errors)
    if kind is not _UNSET:
        errors.update(choice_errors((kind, "kind", TaskKind)))
        new["kind"] = kind
    if owner_id is not _UNSET:
        new["owner"] = _member(access, owner_id, "owner", errors)
    if due_date is not _UNSET:
        new["due_date"] = _date(due_date, "due_date", errors)
    if done is not _UNSET and not isinstance(done, bool):
        errors["done"] = _("true or false.")
    final_kind = new.get("kind", task.kind)
    if "kind" not in errors:
        agent, session, article = _task_links(
            access,
            final_kind,
            task.agent_id if agent_id is _UNSET else agent_id,
            task.coaching_session_id if coaching_session_id is _UNSET else coaching_session_id,
            task.article_id if article_id is _UNSET else article_id,
            errors,
        )
        new.update(agent=agent, coaching_session=session, article=article)
        if final_kind == TaskKind.COACHING and session is None:
            _schedule_errors(schedule_at, criteria, errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        if (
            final_kind == TaskKind.COACHING
            and new["coaching_session"] is None
            and schedule_at not in (None, "")
        ):
            new["coaching_session"] = _schedule(
                access, new["agent"], schedule_at, criteria, task.title
            )
        changes = []
        labels = {
            "title": "task",
            "kind": "task kind",
            "owner": "task owner",
            "due_date": "task due date",
            "agent": "task agent",
            "coaching_session": "task coaching session",
            "article": "task article",
        }
        for field, value in new.items():
            old = getattr(task, field)
            if old != value:
                changes.append((labels[field], _label(old), _label(value)))
                setattr(task, field, value)
        action = "task updated"
        if done is not _UNSET and done != task.done:
            _set_done(access, task, done)
            action = "task done" if done else "task reopened"
            changes.append(("task", task.title, task.title))
        if changes:
            task.save()
            audit(access, plan, action if len(changes) == 1 else "task updated", changes)
    return task


def _set_done(access: Access, task: PlanTask, done: bool) -> None:
    task.done = done
    task.done_at = timezone.now() if done else None
    task.done_by = access.user if done else None


def task_set_done(*, access: Access, task: PlanTask, done: bool) -> PlanTask:
    """Tick (or untick) a task; ticking it again changes nothing."""
    if not selectors.can_work_task(access, task):
        raise PermissionDenied(refusal(access.workspace, Perm.MANAGE_ACTION_PLANS))
    if not isinstance(done, bool):
        raise FieldErrors.one("done", _("true or false."))
    if task.done == done:
        return task
    with transaction.atomic():
        _set_done(access, task, done)
        task.save(update_fields=["done", "done_at", "done_by"])
        audit(
            access,
            task.plan,
            "task done" if done else "task reopened",
            [("task", task.title, task.title)],
        )
    return task


def task_delete(*, access: Access, task: PlanTask) -> None:
    _require_work(access, task.plan)
    with transaction.atomic():
        audit(access, task.plan, "task removed", [("task", task.title, "")])
        task.delete()


def tasks_reorder(*, access: Access, plan: ActionPlan, task_ids) -> list[PlanTask]:
    """Put the tasks in the order given (every task of the plan, once)."""
    _require_work(access, plan)
    current = {t.pk: t for t in plan.tasks.all()}
    ids = [_int(i) for i in task_ids] if isinstance(task_ids, list | tuple) else None
    if ids is None or sorted(i or 0 for i in ids) != sorted(current):
        raise FieldErrors.one("tasks", _("Every task of the plan, each once."))
    with transaction.atomic():
        for position, pk in enumerate(ids, start=1):
            task = current[pk]
            if task.position != position:
                task.position = position
                task.save(update_fields=["position"])
        audit(access, plan, "tasks reordered", [])
    return selectors.plan_tasks(plan)


def task_move(*, access: Access, task: PlanTask, step: int) -> None:
    """Move a task one place up (step -1) or down (+1)."""
    ids = list(task.plan.tasks.order_by("position", "id").values_list("pk", flat=True))
    i = ids.index(task.pk)
    j = i + (1 if step > 0 else -1)
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        tasks_reorder(access=access, plan=task.plan, task_ids=ids)


# --------------------------------------------------------------------------- comments, links


def comment_add(*, access: Access, plan: ActionPlan, body) -> PlanComment:
    _require_work(access, plan)
    errors: dict[str, str] = {}
    body = _body(body, "body", errors, required=True)
    if plan.comments.count() >= MAX_COMMENTS:
        errors["body"] = _("A plan has at most %(n)s comments.") % {"n": MAX_COMMENTS}
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        comment = PlanComment.objects.create(plan=plan, author=access.user, body=body)
        audit(access, plan, "commented", [("comment", "", body)])
    return comment


def _url(value, errors: dict) -> str:
    url = clean_line(value if value is not None else "")
    if not isinstance(url, str) or not url:
        errors["url"] = _("A link (http or https) is required.")
        return ""
    if error := text_error(url, MAX_URL):
        errors["url"] = error
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        errors["url"] = _("Only http and https links.")
    return url


def link_add(*, access: Access, plan: ActionPlan, url, title="") -> PlanLink:
    _require_work(access, plan)
    errors: dict[str, str] = {}
    url = _url(url, errors)
    title = _title(title, "title", errors, required=False)
    if plan.links.count() >= MAX_LINKS:
        errors["url"] = _("A plan has at most %(n)s links.") % {"n": MAX_LINKS}
    if errors:
        raise FieldErrors(errors)
    title = title or urlsplit(url).netloc
    with transaction.atomic():
        link = PlanLink.objects.create(plan=plan, title=title, url=url, added_by=access.user)
        audit(access, plan, "link added", [("link", "", url)])
    return link


def link_get(plan: ActionPlan, link_id) -> PlanLink:
    lid = _int(link_id)
    link = plan.links.filter(pk=lid).first() if lid else None
    if link is None:
        raise Http404(_("No such link"))
    return link


def link_remove(*, access: Access, link: PlanLink) -> None:
    _require_work(access, link.plan)
    with transaction.atomic():
        audit(access, link.plan, "link removed", [("link", link.url, "")])
        link.delete()
