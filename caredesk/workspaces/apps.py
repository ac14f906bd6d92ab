from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "caredesk.workspaces"
    default_auto_field = "django.db.models.BigAutoField"
