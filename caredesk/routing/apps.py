from django.apps import AppConfig

from caredesk import events


class RoutingConfig(AppConfig):
    name = "caredesk.routing"
    label = "routing"
    verbose_name = "Routing and live chat"

    def ready(self):
        from caredesk.routing import fanout

        events.listen(fanout.to_conversation, *fanout.TO_CONVERSATION)
        events.listen(fanout.to_agent, *fanout.TO_AGENT)
