"""Domain events: one typed schema per event (`schema`) and one way to emit them (`bus`).

Sits at the bottom of the import graph: it imports nothing from another caredesk app, and
every app may import it. Services emit; listeners register in their app's AppConfig.ready:

- `realtime`: the workspace events socket's fan-out (case.created, case.updated);
- `routing`: the chat and desk sockets' fan-out (conversation.*, agent.*, call.event);
- `journey`: a chat's activity kept in step with its conversation, after commit
  (conversation.started, .accepted, .visitor, .contact_set, .ended);
- `feedback`: the CSAT invitation, in the transaction (case.resolved); the alert rules'
  pending evaluation row in the transaction and their task after commit (response.received);
- `conversations`: the analysis task of what arrives, after commit (activity.created,
  conversation.ended, call.transcript, response.received), and a ticket's segment copied
  to its analyses (case.updated).

A future listener registers the same way in its own app."""

from caredesk.events.bus import (
    EventSchemaError,
    check,
    collecting,
    deliver,
    emit,
    listen,
    listeners,
    publish,
    recomputing,
    relay,
)
from caredesk.events.schema import (
    EVENTS,
    Accepted,
    ActivityCreated,
    AgentAccepted,
    AgentDeclined,
    AgentPresence,
    CallEvent,
    CallTranscriptSet,
    CaseAudience,
    CaseCreated,
    CaseResolved,
    CaseUpdated,
    ChatMessage,
    ConversationAccepted,
    ConversationContactSet,
    ConversationEnded,
    ConversationMessage,
    ConversationNavigation,
    ConversationOffered,
    ConversationOfferExpired,
    ConversationRead,
    ConversationStarted,
    ConversationTyping,
    ConversationVisitor,
    Event,
    Flat,
    LastMessage,
    Navigation,
    OfferDetails,
    Part,
    ResponseReceived,
    routing,
)

__all__ = [
    "Accepted",
    "ActivityCreated",
    "AgentAccepted",
    "AgentDeclined",
    "AgentPresence",
    "CallEvent",
    "CallTranscriptSet",
    "CaseAudience",
    "CaseCreated",
    "CaseResolved",
    "CaseUpdated",
    "ChatMessage",
    "ConversationAccepted",
    "ConversationContactSet",
    "ConversationEnded",
    "ConversationMessage",
    "ConversationNavigation",
    "ConversationOfferExpired",
    "ConversationOffered",
    "ConversationRead",
    "ConversationStarted",
    "ConversationTyping",
    "ConversationVisitor",
    "EVENTS",
    "Event",
    "EventSchemaError",
    "Flat",
    "LastMessage",
    "Navigation",
    "OfferDetails",
    "Part",
    "ResponseReceived",
    "check",
    "collecting",
    "deliver",
    "emit",
    "listen",
    "listeners",
    "publish",
    "recomputing",
    "relay",
    "routing",
]
