"""The chat widget's configuration, one row per workspace (absent: the defaults of
`caredesk.webchat.selectors.widget_settings`)."""

from django.db import models
from django.utils.translation import gettext_noop

from caredesk.workspaces.models import Workspace

# The built-in texts. Stored in English; a customer is shown them in their own language
# (selectors.widget_config), unless the workspace wrote a text of its own for it.
DEFAULT_TITLE = gettext_noop("Chat with us")
DEFAULT_GREETING = gettext_noop("Hi! How can we help you today?")
DEFAULT_LABELS = {"name": gettext_noop("Your name"), "email": gettext_noop("Email")}


def default_fields() -> list[dict]:
    # Nothing required until the workspace says so: API clients and scripts that start chats
    # without a survey keep working.
    return [
        {"key": "name", "label": DEFAULT_LABELS["name"], "type": "text", "required": False},
        {"key": "email", "label": DEFAULT_LABELS["email"], "type": "email", "required": False},
    ]


class WidgetSettings(models.Model):
    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="widget_settings"
    )
    # Off: the chat page and the config endpoint answer 404, so the script shows nothing.
    enabled = models.BooleanField(default=True)
    # Title and greeting for every language without a text of its own in `texts`.
    title = models.CharField(max_length=100, default=DEFAULT_TITLE)
    greeting = models.CharField(max_length=500, default=DEFAULT_GREETING)
    # Per language (a code of core.i18n.LANGUAGE_CODES): {"it": {"title": …, "greeting": …}};
    # a missing or blank text falls back to the one above.
    texts = models.JSONField(default=dict, blank=True)
    # The pre-chat form: [{key, label, labels: {lang: label}, type: text|email|select,
    # required, options}], in order; validated by services.widget_settings_set. An empty
    # list skips the form.
    pre_chat_fields = models.JSONField(default=default_fields, blank=True)

    class Meta:
        verbose_name = "chat widget settings"
        verbose_name_plural = "chat widget settings"

    def __str__(self):
        return f"Chat widget of {self.workspace}"
