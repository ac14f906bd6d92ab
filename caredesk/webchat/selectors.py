"""Reads of the chat widget: which workspace a public chat address names, and the widget's
public configuration."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.core.i18n import supported
from caredesk.routing.models import Conversation, Queue
from caredesk.webchat.models import DEFAULT_GREETING, DEFAULT_LABELS, DEFAULT_TITLE, WidgetSettings
from caredesk.workspaces.models import Workspace


def workspace_for_chat(key: str) -> Workspace | None:
    """`org.workspace`, or a bare workspace slug when exactly one organization has a workspace
    with that slug (ambiguous or unknown: None)."""
    org_slug, dot, ws_slug = key.partition(".")
    qs = Workspace.objects.select_related("organization")
    if dot:
        if not org_slug or not ws_slug:
            return None
        return qs.filter(organization__slug=org_slug, slug=ws_slug).first()
    found = list(qs.filter(slug=key)[:2])
    return found[0] if len(found) == 1 else None


def widget_settings(workspace: Workspace) -> WidgetSettings:
    """The workspace's widget settings; an unsaved default row when it never set any."""
    found = WidgetSettings.objects.filter(workspace=workspace).first()
    return found or WidgetSettings(workspace=workspace)


def chat_key(workspace: Workspace) -> str:
    return f"{workspace.organization.slug}.{workspace.slug}"


def _builtin(text: str, default: str) -> str:
    # A built-in text left as it is speaks the customer's language; a workspace's own does not.
    return _(default) if text == default else text


def pre_chat_fields(
    workspace: Workspace, settings: WidgetSettings | None = None, language: str | None = None
) -> list[dict]:
    """The form's fields with their choices resolved: a `topic` select without options offers
    the workspace's queues (a topic equal to a queue's name routes the chat to that queue).
    With a `language`, each label is the field's label in it (its own, else the built-in
    one translated, else the default label) and `labels` is left out."""
    settings = settings or widget_settings(workspace)
    fields = []
    for field in settings.pre_chat_fields:
        field = {**field}
        if field["type"] == "select" and not field.get("options"):
            field["options"] = list(
                Queue.objects.filter(workspace=workspace)
                .order_by("name")
                .values_list("name", flat=True)
            )
        if language:
            own = field.pop("labels", {}).get(language)
            default = DEFAULT_LABELS.get(field["key"], "")
            with translation.override(language):
                field["label"] = own or _builtin(field["label"], default)
        fields.append(field)
    return fields


def conversation_language(workspace: Workspace, token) -> str:
    """What we know of the language of the customer of a conversation: its customer record's,
    else the one they chatted in ("" when unknown)."""
    found = (
        Conversation.objects.filter(workspace=workspace, public_token=token)
        .values_list("contact__language", "language")
        .first()
        if isinstance(token, str) and token
        else None
    )
    if not found:
        return ""
    return supported(found[0]) or supported(found[1]) or ""


def widget_config(workspace: Workspace, language: str = "en") -> dict | None:
    """What the widget script loads (public: nothing here is private), in the customer's
    `language`, or None when the workspace turned the widget off."""
    settings = widget_settings(workspace)
    if not settings.enabled:
        return None
    key = chat_key(workspace)
    own = settings.texts.get(language, {})
    with translation.override(language):
        title = own.get("title") or _builtin(settings.title, DEFAULT_TITLE)
        greeting = own.get("greeting") or _builtin(settings.greeting, DEFAULT_GREETING)
    return {
        "version": 1,
        "workspace": key,
        "language": language,
        # The widget's own words (django's JSONCatalog of the scripts' catalogue), and the
        # zone its times are shown in: the workspace's (docs/i18n.md).
        "catalogue": reverse("javascript_catalog_json", args=[language]),
        "time_zone": workspace.time_zone or "UTC",
        "title": title,
        "greeting": greeting,
        "fields": pre_chat_fields(workspace, settings, language),
        "socket": f"/ws/v1/chat/{key}/",
        # The public help center's search (the resources app): the widget offers its
        # articles before a chat when the workspace has public ones.
        "help": reverse("help_search_json", args=[key]),
    }
