"""The Conversations tab: sentiment and topic trends, drivers of detractors and the
conversations with their evidence; feeds the analysis as data arrives."""

from django.apps import AppConfig

from caredesk import events


class ConversationsConfig(AppConfig):
    name = "caredesk.conversations"
    label = "conversations"

    def ready(self):
        from caredesk.conversations import listeners

        # After the commit: each queues a task (tests run huey at once).
        events.listen(listeners.activity_created, events.ActivityCreated, derived=True)
        events.listen(listeners.call_transcript_set, events.CallTranscriptSet, derived=True)
        events.listen(listeners.chat_ended, events.ConversationEnded, derived=True)
        events.listen(listeners.responses_received, events.ResponseReceived, derived=True)
        events.listen(listeners.case_updated, events.CaseUpdated)
