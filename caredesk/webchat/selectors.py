"""Reads of the chat widget: which workspace a public chat address names, and the widget's
public configuration."""

from caredesk.routing.models import Queue
from caredesk.webchat.models import WidgetSettings
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


def pre_chat_fields(workspace: Workspace, settings: WidgetSettings | None = None) -> list[dict]:
    """The survey fields with their choices resolved: a `topic` select without options offers
    the workspace's queues (a topic equal to a queue's name routes the chat to that queue)."""
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
        fields.append(field)
    return fields


def widget_config(workspace: Workspace) -> dict | None:
    """What the widget script loads (public: nothing here is private), or None when the
    workspace turned the widget off."""
    settings = widget_settings(workspace)
    if not settings.enabled:
        return None
    key = chat_key(workspace)
    return {
        "version": 1,
        "workspace": key,
        "title": settings.title,
        "greeting": settings.greeting,
        "fields": pre_chat_fields(workspace, settings),
        "socket": f"/ws/v1/chat/{key}/",
    }
