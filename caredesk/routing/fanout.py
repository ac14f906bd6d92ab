"""The chat's and the desk's fan-out: each event goes to the channel-layer group of its
conversation (`chat.*` messages: the customer's socket and the agent's desks that carry it)
or of its agent (`desk.*` messages: every open desk of the agent), as the message type the
consumers handle (caredesk.realtime.chat). After-commit listeners (RoutingConfig.ready);
what a consumer's own database work delivers is sent by that consumer (routing.db.run_db)."""

from caredesk import events


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


def agent_group(agent_id: int) -> str:
    return f"desk.agent.{agent_id}"


# Event → the channel-layer message type its group's consumers handle.
TO_CONVERSATION = {
    events.ConversationMessage: "chat.message",
    events.ConversationRead: "chat.read",
    events.ConversationTyping: "chat.typing",
    events.ConversationNavigation: "chat.navigation",
    events.ConversationVisitor: "chat.visitor",
    events.ConversationAccepted: "chat.status",
    events.ConversationEnded: "chat.status",
}
TO_AGENT = {
    events.ConversationOffered: "desk.offer",
    events.ConversationOfferExpired: "desk.offer_expired",
    events.AgentAccepted: "desk.accepted",
    events.AgentDeclined: "desk.declined",
    events.AgentPresence: "desk.presence",
    events.CallEvent: "desk.call",
}


def to_conversation(event) -> None:
    message = {"type": TO_CONVERSATION[type(event)], **event.payload()}
    events.deliver(conversation_group(event.conversation), message)


def to_agent(event) -> None:
    events.deliver(agent_group(event.agent), {"type": TO_AGENT[type(event)], **event.payload()})
