"""Keep the measures current: each domain event that can change a ticket's, a chat's or an
email's wait queues a task (after the commit) that measures it again."""

from caredesk import events
from caredesk.insights import tasks


def case_changed(event) -> None:
    # case.resolved follows a case.updated of the same change: that one is enough.
    tasks.measure_cases_task([event.audience.case])


def activity_created(event: events.ActivityCreated) -> None:
    tasks.measure_activity_task(event.activity)


def chat_message(event: events.ConversationMessage) -> None:
    # A system message (the bot's, "the agent joined") never starts nor answers a wait.
    if event.message.sender != "system":
        tasks.measure_conversation_task(event.conversation)


def register() -> None:
    events.listen(case_changed, events.CaseCreated, events.CaseUpdated, derived=True)
    events.listen(activity_created, events.ActivityCreated, derived=True)
    events.listen(chat_message, events.ConversationMessage, derived=True)
