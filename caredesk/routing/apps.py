from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "caredesk.routing"
    label = "routing"
    verbose_name = "Routing and live chat"
