"""The public help center (no login): the index of a workspace's public articles with a
search, each article's page, and the JSON the chat widget reads (a search and an article).

Only published public articles exist here; any other article, an unknown site or a
workspace of another organization answers 404 (caredesk.resources.help_center). The page's
words follow the visitor (`?lang=`, their browser, the workspace's language); an article is
shown in its translation in that language when it has one. The JSON answers any origin, as
the widget's other endpoints do (caredesk.webchat.views): they carry nothing private and no
cookies are read."""

from csp.decorators import csp_update
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import activate_for_customer, supported
from caredesk.core.limits import has_nul
from caredesk.core.markdown import render_markdown
from caredesk.resources import help_center as hc

MAX_AGE = 60
JSON_RESULTS = 8


def _site(site: str):
    workspace = hc.workspace_for_site(site)
    if workspace is None:
        raise Http404("No help center here")
    return workspace


def _cached(response, max_age: int = MAX_AGE):
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _query(request) -> str:
    q = request.GET.get("q", "")
    if len(q) > hc.MAX_QUERY:
        raise FieldErrors.one("q", _("q is at most %(max)s characters.") % {"max": hc.MAX_QUERY})
    if has_nul(q):
        raise FieldErrors.one("q", _("q may not contain NUL characters."))
    return " ".join(q.split())


def _article_url(request, site: str, slug: str) -> str:
    return request.build_absolute_uri(reverse("help_article", args=[site, slug]))


@require_GET
def help_center(request, site):
    workspace = _site(site)
    language = activate_for_customer(request, workspace)
    context = {"workspace": workspace, "site": site, "language": language, "q": ""}
    status = 200
    try:
        query = _query(request)
    except FieldErrors as e:
        query = ""
        context["error"] = e.errors["q"]
        status = 400
    if query:
        context.update(q=query, hits=hc.search(workspace, query, language))
    else:
        context.update(
            sections=hc.sections(workspace, language),
            popular=hc.most_viewed(workspace, language),
        )
    context["canonical"] = request.build_absolute_uri(reverse("help_center", args=[site]))
    response = render(request, "resources/public/index.html", context, status=status)
    return _cached(response) if status == 200 else response


@require_GET
@csp_update({"img-src": ["https:"]})  # articles show images by URL
def help_article(request, site, slug):
    workspace = _site(site)
    translation = hc.translation_by_slug(workspace, slug)
    if translation is None:
        raise Http404("No such article")
    language = activate_for_customer(request, workspace)
    article = translation.article
    others = list(article.translations.order_by("language"))
    original = next((t for t in others if t.language == article.language), translation)
    hc.record_view(translation)
    context = {
        "workspace": workspace,
        "site": site,
        "language": language,
        "translation": translation,
        "body": render_markdown(translation.body),
        "description": hc.summary(translation.body),
        "breadcrumb": hc.category_path(article.category, translation.language),
        "canonical": _article_url(request, site, translation.slug),
        "alternates": [
            {
                "translation": t,
                "hreflang": hc.hreflang(t.language),
                "name": hc.LANGUAGE_NAMES.get(t.language, t.language),
                "url": _article_url(request, site, t.slug),
            }
            for t in others
        ],
        "default_url": _article_url(request, site, original.slug),
        "article_lang": hc.hreflang(translation.language),
    }
    return _cached(render(request, "resources/public/article.html", context))


def _json_error(exc: FieldErrors):
    detail = "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
    return _cors(JsonResponse({"detail": detail, "errors": exc.errors}, status=400))


@require_GET
def help_search_json(request, site):
    """The widget's search: `q` (words; empty: the most viewed articles), `lang` (a language
    of ours; default: the visitor's browser, else the workspace's)."""
    workspace = hc.workspace_for_site(site)
    if workspace is None:
        return _cors(JsonResponse({"detail": _("No help center here.")}, status=404))
    try:
        query = _query(request)
        lang = request.GET.get("lang", "")
        if lang and supported(lang) is None:
            raise FieldErrors.one("lang", _("lang is one of en, pt-br, it, bg."))
    except FieldErrors as e:
        return _json_error(e)
    language = activate_for_customer(request, workspace)
    if query:
        results = [
            {
                "title": h.title,
                "snippet": hc.plain(h.snippet),
                "language": h.language,
                "url": _article_url(request, site, h.slug),
                "article": request.build_absolute_uri(
                    reverse("help_article_json", args=[site, h.slug])
                ),
            }
            for h in hc.search(workspace, query, language, limit=JSON_RESULTS)
        ]
    else:
        results = [
            {
                "title": e.translation.title,
                "snippet": e.summary,
                "language": e.translation.language,
                "url": _article_url(request, site, e.translation.slug),
                "article": request.build_absolute_uri(
                    reverse("help_article_json", args=[site, e.translation.slug])
                ),
            }
            for e in hc.most_viewed(workspace, language)
            or hc.entries(workspace, language)[:JSON_RESULTS]
        ]
    body = {"query": query, "language": language, "results": results}
    return _cors(_cached(JsonResponse(body)))


@require_GET
def help_article_json(request, site, slug):
    """One article for the widget to show: its title and body as safe HTML. A view."""
    workspace = hc.workspace_for_site(site)
    translation = hc.translation_by_slug(workspace, slug) if workspace else None
    if translation is None:
        return _cors(JsonResponse({"detail": _("No such article.")}, status=404))
    hc.record_view(translation)
    body = {
        "title": translation.title,
        "language": translation.language,
        "html": str(render_markdown(translation.body)),
        "url": _article_url(request, site, translation.slug),
    }
    # Not cached: each opening is a view counted.
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return _cors(response)
