"""Reads for the routing settings (the Queues & skills page and the REST API): queues with
live counts, agents with load and skill levels, the members who use the desk. Each is a fixed
number of queries, whatever the number of rows."""

import datetime as dt

from django.db.models import Count, Min, Q
from django.utils import timezone

from caredesk.routing.models import (
    AgentProfile,
    AgentSkill,
    Conversation,
    ConversationStatus,
    OfferStatus,
    Queue,
    Skill,
)
from caredesk.workspaces import selectors as ws_selectors
from caredesk.workspaces.models import User, Workspace
from caredesk.workspaces.permissions import Perm

WAITING = (ConversationStatus.WAITING, ConversationStatus.OFFERED)


def skills(workspace: Workspace) -> list[Skill]:
    return list(Skill.objects.filter(workspace=workspace).order_by("name"))


def queue_rows(workspace: Workspace, now: dt.datetime | None = None) -> list[dict]:
    """Queues, highest priority first, with required skill names and live counts: waiting,
    offered, active and the longest wait (seconds) of what is waiting or offered."""
    now = now or timezone.now()
    counts: dict[int, dict] = {}
    for row in (
        Conversation.objects.filter(workspace=workspace)
        .exclude(status=ConversationStatus.ENDED)
        .values("queue_id", "status")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    ):
        counts.setdefault(row["queue_id"], {})[row["status"]] = row
    rows = []
    queues = Queue.objects.filter(workspace=workspace).prefetch_related("required_skills")
    for q in queues.order_by("-priority", "name"):
        c = counts.get(q.pk, {})
        since = [c[s]["oldest"] for s in WAITING if s in c]
        rows.append(
            {
                "id": q.pk,
                "queue": q,
                "name": q.name,
                "priority": q.priority,
                "is_default": q.is_default,
                "required_skills": sorted(s.name for s in q.required_skills.all()),
                "waiting": c.get(ConversationStatus.WAITING, {}).get("n", 0),
                "offered": c.get(ConversationStatus.OFFERED, {}).get("n", 0),
                "active": c.get(ConversationStatus.ACTIVE, {}).get("n", 0),
                "longest_wait_seconds": max(
                    (max(0, int((now - t).total_seconds())) for t in since), default=0
                ),
            }
        )
    return rows


def with_load(qs):
    """Agent profiles annotated with `active` conversations and open `offered` offers."""
    return qs.annotate(
        active=Count(
            "conversations",
            filter=Q(conversations__status=ConversationStatus.ACTIVE),
            distinct=True,
        ),
        offered=Count("offers", filter=Q(offers__status=OfferStatus.OFFERED), distinct=True),
    )


def skill_levels(agent_ids) -> dict[int, list[dict]]:
    """{agent profile id: [{name, level}] by skill name}."""
    levels: dict[int, list[dict]] = {}
    for s in (
        AgentSkill.objects.filter(agent_id__in=agent_ids)
        .select_related("skill")
        .order_by("skill__name")
    ):
        levels.setdefault(s.agent_id, []).append(
            {"name": s.skill.name, "skill_id": s.skill_id, "level": s.level}
        )
    return levels


def agent_rows(workspace: Workspace, user_id: int | None = None) -> list[dict]:
    """The routing profiles of the workspace (agents who opened the desk or were set up)."""
    qs = AgentProfile.objects.filter(workspace=workspace).select_related("user")
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    agents = list(with_load(qs).order_by("user__username"))
    levels = skill_levels([a.pk for a in agents])
    return [
        {
            "profile": a,
            "user": a.user,
            "presence": a.presence,
            "capacity": a.capacity,
            "active": a.active,
            "offered": a.offered,
            "skills": levels.get(a.pk, []),
        }
        for a in agents
    ]


def desk_members(workspace: Workspace) -> list[User]:
    """Active members who may use the desk (use_care from their user type or a grant), by
    username."""
    grants = ws_selectors.workspace_grants(workspace)
    return [
        m.user
        for m in ws_selectors.workspace_members(workspace)
        if m.user.is_active
        and (
            Perm.USE_CARE in (m.user_type.permissions or [])
            or Perm.USE_CARE in grants.get(m.user_id, set())
        )
    ]
