"""The agent desk over REST: conversations (read, write as agent, end, link to a contact),
offers (accept, decline), my presence and capacity, queues with live counts, skills and the
agents' routing profiles. Every write goes through caredesk.routing.services; what the desk
websocket would have told the agent's other open desks is published to them too, so a desk
and an integration can work side by side.

Who sees what: with manage_care (supervisors) every conversation of the workspace; otherwise
the conversations the caller is or was the agent of, or has an open offer for (404 for the
others). Only a conversation's own agent writes in it; its agent or a supervisor ends it."""

import datetime as dt
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db.models import Count, F, Min, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from caredesk.api.schemas import ERRORS, UserRef, user_ref
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.customers.models import Contact
from caredesk.journey import services as journey
from caredesk.journey.models import Activity
from caredesk.routing import selectors, services
from caredesk.routing.events import agent_group
from caredesk.routing.models import (
    AgentProfile,
    AgentSkill,
    Conversation,
    ConversationStatus,
    Offer,
    OfferStatus,
    Presence,
    Queue,
    Sender,
    Skill,
)
from caredesk.workspaces.access import Access, get_access, workspace_permissions
from caredesk.workspaces.models import User
from caredesk.workspaces.permissions import Perm

router = Router()

WS = "/workspaces/{workspace}"
PAGE = 50

# -- schemas ---------------------------------------------------------------------------------


class LastMessage(Schema):
    id: int
    sender: str
    body: str
    created_at: dt.datetime


class ConversationOut(Schema):
    token: str = Field(description="The conversation's id in this API and on the desk socket")
    status: str = Field(description=f"One of: {', '.join(ConversationStatus.values)}")
    queue: str
    name: str = Field(description="The customer: contact, pre-chat name, or Visitor")
    contact: int | None
    agent: UserRef | None
    created_at: dt.datetime
    accepted_at: dt.datetime | None
    ended_at: dt.datetime | None
    wait_seconds: int | None
    unread: int = Field(description="Customer messages after the agent's read mark")


class ConversationPage(Schema):
    items: list[ConversationOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page")


class NavigationOut(Schema):
    kind: str
    value: str
    at: dt.datetime


class MessageOut(Schema):
    id: int
    client_id: str
    sender: str
    body: str
    created_at: dt.datetime


class ConversationDetail(ConversationOut):
    pre_chat: dict[str, Any]
    visitor: dict[str, Any]
    navigation: list[NavigationOut]
    skills: list[str] = Field(description="Skills the conversation's queue requires")
    customer_read_up_to: int | None
    agent_read_up_to: int | None
    activity: int | None = Field(description="The conversation's activity on the journey")
    messages: list[MessageOut]


class ConversationFilters(Schema):
    status: str = Field("", description=f"One of: {', '.join(ConversationStatus.values)}")
    queue: str = Field("", description="Queue name")
    agent: str = Field("", description='"me": only the caller\'s conversations')
    cursor: str = Field("", description="next_cursor of the previous page")
    limit: int = Field(PAGE, ge=1, le=200)


class MessageIn(Schema):
    client_id: str = Field(
        description="Your id for the message, 1–100 characters; a retry "
        "with the same id stores nothing new"
    )
    body: str = Field(description="1–10 000 characters, stored verbatim")


class ContactIn(Schema):
    contact: int = Field(description="Id of a customer (contact) of the organization")


class OfferOut(Schema):
    offer: int
    conversation: str
    queue: str
    pre_chat: dict[str, Any]
    visitor: dict[str, Any]
    waiting_since: dt.datetime
    offered_at: dt.datetime


class DeclinedOut(Schema):
    offer: int
    status: str


class SkillLevel(Schema):
    name: str
    level: int


class PresenceOut(Schema):
    presence: str = Field(description=f"One of: {', '.join(Presence.values)}")
    capacity: int
    active: int
    offered: int
    skills: list[SkillLevel]


class PresenceIn(Schema):
    presence: str | None = Field(None, description=f"One of: {', '.join(Presence.values)}")
    capacity: int | None = Field(None, description="Conversations at once, 0–100")


class QueueOut(Schema):
    id: int
    name: str
    priority: int
    is_default: bool
    required_skills: list[str]
    waiting: int
    offered: int
    active: int
    longest_wait_seconds: int = Field(description="Of the conversations waiting or offered")


class QueueIn(Schema):
    name: str = Field(max_length=100)
    priority: int = 0
    required_skills: list[str] = Field(default_factory=list, description="Skill names")
    is_default: bool = False


class QueuePatch(Schema):
    name: str | None = Field(None, max_length=100)
    priority: int | None = None
    required_skills: list[str] | None = Field(None, description="Replaces the required skills")
    is_default: bool | None = None


class SkillOut(Schema):
    id: int
    name: str


class SkillIn(Schema):
    name: str


class AgentOut(Schema):
    user: UserRef
    presence: str
    capacity: int
    active: int
    offered: int
    skills: list[SkillLevel]


class AgentIn(Schema):
    capacity: int | None = Field(None, description="Conversations at once, 0–100")
    skills: dict[str, int] | None = Field(
        None, description="Skill name → level 1–5; replaces the agent's skills"
    )


# -- helpers ---------------------------------------------------------------------------------


def _care(request, workspace: str) -> Access:
    return get_access(request.auth, workspace, require=Perm.USE_CARE)


def _manage(request, workspace: str) -> Access:
    return get_access(request.auth, workspace, require=Perm.MANAGE_CARE)


def _me(access: Access) -> AgentProfile:
    return services.agent_profile_for(workspace=access.workspace, user=access.user)


def _tell_my_desks(agent: AgentProfile, message: dict) -> None:
    """What the desk socket mirrors to an agent's other tabs, for a change made here. Sent at
    once: the write has committed (ninja views are not atomic)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(agent_group(agent.pk), {**message, "origin": "api"})


def _visible(access: Access):
    qs = Conversation.objects.filter(workspace=access.workspace)
    if access.has(Perm.MANAGE_CARE):
        return qs
    mine = Q(agent__user=access.user) | Q(
        offers__agent__user=access.user, offers__status=OfferStatus.OFFERED
    )
    return qs.filter(pk__in=qs.filter(mine).values("pk"))


def _with_unread(qs):
    return qs.annotate(
        unread=Count(
            "messages",
            filter=Q(messages__sender=Sender.CUSTOMER)
            & Q(messages__pk__gt=Coalesce(F("agent_read_up_to"), Value(0))),
        )
    )


def _conversation(access: Access, token: str) -> Conversation:
    conversation = (
        _with_unread(_visible(access).filter(public_token=token))
        .select_related("queue", "contact", "agent__user")
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation")
    return conversation


def conversation_out(c: Conversation) -> dict:
    return {
        "token": c.public_token,
        "status": c.status,
        "queue": c.queue.name,
        "name": selectors.customer_name(c),
        "contact": c.contact_id,
        "agent": user_ref(c.agent.user) if c.agent_id else None,
        "created_at": c.created_at,
        "accepted_at": c.accepted_at,
        "ended_at": c.ended_at,
        "wait_seconds": c.wait_seconds,
        "unread": c.unread,
    }


def conversation_detail(c: Conversation) -> dict:
    activity = Activity.objects.filter(conversation=c).values_list("pk", flat=True).first()
    return {
        **conversation_out(c),
        "pre_chat": c.pre_chat,
        "visitor": c.visitor,
        "navigation": [{"kind": n.kind, "value": n.value, "at": n.at} for n in c.navigation.all()],
        "skills": sorted(c.queue.required_skills.values_list("name", flat=True)),
        "customer_read_up_to": c.customer_read_up_to,
        "agent_read_up_to": c.agent_read_up_to,
        "activity": activity,
        "messages": list(
            c.messages.order_by("id").values("id", "client_id", "sender", "body", "created_at")
        ),
    }


def _detail(access: Access, token: str) -> dict:
    return conversation_detail(_conversation(access, token))


# -- conversations ---------------------------------------------------------------------------


@router.get(
    f"{WS}/conversations",
    response={200: ConversationPage, **ERRORS},
    tags=["conversations"],
    summary="List conversations, newest first",
)
def conversation_list(request, workspace: str, params: Query[ConversationFilters]):
    access = _care(request, workspace)
    errors = {}
    if params.status:
        errors.update(choice_errors((params.status, "status", ConversationStatus)))
    if params.agent not in ("", "me"):
        errors["agent"] = 'agent is "me" or left out.'
    if params.cursor and not params.cursor.isdigit():
        errors["cursor"] = "Not a cursor returned by this API."
    queue = None
    if params.queue:
        queue = Queue.objects.filter(workspace=access.workspace, name__iexact=params.queue).first()
        if queue is None:
            errors["queue"] = "No such queue."
    if errors:
        raise FieldErrors(errors)
    qs = _visible(access)
    if params.status:
        qs = qs.filter(status=params.status)
    if queue is not None:
        qs = qs.filter(queue=queue)
    if params.agent == "me":
        qs = qs.filter(agent__user=access.user)
    if params.cursor:
        qs = qs.filter(pk__lt=int(params.cursor))
    rows = list(
        _with_unread(qs.select_related("queue", "contact", "agent__user")).order_by("-pk")[
            : params.limit + 1
        ]
    )
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    return {
        "items": [conversation_out(c) for c in rows],
        "next_cursor": str(rows[-1].pk) if more else None,
    }


@router.get(
    f"{WS}/conversations/{{token}}",
    response={200: ConversationDetail, **ERRORS},
    tags=["conversations"],
    summary="A conversation with its messages, pre-chat answers, visitor and navigation",
)
def conversation_get(request, workspace: str, token: str):
    return _detail(_care(request, workspace), token)


@router.post(
    f"{WS}/conversations/{{token}}/messages",
    response={200: MessageOut, 201: MessageOut, **ERRORS},
    tags=["conversations"],
    summary="Write to the customer as the conversation's agent",
    description="201 when stored; a retry with the same client_id answers 200 with the "
    "message stored the first time.",
)
def conversation_message(request, workspace: str, token: str, payload: MessageIn):
    access = _care(request, workspace)
    conversation = _conversation(access, token)
    if conversation.agent_id is None or conversation.agent.user_id != access.user.pk:
        raise FieldErrors.one("conversation", "Only the agent of this conversation writes in it.")
    message, created = services.message_post(
        conversation=conversation,
        sender=Sender.AGENT,
        client_id=payload.client_id,
        body=payload.body,
        author=access.user,
    )
    out = {
        "id": message.pk,
        "client_id": message.client_id,
        "sender": message.sender,
        "body": message.body,
        "created_at": message.created_at,
    }
    return Status(201 if created else 200, out)


@router.post(
    f"{WS}/conversations/{{token}}/end",
    response={200: ConversationDetail, **ERRORS},
    tags=["conversations"],
    summary="End a conversation (its agent, or manage_care)",
)
def conversation_end(request, workspace: str, token: str):
    access = _care(request, workspace)
    conversation = _conversation(access, token)
    is_agent = conversation.agent_id is not None and conversation.agent.user_id == access.user.pk
    if not is_agent and not access.has(Perm.MANAGE_CARE):
        raise FieldErrors.one("conversation", "Only its agent or a supervisor ends it.")
    services.conversation_end(conversation_id=conversation.pk, by=Sender.AGENT)
    services.offer_waiting(workspace=access.workspace)
    return _detail(access, token)


@router.put(
    f"{WS}/conversations/{{token}}/contact",
    response={200: ConversationDetail, **ERRORS},
    tags=["conversations"],
    summary="Link the conversation (and its activity) to a customer",
)
def conversation_contact(request, workspace: str, token: str, payload: ContactIn):
    access = _care(request, workspace)
    conversation = _conversation(access, token)
    contact = Contact.objects.filter(
        organization_id=access.workspace.organization_id, pk=payload.contact
    ).first()
    if contact is None:
        raise FieldErrors.one("contact", "No such customer.")
    journey.conversation_set_contact(access=access, conversation=conversation, contact=contact)
    return _detail(access, token)


# -- offers ----------------------------------------------------------------------------------


def _my_offer(access: Access, offer_id: int) -> tuple[AgentProfile, Offer]:
    offer = (
        Offer.objects.filter(
            pk=offer_id, agent__workspace=access.workspace, agent__user=access.user
        )
        .select_related("agent")
        .first()
    )
    if offer is None:
        raise Http404("No such offer")
    return offer.agent, offer


@router.get(
    f"{WS}/offers",
    response={200: list[OfferOut], **ERRORS},
    tags=["conversations"],
    summary="My open offers",
)
def offer_list(request, workspace: str):
    access = _care(request, workspace)
    offers = (
        Offer.objects.filter(
            agent__workspace=access.workspace,
            agent__user=access.user,
            status=OfferStatus.OFFERED,
        )
        .select_related("conversation__queue")
        .order_by("pk")
    )
    return [services.offer_payload(o) for o in offers]


@router.post(
    f"{WS}/offers/{{offer_id}}/accept",
    response={200: ConversationDetail, **ERRORS},
    tags=["conversations"],
    summary="Accept an offer: the conversation becomes mine (wait time recorded)",
)
def offer_accept(request, workspace: str, offer_id: int):
    access = _care(request, workspace)
    agent, offer = _my_offer(access, offer_id)
    conversation = services.offer_accept(offer_id=offer.pk, agent=agent)
    # The agent's open desks take the conversation as if one of them had accepted it.
    accepted = {
        "type": "accepted",
        "offer": offer.pk,
        **selectors.conversation_task(conversation.pk),
        "pre_chat": conversation.pre_chat,
        "visitor": conversation.visitor,
        "messages": services.conversation_history(conversation),
    }
    _tell_my_desks(
        agent, {"type": "desk.accepted", "accepted": accepted, "conversation_id": conversation.pk}
    )
    return _detail(access, conversation.public_token)


@router.post(
    f"{WS}/offers/{{offer_id}}/decline",
    response={200: DeclinedOut, **ERRORS},
    tags=["conversations"],
    summary="Decline an offer: it goes to the next agent",
)
def offer_decline(request, workspace: str, offer_id: int):
    access = _care(request, workspace)
    agent, offer = _my_offer(access, offer_id)
    services.offer_decline(offer_id=offer.pk, agent=agent)
    _tell_my_desks(agent, {"type": "desk.declined", "offer": offer.pk})
    return {"offer": offer.pk, "status": OfferStatus.DECLINED}


# -- presence --------------------------------------------------------------------------------


def _agent_counts(qs):
    return qs.annotate(
        active=Count(
            "conversations",
            filter=Q(conversations__status=ConversationStatus.ACTIVE),
            distinct=True,
        ),
        offered=Count("offers", filter=Q(offers__status=OfferStatus.OFFERED), distinct=True),
    )


def _skills_of(agent_ids) -> dict[int, list[dict]]:
    skills: dict[int, list[dict]] = {}
    for s in (
        AgentSkill.objects.filter(agent_id__in=agent_ids)
        .select_related("skill")
        .order_by("skill__name")
    ):
        skills.setdefault(s.agent_id, []).append({"name": s.skill.name, "level": s.level})
    return skills


def _presence_out(access: Access) -> dict:
    agent = _agent_counts(
        AgentProfile.objects.filter(workspace=access.workspace, user=access.user)
    ).first()
    if agent is None:  # no desk opened yet: the profile a desk would start with
        agent = AgentProfile(workspace=access.workspace, user=access.user)
        agent.active = agent.offered = 0
    return {
        "presence": agent.presence,
        "capacity": agent.capacity,
        "active": agent.active,
        "offered": agent.offered,
        "skills": _skills_of([agent.pk]).get(agent.pk, []),
    }


@router.get(
    f"{WS}/presence",
    response={200: PresenceOut, **ERRORS},
    tags=["presence"],
    summary="My presence, capacity and load in this workspace",
)
def presence_get(request, workspace: str):
    return _presence_out(_care(request, workspace))


@router.put(
    f"{WS}/presence",
    response={200: PresenceOut, **ERRORS},
    tags=["presence"],
    summary="Set my presence and/or capacity",
    description="Becoming available offers waiting conversations to whoever fits.",
)
def presence_set(request, workspace: str, payload: PresenceIn):
    access = _care(request, workspace)
    errors = {}
    if payload.presence is not None:
        errors.update(choice_errors((payload.presence, "presence", Presence)))
    if payload.capacity is not None and not 0 <= payload.capacity <= 100:
        errors["capacity"] = "Capacity is a whole number from 0 to 100."
    if errors:
        raise FieldErrors(errors)
    agent = _me(access)
    if payload.capacity is not None:
        agent = services.agent_profile_set(
            workspace=access.workspace, user=access.user, capacity=payload.capacity
        )
    if payload.presence is not None:
        agent = services.agent_presence_set(agent=agent, presence=payload.presence)
        _tell_my_desks(agent, {"type": "desk.presence", "presence": agent.presence})
    if agent.presence == Presence.AVAILABLE:
        services.offer_waiting(workspace=access.workspace)
    return _presence_out(access)


# -- queues and skills -----------------------------------------------------------------------


def queue_rows(workspace) -> list[dict]:
    """Queues with live counts: two queries whatever the number of queues."""
    counts: dict[int, dict] = {}
    for row in (
        Conversation.objects.filter(workspace=workspace)
        .exclude(status=ConversationStatus.ENDED)
        .values("queue_id", "status")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    ):
        counts.setdefault(row["queue_id"], {})[row["status"]] = row
    now = dt.datetime.now(dt.UTC)
    rows = []
    queues = Queue.objects.filter(workspace=workspace).prefetch_related("required_skills")
    for q in queues.order_by("-priority", "name"):
        c = counts.get(q.pk, {})
        waiting_since = [
            c[s]["oldest"]
            for s in (ConversationStatus.WAITING, ConversationStatus.OFFERED)
            if s in c
        ]
        rows.append(
            {
                "id": q.pk,
                "name": q.name,
                "priority": q.priority,
                "is_default": q.is_default,
                "required_skills": sorted(s.name for s in q.required_skills.all()),
                "waiting": c.get(ConversationStatus.WAITING, {}).get("n", 0),
                "offered": c.get(ConversationStatus.OFFERED, {}).get("n", 0),
                "active": c.get(ConversationStatus.ACTIVE, {}).get("n", 0),
                "longest_wait_seconds": max(
                    (max(0, int((now - t).total_seconds())) for t in waiting_since), default=0
                ),
            }
        )
    return rows


def _queue_row(workspace, queue_id: int) -> dict:
    return next(r for r in queue_rows(workspace) if r["id"] == queue_id)


def _known_skills(workspace, names, field: str) -> list[str]:
    """Settings name existing skills; a typo must not create a new one."""
    known = {
        n.lower(): n
        for n in Skill.objects.filter(workspace=workspace).values_list("name", flat=True)
    }
    unknown = [n for n in names if n.strip().lower() not in known]
    if unknown:
        raise FieldErrors.one(field, f"No such skill: {', '.join(unknown)}.")
    return [known[n.strip().lower()] for n in names]


@router.get(
    f"{WS}/queues",
    response={200: list[QueueOut], **ERRORS},
    tags=["queues"],
    summary="Queues with live counts (waiting, offered, active, longest wait)",
)
def queue_list(request, workspace: str):
    return queue_rows(_care(request, workspace).workspace)


@router.post(
    f"{WS}/queues",
    response={201: QueueOut, **ERRORS},
    tags=["queues"],
    summary="Create a queue (manage_care)",
)
def queue_create(request, workspace: str, payload: QueueIn):
    access = _manage(request, workspace)
    skills = _known_skills(access.workspace, payload.required_skills, "required_skills")
    if abs(payload.priority) > services.MAX_PRIORITY:
        raise FieldErrors.one("priority", "Priority is a whole number from -1000 to 1000.")
    queue = services.queue_create(
        workspace=access.workspace,
        name=payload.name,
        priority=payload.priority,
        required_skills=skills,
        is_default=payload.is_default,
    )
    return Status(201, _queue_row(access.workspace, queue.pk))


@router.patch(
    f"{WS}/queues/{{queue_id}}",
    response={200: QueueOut, **ERRORS},
    tags=["queues"],
    summary="Change a queue (manage_care; only the fields sent)",
)
def queue_update(request, workspace: str, queue_id: int, payload: QueuePatch):
    access = _manage(request, workspace)
    queue = Queue.objects.filter(workspace=access.workspace, pk=queue_id).first()
    if queue is None:
        raise Http404("No such queue")
    data = payload.dict(exclude_unset=True)
    if data.get("required_skills") is not None:
        data["required_skills"] = _known_skills(
            access.workspace, data["required_skills"], "required_skills"
        )
    services.queue_update(queue=queue, **data)
    return _queue_row(access.workspace, queue.pk)


@router.get(
    f"{WS}/skills", response={200: list[SkillOut], **ERRORS}, tags=["queues"], summary="Skills"
)
def skill_list(request, workspace: str):
    access = _care(request, workspace)
    return list(
        Skill.objects.filter(workspace=access.workspace).order_by("name").values("id", "name")
    )


@router.post(
    f"{WS}/skills",
    response={201: SkillOut, **ERRORS},
    tags=["queues"],
    summary="Create a skill (manage_care)",
)
def skill_create(request, workspace: str, payload: SkillIn):
    access = _manage(request, workspace)
    skill = services.skill_create(workspace=access.workspace, name=payload.name)
    return Status(201, {"id": skill.pk, "name": skill.name})


# -- agents ----------------------------------------------------------------------------------


def agent_rows(workspace, user_id: int | None = None) -> list[dict]:
    qs = AgentProfile.objects.filter(workspace=workspace).select_related("user")
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    agents = list(_agent_counts(qs).order_by("user__username"))
    skills = _skills_of([a.pk for a in agents])
    return [
        {
            "user": user_ref(a.user),
            "presence": a.presence,
            "capacity": a.capacity,
            "active": a.active,
            "offered": a.offered,
            "skills": skills.get(a.pk, []),
        }
        for a in agents
    ]


@router.get(
    f"{WS}/agents",
    response={200: list[AgentOut], **ERRORS},
    tags=["presence"],
    summary="Agents' routing profiles: presence, capacity, load and skills",
)
def agent_list(request, workspace: str):
    return agent_rows(_care(request, workspace).workspace)


@router.put(
    f"{WS}/agents/{{user_id}}",
    response={200: AgentOut, **ERRORS},
    tags=["presence"],
    summary="Set an agent's capacity and skills with levels (manage_care)",
)
def agent_set(request, workspace: str, user_id: int, payload: AgentIn):
    access = _manage(request, workspace)
    user = User.objects.filter(
        pk=user_id, organization_id=access.workspace.organization_id, is_active=True
    ).first()
    if user is None or Perm.USE_CARE not in workspace_permissions(user, access.workspace)[0]:
        raise Http404("No such agent")
    errors = {}
    skills = None
    if payload.capacity is not None and not 0 <= payload.capacity <= 100:
        errors["capacity"] = "Capacity is a whole number from 0 to 100."
    if payload.skills is not None:
        bad = [n for n, level in payload.skills.items() if not 1 <= level <= 5]
        try:
            names = _known_skills(access.workspace, list(payload.skills), "skills")
            skills = dict(zip(names, payload.skills.values(), strict=True))
        except FieldErrors as exc:
            errors.update(exc.errors)
        if bad:
            errors["skills"] = f"A skill level is from 1 to 5 ({', '.join(bad)})."
    if errors:
        raise FieldErrors(errors)
    services.agent_profile_set(
        workspace=access.workspace, user=user, capacity=payload.capacity, skills=skills
    )
    return agent_rows(access.workspace, user.pk)[0]
