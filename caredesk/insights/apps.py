from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "caredesk.insights"
    label = "insights"

    def ready(self):
        from caredesk.insights import listeners

        listeners.register()
