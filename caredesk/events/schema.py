"""Every domain event of caredesk, one typed schema each: its `type` and its fields.

An event is built by the service that makes the change and emitted inside its transaction
(`caredesk.events.emit`). Its fields are exactly what listeners get and, for the events that
reach a websocket, what the channel-layer message carries (`Event.payload()`); a field marked
`routing` says where the message goes (a workspace, an agent's desks) and is not part of it.
`docs/realtime.md` ("Domain events") lists every event with its fields, and
tests/test_event_schema.py holds the two together.

Rules: `extra="forbid"` (a field no schema names fails at construction), `strict=True` (no
coercion: an id is an int, a time is the ISO 8601 text the clients get), and nothing here
imports another caredesk app: every app may import this module and it imports none of them.
"""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

# The visitor details and pre-chat answers of a chat: flat objects of text, numbers, booleans.
Flat = dict[str, str | int | float | bool | None]

_CONFIG = ConfigDict(extra="forbid", strict=True, frozen=True)


def routing(description: str = ""):
    """A field that says where the event is delivered; not part of the message sent."""
    return Field(exclude=True, description=description, json_schema_extra={"routing": True})


class Part(BaseModel):
    """A nested object of an event (a message, an offer …): same rules as an event."""

    model_config = _CONFIG


class Event(BaseModel):
    model_config = _CONFIG

    type: ClassVar[str]
    # The model instance the event is about, as the emitting service holds it, for listeners
    # in this process that would otherwise read it again (the journey's activity sync, the
    # CSAT invitation). Never sent, not part of the schema; listeners cope with None.
    _subject: Any = PrivateAttr(default=None)

    def about(self, subject):
        self._subject = subject
        return self

    @property
    def subject(self):
        return self._subject

    def payload(self) -> dict:
        """The fields that are sent (the routing fields left out)."""
        return self.model_dump()

    @classmethod
    def fields(cls) -> dict[str, bool]:
        """Field name → whether it is sent (False for a routing field)."""
        return {name: not f.exclude for name, f in cls.model_fields.items()}


EVENTS: dict[str, type[Event]] = {}


def _schema(cls: type[Event]) -> type[Event]:
    assert cls.type not in EVENTS, cls.type
    EVENTS[cls.type] = cls
    return cls


# --- tickets (care): the workspace events socket -------------------------------------------


class CaseAudience(Part):
    """Who may receive an event about a case: what the events consumer needs to apply the
    case visibility rule (care.models.case_visibility_q) without a query per event."""

    case: int
    segment_path: str
    owner: int | None
    created_by: int | None
    # A coaching case's agent: reached through the area only by those who evaluate.
    about_agent: int | None = None


class _CaseChange(Event):
    workspace: int = routing("the workspace whose events socket gets it")
    audience: CaseAudience = routing("who sees the case (CaseAudience); stays on the server")
    number: int
    status: str


@_schema
class CaseCreated(_CaseChange):
    """A ticket was created (by hand, API, email, alert rules)."""

    type = "case.created"


@_schema
class CaseUpdated(_CaseChange):
    """A ticket's fields changed, it got a comment, an email, a call, was assigned, or was
    closed by the inactivity rule."""

    type = "case.updated"


@_schema
class CaseResolved(Event):
    """A ticket's status became resolved (after its `case.updated`). Subject: the Case."""

    type = "case.resolved"
    workspace: int
    case: int
    actor: int | None


# --- survey responses and activities -------------------------------------------------------


@_schema
class ResponseReceived(Event):
    """Survey responses were stored (one, or a batch in one write)."""

    type = "response.received"
    workspace: int
    survey: int
    responses: list[int]


@_schema
class ActivityCreated(Event):
    """An activity (chat, call, email, note …) was recorded on a customer's journey."""

    type = "activity.created"
    workspace: int
    activity: int
    media_type: str
    contact: int | None
    case: int | None


# --- live chat (routing): the conversation's group and the agent's desks ---------------------


class ChatMessage(Part):
    id: int
    client_id: str
    sender: str
    body: str
    created_at: str


class Navigation(Part):
    kind: str
    value: str
    at: str
    # Where it leads (an article's public page), "" when it has no address.
    url: str = ""


class OfferDetails(Part):
    offer: int
    conversation: str
    queue: str
    pre_chat: Flat
    visitor: Flat
    waiting_since: str
    offered_at: str


class LastMessage(Part):
    id: int
    sender: str
    created_at: str
    body: str


class Accepted(Part):
    """The desk's `accepted` message (docs/realtime.md), as the accepting desk got it."""

    type: str
    offer: int | str  # as the accepting desk sent it
    conversation: str
    name: str
    queue: str
    status: str
    waiting_since: str
    accepted_at: str | None
    wait_seconds: int | None
    unread: int
    last_message: LastMessage | None
    customer_read_up_to: int | None
    agent_read_up_to: int | None
    pre_chat: Flat
    visitor: Flat
    messages: list[ChatMessage]


class _ForAgent(Event):
    """An event for every open desk of one agent."""

    agent: int = routing("the agent's desks")


class _InConversation(Event):
    """An event for the sockets of one conversation: its customer's, its agent's desks."""

    conversation: int


@_schema
class ConversationStarted(Event):
    """A customer started a chat; it waits in `queue`. Subject: the Conversation."""

    type = "conversation.started"
    workspace: int
    conversation: int
    queue: str


@_schema
class ConversationOffered(_ForAgent):
    """A waiting chat was offered to an agent."""

    type = "conversation.offered"
    offer: OfferDetails


@_schema
class ConversationOfferExpired(_ForAgent):
    """An offer was not answered in time, its agent's desk went away, or its chat ended."""

    type = "conversation.offer_expired"
    offer: int


@_schema
class ConversationAccepted(_InConversation):
    """An agent accepted a chat. Subject: the Conversation."""

    type = "conversation.accepted"
    status: str
    agent: str


@_schema
class ConversationMessage(_InConversation):
    """A message of the customer, the agent or the system was stored."""

    type = "conversation.message"
    message: ChatMessage


@_schema
class ConversationRead(_InConversation):
    """One side has seen every message up to `up_to`."""

    type = "conversation.read"
    reader: str
    up_to: int
    origin: str


@_schema
class ConversationTyping(_InConversation):
    """One side started or stopped typing (not stored: relayed)."""

    type = "conversation.typing"
    sender: str
    typing: bool
    origin: str


@_schema
class ConversationNavigation(_InConversation):
    """A portal navigation event of a started chat was stored."""

    type = "conversation.navigation"
    navigation: Navigation


@_schema
class ConversationVisitor(_InConversation):
    """The visitor details of a chat changed (the whole merged object)."""

    type = "conversation.visitor"
    visitor: Flat


@_schema
class ConversationContactSet(_InConversation):
    """A chat was linked to a customer (contact). Subject: the Conversation."""

    type = "conversation.contact_set"
    contact: int


@_schema
class ConversationEnded(_InConversation):
    """A chat was ended by its customer or its agent. Subject: the Conversation."""

    type = "conversation.ended"
    status: str
    agent: None
    by: str


# --- an agent's desks: what one of them (or the API) did, told to the others ----------------


@_schema
class AgentAccepted(_ForAgent):
    """One of an agent's desks (or the API) accepted an offer: their other desks take the
    conversation too."""

    type = "agent.accepted"
    accepted: Accepted
    conversation_id: int
    origin: str


@_schema
class AgentDeclined(_ForAgent):
    """One of an agent's desks (or the API) declined an offer."""

    type = "agent.declined"
    offer: int | str  # as the declining desk sent it
    origin: str


@_schema
class AgentPresence(_ForAgent):
    """One of an agent's desks (or the API) set their presence."""

    type = "agent.presence"
    presence: str
    origin: str


# --- telephony (voice) ---------------------------------------------------------------------


@_schema
class CallEvent(_ForAgent):
    """A telephony event (ringing, answered, ended) of a call was stored; `state` is the
    call's state once it is counted."""

    type = "call.event"
    event: str
    activity: int
    caller: str
    queue: str
    contact: int | None
    state: str


@_schema
class CallTranscriptSet(Event):
    """A call's transcript was stored (or replaced). After commit: its analysis."""

    type = "call.transcript"
    workspace: int
    activity: int
