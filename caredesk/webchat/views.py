"""Public pages of the chat widget (no login): the standalone chat page, a demo page that
embeds the widget as a site would, the widget's configuration and its words (the scripts'
catalogue as JSON). `key` is `org.workspace`, or a bare workspace slug that only one
organization uses."""

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET
from django.views.i18n import JSONCatalog

from caredesk.core.i18n import LANGUAGE_CHOICES, activate_for_customer, supported
from caredesk.webchat import selectors


def _enabled(request, key: str):
    """The workspace and the widget's config in the customer's language (`?lang=`, else the
    language the widget remembers of them, `?known=`, else their browser's, else the
    workspace's)."""
    workspace = selectors.workspace_for_chat(key)
    if workspace is None:
        return None, None
    language = activate_for_customer(request, workspace, request.GET.get("known"))
    return workspace, selectors.widget_config(workspace, language)


@require_GET
@xframe_options_exempt  # sites may frame it; it acts on nobody's session, so nothing to hijack
@csp_replace({"frame-ancestors": ["*"]})  # the same, for the Content-Security-Policy
def chat_page(request, key: str):
    workspace, config = _enabled(request, key)
    if config is None:
        raise Http404("No chat here")
    return render(
        request,
        "webchat/chat_page.html",
        {"workspace": workspace, "config": config, "chat_key": config["workspace"]},
    )


@require_GET
def demo_page(request, key: str):
    """A sample site with the widget embedded by its snippet, to try it as a customer would
    (Settings → Chat widget links here); its language links set `?lang=`."""
    workspace, config = _enabled(request, key)
    if config is None:
        raise Http404("No chat here")
    return render(
        request,
        "webchat/demo_page.html",
        {
            "workspace": workspace,
            "config": config,
            "chat_key": config["workspace"],
            "languages": LANGUAGE_CHOICES,
        },
    )


@require_GET
def widget_config(request, key: str):
    """Read by the widget script from any site, so any origin may read it (it holds nothing
    private); no cookies are involved."""
    _, config = _enabled(request, key)
    if config is None:
        response = JsonResponse({"detail": translation.gettext("No chat widget here.")}, status=404)
    else:
        response = JsonResponse(config)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def catalogue_json(request, lang: str):
    """The scripts' catalogue of one language as JSON, for the chat widget: it runs on other
    sites, where loading /jsi18n/<lang>/ as a script would define gettext on the host page
    (and a strict Content-Security-Policy may forbid it); JSON is read with fetch. Cached
    like the script, by anyone."""
    translation.activate(supported(lang) or settings.LANGUAGE_CODE)
    response = JSONCatalog.as_view(domain="djangojs")(request)
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
