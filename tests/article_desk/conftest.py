"""Articles and chats for the desk's article tests, written straight into the models (the
resource center's own services are another part's), and chats through the routing services
as the widget and the desk make them."""

import json
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.text import slugify

from caredesk.journey import services as journey
from caredesk.resources.models import Article, ArticleTranslation, ArticleVersion
from caredesk.routing import services as routing
from caredesk.routing.models import Sender

DATA = json.loads((Path(__file__).parent / "relevance.json").read_text())


def make_article(
    workspace,
    translations: dict[str, tuple[str, str]],
    *,
    audience="public",
    status="published",
    key="",
):
    """translations: {language: (title, body)}; the first language is the article's own."""
    first = next(iter(translations))
    article = Article.objects.create(
        workspace=workspace,
        audience=audience,
        status=status,
        language=first,
        published_at=timezone.now() if status == "published" else None,
    )
    for language, (title, body) in translations.items():
        slug = slugify(f"{key or title}-{language}-{article.pk}", allow_unicode=True)[:200]
        t = ArticleTranslation.objects.create(
            article=article,
            workspace=workspace,
            language=language,
            title=title,
            body=body,
            slug=slug,
        )
        ArticleVersion.objects.create(translation=t, number=1, title=title, body=body)
    return article


def load_fixture_articles(workspace) -> dict[str, Article]:
    return {
        key: make_article(
            workspace,
            {lang: tuple(v) for lang, v in spec["t"].items()},
            audience=spec["audience"],
            key=key,
        )
        for key, spec in DATA["articles"].items()
    }


def agent_profile(world, user=None, workspace=None):
    workspace = workspace or world.support
    if not workspace.queues.filter(name="Orders").exists():
        routing.queue_create(workspace=workspace, name="Orders")
    agent = routing.agent_profile_set(workspace=workspace, user=user or world.agent, capacity=5)
    routing.agent_presence_set(agent=agent, presence="available")
    return agent


def start_chat(world, messages=(), *, language="", user=None, workspace=None):
    """A chat accepted by `user` (the support agent by default) where the customer wrote
    `messages`."""
    workspace = workspace or world.support
    agent = agent_profile(world, user, workspace)
    conversation = routing.conversation_start(
        workspace=workspace, pre_chat={"name": "Rita", "topic": "Orders"}, language=language
    )
    offer = routing.offer_next(conversation.pk)
    assert offer.agent_id == agent.pk
    conversation = routing.offer_accept(offer_id=offer.pk, agent=offer.agent)
    journey.conversation_activity(conversation)
    for i, body in enumerate(messages):
        say(conversation, body, f"c-{i}")
    conversation.refresh_from_db()
    return conversation


def say(conversation, body, client_id):
    routing.message_post(
        conversation=conversation, sender=Sender.CUSTOMER, client_id=client_id, body=body
    )


@pytest.fixture
def articles(world):
    return load_fixture_articles(world.support)
