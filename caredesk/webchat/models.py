"""The chat widget's configuration, one row per workspace (absent: the defaults of
`caredesk.webchat.selectors.widget_settings`)."""

from django.db import models

from caredesk.workspaces.models import Workspace


def default_fields() -> list[dict]:
    # Nothing required until the workspace says so: API clients and scripts that start chats
    # without a survey keep working.
    return [
        {"key": "name", "label": "Your name", "type": "text", "required": False},
        {"key": "email", "label": "Email", "type": "email", "required": False},
    ]


class WidgetSettings(models.Model):
    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="widget_settings"
    )
    # Off: the chat page and the config endpoint answer 404, so the script shows nothing.
    enabled = models.BooleanField(default=True)
    title = models.CharField(max_length=100, default="Chat with us")
    greeting = models.CharField(max_length=500, default="Hi! How can we help you today?")
    # The pre-chat survey: [{key, label, type: text|email|select, required, options}], in
    # order; validated by services.widget_settings_set. An empty list skips the survey.
    pre_chat_fields = models.JSONField(default=default_fields, blank=True)

    class Meta:
        verbose_name = "chat widget settings"
        verbose_name_plural = "chat widget settings"

    def __str__(self):
        return f"Chat widget of {self.workspace}"
