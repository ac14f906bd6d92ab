from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "caredesk.conversations"
    label = "conversations"
