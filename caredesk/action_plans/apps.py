from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "caredesk.action_plans"
    label = "action_plans"
