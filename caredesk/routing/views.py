"""The Desk page (an agent's working screen) and the supervisors' live queue board.

The Desk is one server-rendered page; what is live on it (offers, tasks, the chat) comes over
the desk websocket and is drawn by static/caredesk/desk.js. The customer summary on the right
is caredesk.journey's `desk_summary` fragment, loaded by htmx when a chat is selected."""

from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from caredesk.routing import selectors, services
from caredesk.routing.models import AgentProfile, Presence
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view

TOKEN_SLOT = "__token__"
ACTIVITY_SLOT = "__activity__"


def _summary_url(slug: str) -> str:
    """The customer summary URL with a slot for the conversation token, or "" while the
    summary panel does not exist (the Desk then shows a placeholder)."""
    try:
        return reverse("desk_summary", args=[slug, TOKEN_SLOT])
    except NoReverseMatch:
        return ""


def _call_summary_url(slug: str) -> str:
    """The customer summary URL of a call (caredesk.voice), with a slot for its activity."""
    return reverse("desk_call_summary", args=[slug, 0]).replace("/0/", f"/{ACTIVITY_SLOT}/")


def _cases_context(access) -> dict:
    return {
        "open_cases": selectors.agent_open_cases(workspace=access.workspace, user=access.user),
        "can_open_cases": access.has(Perm.INBOX_ACCESS),
    }


@require_GET
@workspace_view(Perm.USE_CARE)
def desk(request, access):
    # The profile is created by the desk socket on connect; the page only reads it.
    agent = AgentProfile.objects.filter(workspace=access.workspace, user=access.user).first()
    context = {
        "presence": agent.presence if agent else Presence.OFFLINE,
        "capacity": agent.capacity if agent else AgentProfile._meta.get_field("capacity").default,
        "presence_choices": Presence.choices,
        "summary_url": _summary_url(access.workspace.slug),
        "call_summary_url": _call_summary_url(access.workspace.slug),
        "offer_timeout": services.offer_timeout_seconds(),
        **_cases_context(access),
    }
    return render_ws(request, access, "desk/desk.html", context, active="desk")


@require_GET
@workspace_view(Perm.USE_CARE)
def desk_cases(request, access):
    return render_ws(request, access, "desk/_cases.html", _cases_context(access))


@require_GET
@workspace_view(Perm.MANAGE_CARE)
def supervisor(request, access):
    context = {"board": selectors.supervisor_board(access.workspace)}
    return render_ws(request, access, "desk/supervisor.html", context, active="desk")


@require_GET
@workspace_view(Perm.MANAGE_CARE)
def supervisor_board(request, access):
    context = {"board": selectors.supervisor_board(access.workspace)}
    return render_ws(request, access, "desk/_supervisor_board.html", context)
