from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "caredesk.realtime"
    label = "realtime"
