from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "caredesk.home"
    label = "home"
