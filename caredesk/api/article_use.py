"""Articles around the customers over REST: the suggestions for a conversation (as the desk
shows them), recording that an agent inserted an article into a reply, and an article's
effectiveness. A conversation is named by its token, as in api/desk.py, and follows the same
rule (its agent, an agent it is offered to, supervisors); 404 for the others."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Id, In
from caredesk.journey.models import Activity
from caredesk.resources import effectiveness as eff
from caredesk.resources import insert, suggest
from caredesk.resources.models import Article
from caredesk.workspaces.permissions import Perm

router = Router(tags=["articles"])

WS = "/workspaces/{workspace}"


class ArticleSuggestionOut(Schema):
    article: int
    translation: int
    title: str
    snippet: str = Field(description="Plain text around the first match")
    language: str
    audience: str
    score: float = Field(description="Higher is better; only comparable within one answer")
    terms: list[str] = Field(description="The keywords and topics that found it")
    public_url: str = Field(description="Its help center address when public; else empty")


class ArticleSuggestionQueryOut(Schema):
    language: str = Field(description="The articles' language searched; empty: any")
    keywords: list[str]
    topics: list[str]


class ArticleSuggestionsOut(Schema):
    query: ArticleSuggestionQueryOut
    items: list[ArticleSuggestionOut]


class ArticleUseIn(In):
    article: Id
    translation: Id | None = Field(
        None, description="The translation inserted; default: the conversation's language"
    )


class ArticleUseOut(Schema):
    id: int
    article: int
    translation: int
    kind: str
    activity: int
    at: dt.datetime
    excerpt: str
    public_url: str
    text: str = Field(description="What goes into the reply: the excerpt and the public link")


class ArticleEffectivenessShareOut(Schema):
    n: int = Field(description="Rows measured (resolved tickets, scored responses)")
    k: int = Field(description="Of them, the good ones (resolved at first contact, CSAT 4–5)")
    percent: float | None = Field(description="100·k/n; null when n is 0")


class ArticleEffectivenessOut(Schema):
    article: int
    since: dt.datetime
    until: dt.datetime
    days: int
    suggested: int = Field(description="Conversations it was suggested in")
    inserted: int = Field(description="Insertions into replies")
    viewed: int = Field(description="Views on the public help center")
    conversations_with: int
    conversations_without: int
    fcr_with: ArticleEffectivenessShareOut
    fcr_without: ArticleEffectivenessShareOut
    csat_with: ArticleEffectivenessShareOut
    csat_without: ArticleEffectivenessShareOut


class ArticleEffectivenessQuery(Schema):
    days: int = Field(eff.DEFAULT_DAYS, ge=1, le=eff.MAX_DAYS, description="The period, to now")


def _share(s: eff.Share) -> dict:
    return {"n": s.n, "k": s.k, "percent": s.percent}


@router.get(
    f"{WS}/conversations/{{token}}/article-suggestions",
    response={200: ArticleSuggestionsOut, **ERRORS},
    summary="The articles suggested for a conversation (as the desk shows them)",
    description="Built from the customer's last messages and the conversation's topics. "
    "Records each article as suggested in the conversation (once per article).",
)
def article_suggestions(request, workspace: str, token: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    conversation = suggest.visible_conversation(access, token)
    query, found = suggest.suggest(conversation)
    activity = Activity.objects.filter(conversation=conversation).first()
    suggest.record_suggested(activity=activity, suggestions=found, user=access.user)
    return {
        "query": {"language": query.language, "keywords": query.keywords, "topics": query.topics},
        "items": [
            {
                "article": s.article_id,
                "translation": s.translation_id,
                "title": s.title,
                "snippet": s.snippet,
                "language": s.language,
                "audience": s.audience,
                "score": s.score,
                "terms": s.terms,
                "public_url": request.build_absolute_uri(s.public_path) if s.public_path else "",
            }
            for s in found
        ],
    }


@router.post(
    f"{WS}/conversations/{{token}}/article-uses",
    response={201: ArticleUseOut, **ERRORS},
    summary="Record that the conversation's agent inserted an article into a reply",
    description="Only the conversation's agent, while it is in progress; the article must be "
    "published in this workspace. Answers the text to insert.",
)
def article_use_create(request, workspace: str, token: str, payload: ArticleUseIn):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    conversation = suggest.visible_conversation(access, token)
    done = insert.insert_article(
        access=access,
        conversation=conversation,
        article_value=payload.article,
        translation_value=payload.translation,
    )
    url = request.build_absolute_uri(done.public_path) if done.public_path else ""
    return Status(
        201,
        {
            "id": done.use.pk,
            "article": done.article.pk,
            "translation": done.translation.pk,
            "kind": done.use.kind,
            "activity": done.use.activity_id,
            "at": done.use.at,
            "excerpt": done.excerpt,
            "public_url": url,
            "text": done.text(url),
        },
    )


@router.get(
    f"{WS}/articles/{{article_id}}/effectiveness",
    response={200: ArticleEffectivenessOut, **ERRORS},
    summary="An article's effectiveness (manage_resources)",
    description="Suggested, inserted and viewed counts over the period, and the first contact "
    "resolution and CSAT of the conversations it was inserted in against the others "
    "(definitions: docs/resources.md, Effectiveness).",
)
def article_effectiveness(
    request, workspace: str, article_id: int, params: Query[ArticleEffectivenessQuery]
):
    access = api_access(request, workspace, require=Perm.MANAGE_RESOURCES)
    in_range = 0 < article_id <= 2**63 - 1
    article = (
        Article.objects.filter(workspace=access.workspace, pk=article_id).first()
        if in_range
        else None
    )
    if article is None:
        raise Http404(_("No such article"))
    e = eff.article_effectiveness(article, days=params.days)
    return {
        "article": e.article_id,
        "since": e.since,
        "until": e.until,
        "days": e.days,
        "suggested": e.suggested,
        "inserted": e.inserted,
        "viewed": e.viewed,
        "conversations_with": e.conversations_with,
        "conversations_without": e.conversations_without,
        "fcr_with": _share(e.fcr_with),
        "fcr_without": _share(e.fcr_without),
        "csat_with": _share(e.csat_with),
        "csat_without": _share(e.csat_without),
    }
