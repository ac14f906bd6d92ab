from django.apps import AppConfig


class WebchatConfig(AppConfig):
    name = "caredesk.webchat"
    label = "webchat"
    verbose_name = "Chat widget"
