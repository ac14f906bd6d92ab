from django.apps import AppConfig

from caredesk import events


class JourneyConfig(AppConfig):
    name = "caredesk.journey"
    label = "journey"
    verbose_name = "Customer journey"

    def ready(self):
        from caredesk.journey import listeners

        events.listen(listeners.chat_started, events.ConversationStarted)
        events.listen(
            listeners.chat_accepted_or_ended,
            events.ConversationAccepted,
            events.ConversationEnded,
        )
        events.listen(
            listeners.chat_changed, events.ConversationVisitor, events.ConversationContactSet
        )
