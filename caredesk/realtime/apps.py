from django.apps import AppConfig

from caredesk import events


class RealtimeConfig(AppConfig):
    name = "caredesk.realtime"
    label = "realtime"

    def ready(self):
        from caredesk.realtime import fanout

        events.listen(fanout.case_changed, events.CaseCreated, events.CaseUpdated)
