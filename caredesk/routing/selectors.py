"""Reads of the routing app: an agent's tasks in progress, their open cases, and the live
queue board of supervisors. Each is a fixed number of queries, whatever the row count."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk.care.models import Case, Status
from caredesk.routing.models import (
    AgentProfile,
    AgentSkill,
    Conversation,
    ConversationStatus,
    Message,
    Offer,
    OfferStatus,
    Presence,
    Queue,
    Sender,
)
from caredesk.workspaces.models import User, Workspace

PREVIEW_CHARS = 120
OPEN_CASES_LIMIT = 50


def customer_name(conversation: Conversation) -> str:
    """What the desk calls the customer: the linked contact, the pre-chat name, or Visitor."""
    contact = conversation.contact if conversation.contact_id else None
    if contact is not None and str(contact).strip():
        return str(contact)
    name = conversation.pre_chat.get("name") if isinstance(conversation.pre_chat, dict) else None
    if isinstance(name, str) and name.strip():
        return name.strip()[:100]
    return _("Visitor")


def _with_last_message_and_unread(qs):
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by("-pk")
    unread = (
        Message.objects.filter(
            conversation=OuterRef("pk"),
            sender=Sender.CUSTOMER,
            pk__gt=Coalesce(OuterRef("agent_read_up_to"), Value(0)),
        )
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        last_id=Subquery(last.values("pk")[:1]),
        last_sender=Subquery(last.values("sender")[:1]),
        last_body=Subquery(last.values("body")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
        unread=Coalesce(Subquery(unread[:1]), Value(0), output_field=IntegerField()),
    )


def task_payload(conversation: Conversation, last: dict | None = None) -> dict:
    """One conversation in the desk's "Tasks in progress" (hello's `tasks`, `accepted`).
    `conversation.unread` and its last message: the annotations of
    `_with_last_message_and_unread`, or `last` (a `message_payload`) when given."""
    if last is None and getattr(conversation, "last_id", None) is not None:
        last = {
            "id": conversation.last_id,
            "sender": conversation.last_sender,
            "body": conversation.last_body or "",
            "created_at": conversation.last_at.isoformat(),
        }
    if last is not None:
        last = {k: last[k] for k in ("id", "sender", "created_at")} | {
            "body": last["body"][:PREVIEW_CHARS]
        }
    return {
        "conversation": conversation.public_token,
        "name": customer_name(conversation),
        "queue": conversation.queue.name,
        "status": conversation.status,
        "waiting_since": conversation.created_at.isoformat(),
        "accepted_at": conversation.accepted_at.isoformat() if conversation.accepted_at else None,
        "wait_seconds": conversation.wait_seconds,
        "unread": conversation.unread,
        "last_message": last,
        "customer_read_up_to": conversation.customer_read_up_to,
        "agent_read_up_to": conversation.agent_read_up_to,
    }


def agent_tasks(agent: AgentProfile) -> list[dict]:
    """The agent's active conversations, oldest accepted first."""
    qs = (
        Conversation.objects.filter(agent=agent, status=ConversationStatus.ACTIVE)
        .select_related("queue", "contact")
        .order_by("accepted_at", "pk")
    )
    return [task_payload(c) for c in _with_last_message_and_unread(qs)]


def accepted_task(conversation_id: int, history: list[dict]) -> dict:
    """The task of a conversation whose history (`services.conversation_history`) was just
    read, as on accept: its last message and unread count come from that history instead of
    the five subqueries `agent_tasks` uses, which built by the ORM were a seventh of an app
    process's CPU when many chats were accepted at once (bench/chat.py --think 1 --ramp 0)."""
    conversation = Conversation.objects.select_related("queue", "contact").get(pk=conversation_id)
    read_up_to = conversation.agent_read_up_to or 0
    conversation.unread = sum(
        1 for m in history if m["sender"] == Sender.CUSTOMER and m["id"] > read_up_to
    )
    return task_payload(conversation, history[-1] if history else None)


def agent_open_cases(*, workspace: Workspace, user: User) -> list[Case]:
    """The cases this user owns in the workspace that are not closed, most recent first."""
    return list(
        Case.objects.filter(workspace=workspace, owner=user)
        .exclude(status=Status.CLOSED)
        .only("number", "title", "status", "priority", "reported_at")
        .order_by("-reported_at", "-pk")[:OPEN_CASES_LIMIT]
    )


@dataclass
class QueueRow:
    queue: Queue
    waiting: list = field(default_factory=list)  # (customer name, seconds waited, offered)

    @property
    def longest_wait(self) -> int:
        return max((w[1] for w in self.waiting), default=0)


@dataclass
class AgentRow:
    agent: AgentProfile
    name: str
    active: int
    offered: int
    skills: list  # (name, level)

    @property
    def load(self) -> int:
        return self.active + self.offered


def supervisor_board(workspace: Workspace, now: datetime | None = None) -> dict:
    """Queues with their waiting (or being offered) conversations and how long each has
    waited, and the agents with presence, load against capacity and skills."""
    now = now or timezone.now()
    rows = {
        q.pk: QueueRow(q)
        for q in Queue.objects.filter(workspace=workspace).prefetch_related("required_skills")
    }
    waiting = (
        Conversation.objects.filter(
            workspace=workspace,
            status__in=[ConversationStatus.WAITING, ConversationStatus.OFFERED],
        )
        .select_related("contact")
        .order_by("created_at", "pk")
    )
    for c in waiting:
        seconds = max(0, int((now - c.created_at).total_seconds()))
        rows[c.queue_id].waiting.append(
            (customer_name(c), seconds, c.status == ConversationStatus.OFFERED)
        )
    queues = sorted(rows.values(), key=lambda r: (-r.queue.priority, r.queue.name.lower()))

    def count(model, status):
        return Coalesce(
            Subquery(
                model.objects.filter(agent=OuterRef("pk"), status=status)
                .order_by()
                .values("agent")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            Value(0),
            output_field=IntegerField(),
        )

    agents = list(
        AgentProfile.objects.filter(workspace=workspace)
        .select_related("user")
        .annotate(
            active=count(Conversation, ConversationStatus.ACTIVE),
            offered=count(Offer, OfferStatus.OFFERED),
        )
    )
    skills: dict[int, list] = {}
    for s in (
        AgentSkill.objects.filter(agent__workspace=workspace)
        .select_related("skill")
        .order_by("skill__name")
    ):
        skills.setdefault(s.agent_id, []).append((s.skill.name, s.level))
    order = {p: i for i, p in enumerate(Presence.values)}
    agent_rows = sorted(
        (
            AgentRow(
                agent=a,
                name=a.user.get_full_name() or a.user.username,
                active=a.active,
                offered=a.offered,
                skills=skills.get(a.pk, []),
            )
            for a in agents
        ),
        key=lambda r: (order.get(r.agent.presence, 9), r.name.lower()),
    )
    totals = {
        "waiting": sum(len(r.waiting) for r in queues),
        "longest_wait": max((r.longest_wait for r in queues), default=0),
        "available": sum(1 for r in agent_rows if r.agent.presence == Presence.AVAILABLE),
        "active": sum(r.active for r in agent_rows),
        "capacity": sum(
            r.agent.capacity for r in agent_rows if r.agent.presence != Presence.OFFLINE
        ),
    }
    return {"queues": queues, "agents": agent_rows, "totals": totals}


def presence_choices() -> list[tuple[str, str]]:
    return list(Presence.choices)
