"""Putting an article into an agent's reply: a short excerpt of it and, for a published public
article, its address on the help center; the insertion is recorded on the conversation's
activity (ArticleUse kind "inserted"). The agent still edits the text before sending it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import supported
from caredesk.core.markdown import markdown_text
from caredesk.journey.services import conversation_activity
from caredesk.resources.models import (
    Article,
    ArticleStatus,
    ArticleTranslation,
    ArticleUse,
    Audience,
    UseKind,
)
from caredesk.routing.models import Conversation, ConversationStatus
from caredesk.workspaces.access import Access

EXCERPT_CHARS = 300
_BLANK = re.compile(r"\n\s*\n")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_SPACES = re.compile(r"\s+")


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """The article's opening in plain words: its first paragraphs (headings left out) up to
    `limit` characters, cut between words with "…"."""
    parts: list[str] = []
    size = 0
    for block in _BLANK.split(body or ""):
        if not block.strip() or _HEADING.match(block):
            continue
        text = _SPACES.sub(" ", markdown_text(block)).strip()
        if not text:
            continue
        parts.append(text)
        size += len(text) + 1
        # A short opening line ("Good news:") is followed by the next paragraph.
        if size >= 80:
            break
    text = " ".join(parts)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def public_path(translation_row: ArticleTranslation, article: Article) -> str:
    """The help center's path of a published public article's translation, else ""."""
    if article.audience != Audience.PUBLIC or article.status != ArticleStatus.PUBLISHED:
        return ""
    ws = article.workspace
    return reverse("help_article", args=[f"{ws.organization.slug}.{ws.slug}", translation_row.slug])


@dataclass
class Insertion:
    article: Article
    translation: ArticleTranslation
    excerpt: str
    public_path: str
    use: ArticleUse

    def text(self, public_url: str = "") -> str:
        """The words put into the reply box: the excerpt, then the link (in the article's
        language, which is the customer's)."""
        if not public_url:
            return self.excerpt
        with translation.override(supported(self.translation.language) or "en"):
            more = _("Read more: %(url)s") % {"url": public_url}
        return f"{self.excerpt}\n\n{more}"


def _int(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldErrors.one(field, _("Give a number."))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise FieldErrors.one(field, _("Give a number.")) from None


def pick_article(access: Access, article_value, translation_value=None, language: str = ""):
    """(article, translation) an agent may insert: published, of this workspace. FieldErrors
    naming `article` / `translation` otherwise."""
    article_id = _int(article_value, "article")
    if article_id is None:
        raise FieldErrors.one("article", _("Choose an article."))
    article = (
        Article.objects.filter(workspace=access.workspace, pk=article_id)
        .select_related("workspace__organization")
        .first()
    )
    if article is None:
        raise FieldErrors.one("article", _("No such article in this workspace."))
    if article.status != ArticleStatus.PUBLISHED:
        raise FieldErrors.one("article", _("Only a published article can be inserted."))
    translations = {t.pk: t for t in article.translations.all()}
    translation_id = _int(translation_value, "translation")
    if translation_id is not None:
        chosen = translations.get(translation_id)
        if chosen is None:
            raise FieldErrors.one("translation", _("This article has no such translation."))
        return article, chosen
    by_language = {t.language: t for t in translations.values()}
    chosen = (
        by_language.get(supported(language) or "")
        or by_language.get(article.language)
        or next(iter(translations.values()), None)
    )
    if chosen is None:
        raise FieldErrors.one("article", _("This article has no text yet."))
    return article, chosen


def insert_article(
    *, access: Access, conversation: Conversation, article_value, translation_value=None
) -> Insertion:
    """Record that the conversation's agent inserted the article into a reply, and give the
    text to insert. `conversation` is one the caller sees (Conversation.visible_to)."""
    agent_user = conversation.agent.user_id if conversation.agent_id else None
    if agent_user != access.user.pk:
        raise FieldErrors.one(
            "conversation", _("Only the agent of this conversation writes in it.")
        )
    if conversation.status == ConversationStatus.ENDED:
        raise FieldErrors.one("conversation", _("This conversation has ended."))
    article, chosen = pick_article(access, article_value, translation_value, conversation.language)
    with transaction.atomic():
        activity = conversation_activity(conversation)
        use = ArticleUse.objects.create(
            workspace=access.workspace,
            article=article,
            translation=chosen,
            kind=UseKind.INSERTED,
            activity=activity,
            user=access.user,
        )
    return Insertion(article, chosen, excerpt(chosen.body), public_path(chosen, article), use)
