from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "caredesk.realtime"
    label = "realtime"

    def ready(self):
        from caredesk import events
        from caredesk.realtime import fanout

        events.listen(fanout.case_changed, events.CaseCreated, events.CaseUpdated)
