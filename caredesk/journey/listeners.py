"""Keeps each chat's activity in step with its conversation: after-commit listeners of the
conversation events (JourneyConfig.ready). Offering a chat and taking it back to waiting
change only its routing status: they are not journey events and have no listener here."""

from caredesk import events
from caredesk.journey.services import activity_sync_conversation, activity_sync_times
from caredesk.routing.models import Conversation


def chat_started(event: events.ConversationStarted) -> None:
    # The conversation as it was stored (its queue already loaded), and it has no activity
    # yet. Re-reading both took a third of the start's time.
    conversation = event.subject
    if conversation is None:
        activity_sync_conversation(_read(event.conversation))
    else:
        activity_sync_conversation(conversation, new=True)


def chat_accepted_or_ended(event: events.ConversationAccepted | events.ConversationEnded):
    # Only the times and, on accept, the agent change (services.offer_accept, conversation_end).
    conversation = event.subject or _read(event.conversation)
    activity_sync_times(conversation, agent_changed=isinstance(event, events.ConversationAccepted))


def chat_changed(event: events.ConversationVisitor | events.ConversationContactSet) -> None:
    activity_sync_conversation(_read(event.conversation))


def _read(pk: int) -> Conversation:
    return Conversation.objects.select_related("queue", "agent").get(pk=pk)
