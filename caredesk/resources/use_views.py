"""Articles around the customers, in the desk: the suggestions for the conversation being
answered, the `/` quick search of the reply box, inserting an article into a reply, the
articles used in an activity, and each article's effectiveness.

The desk (caredesk.routing, static/caredesk/desk_articles.js) reaches these by URL only; a
conversation is named by its token, as on the desk socket and in the API."""

import json

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.journey.models import Activity
from caredesk.resources import effectiveness as eff
from caredesk.resources import insert, suggest
from caredesk.resources.models import Article, ArticleUse, UseKind
from caredesk.resources.search import article_search
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view

QUICK_LIMIT = 8


def _invalid(errors: dict) -> JsonResponse:
    detail = "; ".join(f"{k}: {v}" for k, v in errors.items())
    return JsonResponse({"detail": detail, "errors": errors}, status=INVALID)


@require_GET
@workspace_view(Perm.USE_CARE)
def resource_suggest(request, access):
    """The desk panel's suggestions for ?conversation=<token> (an HTML fragment)."""
    conversation = suggest.visible_conversation(access, request.GET.get("conversation", ""))
    query, found = suggest.suggest(conversation)
    activity = Activity.objects.filter(conversation=conversation).first()
    suggest.record_suggested(activity=activity, suggestions=found, user=access.user)
    for s in found:
        s.public_url = request.build_absolute_uri(s.public_path) if s.public_path else ""
    context = {
        "query": query,
        "suggestions": found,
        "conversation": conversation,
        "can_insert": conversation.agent_id and conversation.agent.user_id == access.user.pk,
    }
    return render_ws(request, access, "resources/_suggestions.html", context)


@require_GET
@workspace_view(Perm.USE_CARE)
def resource_quick_search(request, access):
    """The reply box's `/` search: published articles of both audiences matching ?q=."""
    q = request.GET.get("q", "").strip()[:200]
    if not q:
        return JsonResponse({"items": []})
    hits = article_search(
        workspace_id=access.workspace.pk, query=q, public=False, limit=QUICK_LIMIT * 2
    )
    seen, items = set(), []
    for h in hits:
        if h.article_id in seen:
            continue
        seen.add(h.article_id)
        items.append(
            {
                "article": h.article_id,
                "translation": h.translation_id,
                "title": h.title,
                "snippet": h.snippet,
                "language": h.language,
                "audience": h.audience,
            }
        )
    return JsonResponse({"items": items[:QUICK_LIMIT]})


@require_POST
@workspace_view(Perm.USE_CARE)
def resource_insert(request, access):
    """Insert an article into the reply of ?conversation=: records the use, answers the text
    (excerpt and, for a public article, its link) as JSON."""
    data = request.POST
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return _invalid({"body": _("Send JSON.")})
        if not isinstance(data, dict):
            return _invalid({"body": _("Send a JSON object.")})
    conversation = suggest.visible_conversation(access, str(data.get("conversation") or ""))
    try:
        done = insert.insert_article(
            access=access,
            conversation=conversation,
            article_value=data.get("article"),
            translation_value=data.get("translation"),
        )
    except FieldErrors as exc:
        return _invalid(exc.errors)
    url = request.build_absolute_uri(done.public_path) if done.public_path else ""
    return JsonResponse(
        {
            "use": done.use.pk,
            "article": done.article.pk,
            "translation": done.translation.pk,
            "title": done.translation.title,
            "excerpt": done.excerpt,
            "public_url": url,
            "text": done.text(url),
        },
        status=201,
    )


@require_GET
@workspace_view(Perm.USE_CARE)
def activity_articles(request, access, activity):
    """The articles inserted into an activity's replies (its details dialog loads it)."""
    found = get_object_or_404(Activity.objects.visible_to(access), pk=activity)
    uses = (
        ArticleUse.objects.filter(activity=found, kind=UseKind.INSERTED)
        .select_related("translation", "user", "article")
        .order_by("at", "pk")
    )
    return render_ws(request, access, "resources/_activity_articles.html", {"uses": uses})


def _days(value) -> int:
    if value in (None, ""):
        return eff.DEFAULT_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise FieldErrors.one("days", _("Give a number of days.")) from None
    if not 1 <= days <= eff.MAX_DAYS:
        raise FieldErrors.one("days", _("Between 1 and %(max)s days.") % {"max": eff.MAX_DAYS})
    return days


@require_GET
@workspace_view(Perm.MANAGE_RESOURCES)
def article_effectiveness(request, access, article):
    """An article's effectiveness figures (an HTML fragment; ?days=, 90 by default)."""
    found = get_object_or_404(Article.objects.filter(workspace=access.workspace), pk=article)
    try:
        days = _days(request.GET.get("days"))
    except FieldErrors as exc:
        return render_ws(
            request, access, "resources/_effectiveness_figures.html",
            {"article": found, "errors": exc.errors, "days": eff.DEFAULT_DAYS}, status=INVALID,
        )  # fmt: skip
    figures = eff.article_effectiveness(found, days=days)
    context = {
        "article": found,
        "e": figures,
        "days": days,
        "day_choices": (30, 90, 365),
        "fcr": [figures.fcr_with, figures.fcr_without],
        "csat": [figures.csat_with, figures.csat_without],
        "small": eff.SMALL_SAMPLE,
    }
    return render_ws(request, access, "resources/_effectiveness_figures.html", context)
