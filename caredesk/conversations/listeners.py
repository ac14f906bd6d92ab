"""What arrives is queued for analysis after its commit (never in the request's own work:
a task per event). A chat is analysed once it has ended, not per message: its analysis is
of the whole conversation (start and end sentiment), and re-running it at every message
would cost a task per message on the chat's busiest path."""

from caredesk import events
from caredesk.analysis.models import Analysis, SourceKind
from caredesk.conversations import tasks
from caredesk.journey.models import MediaType

# A chat's activity is created empty when the chat starts; a call's when it rings (its
# transcript comes later, with call.transcript).
ON_CREATE = (MediaType.EMAIL, MediaType.WEB_FORM, MediaType.CALL)


def activity_created(event: events.ActivityCreated) -> None:
    if event.media_type in ON_CREATE:
        tasks.analyse_sources(SourceKind.ACTIVITY, [event.activity])


def call_transcript_set(event: events.CallTranscriptSet) -> None:
    tasks.analyse_sources(SourceKind.ACTIVITY, [event.activity])


def chat_ended(event: events.ConversationEnded) -> None:
    tasks.analyse_chat(event.conversation)


def responses_received(event: events.ResponseReceived) -> None:
    tasks.analyse_sources(SourceKind.RESPONSE, list(event.responses))


def case_updated(event: events.CaseUpdated) -> None:
    """A ticket moved to another segment: its activities' analyses follow it (the area
    rule of the Conversations tab reads the copy)."""
    Analysis.objects.filter(source=SourceKind.ACTIVITY, case_id=event.audience.case).exclude(
        segment_path=event.audience.segment_path
    ).update(segment_path=event.audience.segment_path)
