"""Articles for the conversation an agent is answering: the desk's suggestions.

The query is built from what the customer wrote last (their last `LAST_MESSAGES` messages)
and from the conversation's topics (the stored analysis of its activity, when it has one,
and the workspace's topics matched live on the customer's words, since a chat in progress is
usually not analysed yet):

- keywords: the customer's words without stop-words (YAKE's lists, which analysis uses) and
  chat fillers, at least 3 letters, not numbers; a word whose lemma is a shorter form of it
  ("refunded" → "refund") is searched by that stem, so an inflected word still finds the
  article. The most frequent first, then the most recent; at most MAX_KEYWORDS.
- topics: each topic's name in the conversation's language.

`article_search` is called once per keyword and once per topic (a single word or name per
query, so it works the same with the plain substring search and with the full-text index),
and the results are merged: an article's score is the sum, over the terms that found it, of
the term's weight — log(1 + LIMIT / hits), rarer terms weigh more — doubled for a topic, and
half as much again when the term is in the article's title. Best first; each article once,
in the conversation's language when it has that translation."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from caredesk.analysis.engine import Taxonomy
from caredesk.analysis.keyphrases import _stopwords
from caredesk.analysis.language import detect_language
from caredesk.analysis.models import Analysis, AnalysisTopic, SourceKind, Topic
from caredesk.analysis.text import fold, lemma, lemmas, words
from caredesk.core.i18n import supported
from caredesk.journey.models import Activity
from caredesk.resources.models import ArticleStatus, ArticleUse, Audience, UseKind
from caredesk.resources.search import ArticleHit, article_search
from caredesk.routing.models import Conversation, Sender

LAST_MESSAGES = 3
MAX_KEYWORDS = 8
# Hits asked of the search per term; a term that fills it is a common word.
LIMIT = 30
TOP = 5
TOPIC_WEIGHT = 2.0
TITLE_BONUS = 1.5

# What customers write around their question, in every language we analyse.
FILLERS = frozenset(
    fold(w)
    for w in (
        "hello hi hey thanks thank please regards help need want could would problem issue "
        "olá ola oi bom dia boa tarde obrigado obrigada por favor ajuda preciso quero problema "
        "ciao buongiorno buonasera grazie prego aiuto bisogno vorrei problema salve "
        "здравейте здравей здрасти благодаря моля помощ искам проблем добър ден"
    ).split()
)


@dataclass
class Suggestion:
    article_id: int
    translation_id: int
    title: str
    snippet: str
    snippet_html: str
    language: str
    audience: str
    score: float
    status: str = ""
    slug: str = ""
    terms: list[str] = field(default_factory=list)
    # The public help center's path of a published public article, else "".
    public_path: str = ""
    public_url: str = ""  # the same, absolute (set by the view or the API)


@dataclass
class Query:
    """What the suggestions were searched with (shown to the agent, and in tests)."""

    language: str  # an article language code, or "" (any)
    keywords: list[str]
    topics: list[str]


def visible_conversation(access, token: str) -> Conversation:
    """The conversation of this token the caller sees (the desk's rule), else 404."""
    conversation = (
        Conversation.objects.visible_to(access)
        .filter(public_token=token or "")
        .select_related("workspace__organization", "agent")
        .first()
    )
    if conversation is None:
        raise Http404(_("No such conversation"))
    return conversation


# --- the query ------------------------------------------------------------------------------


def customer_texts(conversation: Conversation, last: int = LAST_MESSAGES) -> list[str]:
    """The customer's last messages, oldest first."""
    rows = list(
        conversation.messages.filter(sender=Sender.CUSTOMER)
        .order_by("-id")
        .values_list("body", flat=True)[:last]
    )
    return rows[::-1]


def _stem(surface: str, language: str) -> str:
    """The word, or its lemma's common start with it when that is shorter and still a word of
    4 letters or more ("delivered" → "deliver", "rimborsi" → "rimbors")."""
    root = lemma(surface, language)
    folded = fold(surface)
    size = 0
    for a, b in zip(folded, root, strict=False):
        if a != b:
            break
        size += 1
    return surface[:size] if 4 <= size < len(surface) else surface


def keywords(texts: list[str], language: str, top: int = MAX_KEYWORDS) -> list[str]:
    """The search terms of the customer's texts (see the module's docstring)."""
    stop = _stopwords(language or "en") | FILLERS
    counts: Counter[str] = Counter()
    last_seen: dict[str, int] = {}
    surface_of: dict[str, str] = {}
    order = 0
    for text in texts:
        for start, end, word in words(fold(text), language):
            order += 1
            if len(word) < 3 or word.isdigit() or word in stop or any(c.isdigit() for c in word):
                continue
            counts[word] += 1
            last_seen[word] = order
            surface_of.setdefault(word, text[start:end].lower())
    ranked = sorted(counts, key=lambda w: (-counts[w], -last_seen[w]))
    terms: list[str] = []
    for word in ranked:
        term = _stem(surface_of[word], language)
        if term not in terms:
            terms.append(term)
        if len(terms) >= top:
            break
    return terms


def _topic_name(topic: Topic, language: str) -> str:
    names = topic.names or {}
    return names.get(language) or names.get(language[:2]) or topic.name


def conversation_topics(
    conversation: Conversation, activity: Activity | None, texts: list[str], language: str
) -> list[Topic]:
    """The topics of the conversation: those its activity's analysis found, and those the
    workspace's taxonomy finds in the customer's last messages now."""
    found: dict[int, None] = {}
    if activity is not None:
        analysis = Analysis.objects.filter(
            source=SourceKind.ACTIVITY, source_id=activity.pk, workspace_id=activity.workspace_id
        ).first()
        if analysis is not None:
            for topic_id in AnalysisTopic.objects.filter(analysis=analysis).values_list(
                "topic_id", flat=True
            ):
                found[topic_id] = None
    topics = list(Topic.objects.filter(workspace_id=conversation.workspace_id, is_active=True))
    if topics and texts:
        taxonomy = Taxonomy.from_topics(topics)
        text = "\n".join(texts)
        tokens = words(fold(text), language)
        for hit in taxonomy.matcher.find(tokens, lemmas(tokens, language, text), language):
            found[hit.key] = None
    by_id = {t.pk: t for t in topics}
    return [by_id[i] for i in found if i in by_id]


def article_language(conversation: Conversation, texts: list[str]) -> tuple[str, str]:
    """(the article language code to search in or "", the analysis language of the texts)."""
    hint = (conversation.language or "")[:2].lower()
    spoken = detect_language("\n".join(texts), hint=hint) or hint
    return supported(conversation.language) or supported(spoken) or "", spoken or "en"


# --- the search -----------------------------------------------------------------------------


def _merge(results: list[tuple[str, float, list[ArticleHit]]], language: str, top: int):
    best: dict[int, Suggestion] = {}
    for term, weight, hits in results:
        if not hits:
            continue
        idf = weight * math.log(1 + LIMIT / len({h.article_id for h in hits}))
        folded_term = fold(term)
        for hit in hits:
            gain = idf * (TITLE_BONUS if folded_term in fold(hit.title) else 1.0)
            s = best.get(hit.article_id)
            if s is None:
                s = best[hit.article_id] = Suggestion(
                    article_id=hit.article_id,
                    translation_id=hit.translation_id,
                    title=hit.title,
                    snippet=hit.snippet,
                    snippet_html=hit.snippet_html,
                    language=hit.language,
                    audience=hit.audience,
                    score=0.0,
                    status=hit.status,
                    slug=hit.slug,
                )
            elif s.language != language and hit.language == language:
                s.translation_id, s.title, s.language = hit.translation_id, hit.title, language
                s.snippet, s.snippet_html, s.slug = hit.snippet, hit.snippet_html, hit.slug
            if term not in s.terms:
                s.terms.append(term)
                s.score += gain
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.article_id))[:top]
    for s in ranked:
        s.score = round(s.score, 3)
    return ranked


def search_terms(
    *, workspace_id: int, language: str, terms: list[str], topics: list[str], top: int = TOP
) -> list[Suggestion]:
    results = []
    lang = language or None
    for term in terms:
        hits = article_search(
            workspace_id=workspace_id, query=term, public=False, language=lang, limit=LIMIT
        )
        results.append((term, 1.0, hits))
    for name in topics:
        hits = article_search(
            workspace_id=workspace_id, query=name, public=False, language=lang, limit=LIMIT
        )
        results.append((name, TOPIC_WEIGHT, hits))
    return _merge(results, language, top)


def with_public_paths(suggestions: list[Suggestion], workspace) -> list[Suggestion]:
    site = f"{workspace.organization.slug}.{workspace.slug}"
    for s in suggestions:
        if s.audience == Audience.PUBLIC and s.status == ArticleStatus.PUBLISHED:
            s.public_path = reverse("help_article", args=[site, s.slug])
    return suggestions


def suggest(conversation: Conversation, top: int = TOP) -> tuple[Query, list[Suggestion]]:
    """The articles to suggest for this conversation now, best first, and the query."""
    texts = customer_texts(conversation)
    language, spoken = article_language(conversation, texts)
    activity = Activity.objects.filter(conversation=conversation).first()
    terms = keywords(texts, spoken)
    topics = [
        _topic_name(t, language or spoken)
        for t in conversation_topics(conversation, activity, texts, spoken)
    ]
    found = search_terms(
        workspace_id=conversation.workspace_id,
        language=language,
        terms=terms,
        topics=topics,
        top=top,
    )
    return Query(language, terms, topics), with_public_paths(found, conversation.workspace)


def record_suggested(*, activity: Activity | None, suggestions: list[Suggestion], user) -> int:
    """One `suggested` use per (article, activity): the articles shown again as the chat goes
    on are not counted twice. Returns how many were recorded now."""
    if activity is None or not suggestions:
        return 0
    ids = {s.article_id for s in suggestions}
    with transaction.atomic():
        known = set(
            ArticleUse.objects.filter(
                activity=activity, kind=UseKind.SUGGESTED, article_id__in=ids
            ).values_list("article_id", flat=True)
        )
        new = [
            ArticleUse(
                workspace_id=activity.workspace_id,
                article_id=s.article_id,
                translation_id=s.translation_id,
                kind=UseKind.SUGGESTED,
                activity=activity,
                user=user,
            )
            for s in suggestions
            if s.article_id not in known
        ]
        ArticleUse.objects.bulk_create(new)
    return len(new)
