"""What the plan pages show around the models: the slice in words, the baseline as a card
shows it, the log grouped by action, and where each task leads."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.action_plans.models import ActionPlan, PlanPriority, PlanStatus, PlanTask, TaskKind
from caredesk.action_plans.selectors import article_title
from caredesk.analysis.models import Topic
from caredesk.care.models import Tag
from caredesk.coaching.models import CoachingPlan
from caredesk.feedback.models import Survey
from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.valuetext import value_text
from caredesk.workspaces.models import Segment, User, Workspace

CHANNELS = {
    "chat": gettext_lazy("Chat"),
    "call": gettext_lazy("Call"),
    "email": gettext_lazy("Email"),
    "web_form": gettext_lazy("Web form"),
    "survey_response": gettext_lazy("Survey response"),
}
SLICE_LABELS = {
    "segment": gettext_lazy("Segment"),
    "queue": gettext_lazy("Queue"),
    "channel": gettext_lazy("Channel"),
    "agent": gettext_lazy("Agent"),
    "team": gettext_lazy("Team of"),
    "survey": gettext_lazy("Survey"),
    "tag": gettext_lazy("Tag"),
    "topic": gettext_lazy("Topic"),
}


def _name(model, workspace: Workspace, pk: str, **scope) -> str:
    obj = model.objects.filter(pk=pk, **scope).first() if str(pk).isdigit() else None
    return str(getattr(obj, "name", obj)) if obj is not None else f"#{pk}"


def slice_words(workspace: Workspace, params: dict) -> list[tuple[str, str]]:
    """(label, value) for each filter of the slice, in the Insights order."""
    org = {"organization_id": workspace.organization_id}
    ws = {"workspace": workspace}
    out = []
    for key, label in SLICE_LABELS.items():
        value = (params or {}).get(key)
        if not value:
            continue
        if key == "segment":
            text = _name(Segment, workspace, value, **org)
        elif key in ("agent", "team"):
            text = _name(User, workspace, value, **org)
        elif key == "survey":
            text = _name(Survey, workspace, value, **ws)
        elif key == "tag":
            text = _name(Tag, workspace, value, **ws)
        elif key == "topic":
            text = _name(Topic, workspace, value, **ws)
        elif key == "channel":
            text = str(CHANNELS.get(value, value))
        else:
            text = value
        out.append((str(label), text))
    return out


def insights_url(workspace: Workspace, params: dict, date_from=None, date_to=None) -> str:
    query = dict(params or {})
    if date_from and date_to:
        query.update({"from": date_from.isoformat(), "to": date_to.isoformat()})
    return reverse("insights_dashboard", args=[workspace.slug]) + (
        "?" + urlencode(query) if query else ""
    )


def metric_label(name: str) -> str:
    metric = CATALOGUE.get(name)
    return str(metric.label) if metric else ""


def metric_value(name: str, value) -> str:
    metric = CATALOGUE.get(name)
    if metric is None or value is None:
        return "—"
    return value_text(metric, value)


def target_text(plan: ActionPlan) -> str:
    if plan.target_value is None:
        return ""
    if plan.metric in CATALOGUE:
        return value_text(CATALOGUE[plan.metric], plan.target_value)
    return f"{plan.target_value:g}"


def task_extras(workspace: Workspace, tasks: list[PlanTask]) -> None:
    """Where each task leads: the coaching session and the agent's coaching plan, or the
    article (or the page to write it)."""
    agents = {t.agent_id for t in tasks if t.kind == TaskKind.COACHING and t.agent_id}
    with_plan = set(
        CoachingPlan.objects.filter(workspace=workspace, agent_id__in=agents).values_list(
            "agent_id", flat=True
        )
    )
    slug = workspace.slug
    for t in tasks:
        t.session_url = t.plan_url = t.article_url = t.write_url = ""
        t.article_name = ""
        if t.kind == TaskKind.COACHING:
            if t.coaching_session_id:
                t.session_url = reverse("coaching_session", args=[slug, t.coaching_session_id])
            if t.agent_id in with_plan:
                t.plan_url = reverse("coaching_plan", args=[slug, t.agent_id])
        elif t.kind == TaskKind.ARTICLE:
            if t.article_id:
                t.article_name = article_title(t.article)
                t.article_url = _url("article_detail", slug, t.article_id)
            else:
                base = _url("article_create", slug)
                t.write_url = f"{base}?{urlencode({'plan_task': t.pk, 'title': t.title})}"


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# What the log calls each action and field.
ACTIONS = {
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Updated"),
    "task added": gettext_lazy("Task added"),
    "task updated": gettext_lazy("Task changed"),
    "task done": gettext_lazy("Task done"),
    "task reopened": gettext_lazy("Task reopened"),
    "task removed": gettext_lazy("Task removed"),
    "tasks reordered": gettext_lazy("Tasks reordered"),
    "commented": gettext_lazy("Commented"),
    "link added": gettext_lazy("Link added"),
    "link removed": gettext_lazy("Link removed"),
}
FIELDS = {
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "status": gettext_lazy("Status"),
    "priority": gettext_lazy("Priority"),
    "owner": gettext_lazy("Owner"),
    "segment": gettext_lazy("Segment"),
    "due_date": gettext_lazy("Due date"),
    "metric": gettext_lazy("Metric"),
    "target_value": gettext_lazy("Target"),
    "collaborators": gettext_lazy("Collaborators"),
    "task": gettext_lazy("Task"),
    "task owner": gettext_lazy("Task owner"),
    "task due date": gettext_lazy("Task due date"),
    "task kind": gettext_lazy("Task kind"),
    "task agent": gettext_lazy("Agent to coach"),
    "task coaching session": gettext_lazy("Coaching session"),
    "task article": gettext_lazy("Article"),
    "comment": gettext_lazy("Comment"),
    "link": gettext_lazy("Link"),
}
PEOPLE = ("owner", "task owner", "task agent")


def group_log(entries, organization_id: int) -> list[dict]:
    """Audit entries as one item per action (same actor, action and moment), with the
    statuses, priorities and people in words."""
    labels = {
        "status": dict(PlanStatus.choices),
        "priority": dict(PlanPriority.choices),
        "task kind": dict(TaskKind.choices),
        "metric": {k: str(m.label) for k, m in CATALOGUE.items()},
    }
    names = {
        v
        for e in entries
        if e.field in PEOPLE or e.field == "collaborators"
        for v in (e.old_value, e.new_value)
        if v
    }
    usernames = {n.strip() for v in names for n in v.split(",")}
    people = {
        u.username: str(u)
        for u in User.objects.filter(organization_id=organization_id, username__in=usernames)
    }
    for field in PEOPLE:
        labels[field] = people

    def show(field, value):
        if field in ("due_date", "task due date") and value:
            try:
                return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                return value
        if field == "collaborators":
            return ", ".join(people.get(n.strip(), n.strip()) for n in value.split(",") if n)
        return str(labels.get(field, {}).get(value, value))

    groups: list[dict] = []
    for e in entries:
        last = groups[-1] if groups else None
        if (
            last is None
            or last["actor"] != e.actor
            or last["code"] != e.action
            or abs((e.created_at - last["at"]).total_seconds()) > 2
            or (e.field and any(c["code"] == e.field for c in last["changes"]))
        ):
            last = {
                "actor": e.actor,
                "code": e.action,
                "action": ACTIONS.get(e.action, e.action),
                "at": e.created_at,
                "changes": [],
            }
            groups.append(last)
        if e.field:
            last["changes"].append(
                {
                    "code": e.field,
                    "field": FIELDS.get(e.field, e.field),
                    "old": "" if e.old_value == e.new_value else show(e.field, e.old_value),
                    "new": show(e.field, e.new_value),
                    "long": e.field in ("description", "comment"),
                }
            )
    return groups


def no_plan_title(metric: str) -> str:
    label = metric_label(metric)
    return _("Improve %(metric)s") % {"metric": label} if label else ""
