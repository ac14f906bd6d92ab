from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "caredesk.analysis"
    label = "analysis"
