from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "caredesk.resources"
    label = "resources"
