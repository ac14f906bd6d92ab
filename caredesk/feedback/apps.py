from django.apps import AppConfig

from caredesk import events


class FeedbackConfig(AppConfig):
    name = "caredesk.feedback"
    label = "feedback"

    def ready(self):
        from caredesk.feedback import services, timeline  # noqa: F401  (its timeline source)
        from caredesk.feedback.invitations import on_case_resolved

        # In the transaction: the rows they write commit with the change or not at all.
        events.listen(on_case_resolved, events.CaseResolved, in_transaction=True)
        events.listen(services.evaluation_pending, events.ResponseReceived, in_transaction=True)
        # After the commit: the evaluation's fast path (the sweep does what it misses). A bulk
        # writer inside `events.recomputing()` (the demo seeder) leaves its responses to the
        # sweep: one task at the worker's start instead of one per response ahead of all else.
        events.listen(services.evaluation_queue, events.ResponseReceived, derived=True)
