from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "caredesk.journey"
    label = "journey"
    verbose_name = "Customer journey"

    def ready(self):
        from caredesk.journey import receivers  # noqa: F401
