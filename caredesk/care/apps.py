from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "caredesk.care"
    label = "care"
