from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "caredesk.insights"
    label = "insights"
