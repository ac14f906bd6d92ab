from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "caredesk.quality"
    label = "quality"

    def ready(self):
        # The worker discovers `tasks` modules only; the review queue's sampling has its own.
        from caredesk.quality import marks, sampling_tasks  # noqa: F401  (marks: journey's badges)
