"""The agent desk over REST: conversations (read, write as agent, end, link to a contact) and
offers (accept, decline); presence, queues, skills and agents are in api/queues.py. Every
write goes through caredesk.routing.services; what the desk websocket would have told the
agent's other open desks is emitted for them too, so a desk and an integration can work
side by side.

Who sees what: with manage_care (supervisors) every conversation of the workspace; otherwise
the conversations the caller is or was the agent of, or has an open offer for (404 for the
others). Only a conversation's own agent writes in it; its agent or a supervisor ends it."""

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from caredesk import events
from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Id, In, Text, UserRef, user_ref
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.core.limits import text_errors
from caredesk.core.pagination import NOT_A_CURSOR, decode_id_cursor, id_page
from caredesk.customers.models import Contact
from caredesk.journey import services as journey
from caredesk.journey.models import Activity
from caredesk.routing import selectors, services
from caredesk.routing.models import (
    AgentProfile,
    Conversation,
    ConversationStatus,
    Offer,
    OfferStatus,
    Queue,
    Sender,
)
from caredesk.workspaces.access import Access
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
    name: str = Field(description="The customer: their recorded name, pre-chat name, or Visitor")
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
    url: str = Field(description="Where it leads (an article's public page); empty when none")


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


class MessageIn(In):
    client_id: Text(100) = Field(
        description="Your id for the message, 1–100 characters; a retry "
        "with the same id stores nothing new"
    )
    body: Text(10_000) = Field(description="1–10 000 characters, stored verbatim")


class ContactIn(In):
    contact: Id = Field(description="Id of a customer (contact) of the organization")


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


# -- helpers ---------------------------------------------------------------------------------


def _care(request, workspace: str) -> Access:
    return api_access(request, workspace, require=Perm.USE_CARE)


def my_agent_profile(access: Access) -> AgentProfile:
    return services.agent_profile_for(workspace=access.workspace, user=access.user)


def _visible(access: Access):
    return Conversation.objects.visible_to(access)


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
        raise Http404(_("No such conversation"))
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
        "navigation": [
            {"kind": n.kind, "value": n.value, "at": n.at, "url": n.url} for n in c.navigation.all()
        ],
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
        errors["agent"] = _('agent is "me" or left out.')
    before = decode_id_cursor(params.cursor)
    if params.cursor and before is None:
        errors["cursor"] = str(NOT_A_CURSOR)
    queue = None
    errors.update(text_errors((params.queue, "queue", 100)))
    if params.queue and "queue" not in errors:
        queue = Queue.objects.filter(workspace=access.workspace, name__iexact=params.queue).first()
        if queue is None:
            errors["queue"] = _("No such queue.")
    if errors:
        raise FieldErrors(errors)
    qs = _visible(access)
    if params.status:
        qs = qs.filter(status=params.status)
    if queue is not None:
        qs = qs.filter(queue=queue)
    if params.agent == "me":
        qs = qs.filter(agent__user=access.user)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(
        _with_unread(qs.select_related("queue", "contact", "agent__user")).order_by("-pk")[
            : params.limit + 1
        ]
    )
    rows, next_cursor = id_page(rows, params.limit)
    return {"items": [conversation_out(c) for c in rows], "next_cursor": next_cursor}


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
        raise FieldErrors.one(
            "conversation", _("Only the agent of this conversation writes in it.")
        )
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
        raise FieldErrors.one("conversation", _("Only its agent or a supervisor ends it."))
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
        raise FieldErrors.one("contact", _("No such customer."))
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
        raise Http404(_("No such offer"))
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
    history = services.conversation_history(conversation)
    accepted = {
        "type": "accepted",
        "offer": offer.pk,
        **selectors.accepted_task(conversation.pk, history),
        "pre_chat": conversation.pre_chat,
        "visitor": conversation.visitor,
        "messages": history,
    }
    # Emitted outside a transaction (ninja views are not atomic): delivered at once.
    events.emit(
        events.AgentAccepted(
            agent=agent.pk, accepted=accepted, conversation_id=conversation.pk, origin="api"
        )
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
    events.emit(events.AgentDeclined(agent=agent.pk, offer=offer.pk, origin="api"))
    return {"offer": offer.pk, "status": OfferStatus.DECLINED}
