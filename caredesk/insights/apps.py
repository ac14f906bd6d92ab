from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "caredesk.insights"
    label = "insights"

    def ready(self):
        from caredesk.insights import listeners

        listeners.register()
        # The digest's periodic task: huey's Django integration imports only `tasks` modules.
        from caredesk.insights import digest_tasks  # noqa: F401
