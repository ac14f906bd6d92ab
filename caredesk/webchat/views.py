"""Public pages of the chat widget (no login): the standalone chat page and the widget's
configuration. `key` is `org.workspace`, or a bare workspace slug that only one
organization uses."""

from csp.decorators import csp_replace
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from caredesk.webchat import selectors


def _enabled(key: str):
    workspace = selectors.workspace_for_chat(key)
    config = selectors.widget_config(workspace) if workspace is not None else None
    return workspace, config


@require_GET
@xframe_options_exempt  # sites may frame it; it acts on nobody's session, so nothing to hijack
@csp_replace({"frame-ancestors": ["*"]})  # the same, for the Content-Security-Policy
def chat_page(request, key: str):
    workspace, config = _enabled(key)
    if config is None:
        raise Http404("No chat here")
    return render(
        request,
        "webchat/chat_page.html",
        {"workspace": workspace, "config": config, "chat_key": config["workspace"]},
    )


@require_GET
def widget_config(request, key: str):
    """Read by the widget script from any site, so any origin may read it (it holds nothing
    private); no cookies are involved."""
    _, config = _enabled(key)
    if config is None:
        response = JsonResponse({"detail": "No chat widget here."}, status=404)
    else:
        response = JsonResponse(config)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=60"
    return response
