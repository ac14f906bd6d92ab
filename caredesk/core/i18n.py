"""Language and time zone of a request.

Staff: the user's own language, else a language of ours their browser asks for, else the
workspace's; the user's own time zone, else the workspace's. Customers (survey page, chat
widget, emails to them): `?lang=`, else what we know of the customer, else their browser's,
else the workspace's. The middleware settles what it can before the view (the user); the
workspace is only known once a view has resolved it, so workspace_view and the public views
finish the choice with `activate_for_workspace` / `activate_for_customer`.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.i18n import JavaScriptCatalog

LANGUAGE_CHOICES = [
    ("en", "English"),
    ("pt-br", "Português (Brasil)"),
    ("it", "Italiano"),
    ("bg", "Български"),
]
LANGUAGE_CODES = [code for code, _name in LANGUAGE_CHOICES]


def time_zone_validator(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s."), params={"zone": value})


def time_zone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(zoneinfo.available_timezones())]


def supported(code: str | None) -> str | None:
    """Our code for a language tag ("pt", "pt-PT", "pt_BR", "BG" …), or None."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in LANGUAGE_CODES:
        return code
    base = code.split("-")[0]
    if base == "pt":
        return "pt-br"
    return base if base in LANGUAGE_CODES else None


def browser_language(request) -> str | None:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for tag, _q in parse_accept_lang_header(header):
        found = supported(tag)
        if found:
            return found
    return None


def _activate(request, language: str, zone: str | None) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language
    if zone:
        timezone.activate(zoneinfo.ZoneInfo(zone))
        request.TIME_ZONE = zone
    else:
        timezone.deactivate()
        request.TIME_ZONE = settings.TIME_ZONE


def activate_for_workspace(request, workspace) -> None:
    user = getattr(request, "user", None)
    own_language = supported(getattr(user, "language", "")) if user else None
    language = own_language or browser_language(request) or supported(workspace.language) or "en"
    zone = (getattr(user, "time_zone", "") if user else "") or workspace.time_zone
    _activate(request, language, zone)


def activate_for_customer(request, workspace, *known: str | None) -> str:
    """For the customer's pages: `?lang=`, then what we know of them (a contact's or survey
    response's language, in the order given), then their browser, then the workspace."""
    language = (
        supported(request.GET.get("lang"))
        or next((found for found in map(supported, known) if found), None)
        or browser_language(request)
        or supported(workspace.language)
        or "en"
    )
    _activate(request, language, workspace.time_zone)
    return language


class LocaleMiddleware:
    """Activates the user's language (or the browser's) and time zone for the whole request;
    sets Content-Language and Vary like Django's LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        language = (
            (supported(user.language) if authenticated else None)
            or browser_language(request)
            or settings.LANGUAGE_CODE
        )
        _activate(request, language, user.time_zone if authenticated else None)
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        vary = response.headers.get("Vary", "")
        if "accept-language" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
        translation.deactivate()
        timezone.deactivate()
        return response


def javascript_catalog(request, lang: str):
    """The djangojs catalogue of one language, for the pages and for the chat widget on other
    sites (the language is in the address, so the answer can be cached by anyone)."""
    translation.activate(supported(lang) or settings.LANGUAGE_CODE)
    response = JavaScriptCatalog.as_view(domain="djangojs")(request)
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
