"""Articles for the help center's tests, made with the models (one translation and its
first version each)."""

import pytest

from caredesk.resources.models import (
    Article,
    ArticleStatus,
    ArticleTranslation,
    ArticleVersion,
    Audience,
    Category,
)


def make_article(
    workspace,
    title,
    body="",
    *,
    slug=None,
    language="en",
    audience=Audience.PUBLIC,
    status=ArticleStatus.PUBLISHED,
    category=None,
    translations=(),
):
    """An article in `language`, plus `translations`: (language, title, body, slug)."""
    article = Article.objects.create(
        workspace=workspace,
        audience=audience,
        status=status,
        language=language,
        category=category,
    )
    for lang, t_title, t_body, t_slug in [(language, title, body, slug), *translations]:
        t = ArticleTranslation.objects.create(
            article=article,
            workspace=workspace,
            language=lang,
            title=t_title,
            body=t_body,
            slug=t_slug or t_title.lower().replace(" ", "-"),
        )
        ArticleVersion.objects.create(translation=t, number=1, title=t_title, body=t_body)
    return article


@pytest.fixture
def articles(world):
    """Acme support's help center: public published articles in two categories (one with a
    Portuguese translation), and the articles that must never show publicly."""
    w = world
    orders = Category.objects.create(workspace=w.support, name="Orders", names={"pt-br": "Pedidos"})
    deliveries = Category.objects.create(workspace=w.support, name="Deliveries", position=1)
    w.refunds = make_article(
        w.support,
        "How refunds work",
        "Refunds reach your card in **5 days**.\n\n![Card](https://img.example.com/card.png)",
        slug="refunds",
        category=orders,
        translations=[
            ("pt-br", "Como funcionam os reembolsos", "Reembolsos em 5 dias.", "reembolsos")
        ],
    )
    w.tracking = make_article(
        w.support,
        "Track your delivery",
        "Use the tracking link.",
        slug="tracking",
        category=deliveries,
    )
    w.internal = make_article(
        w.support,
        "Refunds override SECRET",
        "Agents only.",
        slug="override",
        audience=Audience.INTERNAL,
    )
    w.draft = make_article(
        w.support,
        "Refunds draft SECRET",
        "Not yet.",
        slug="draft-refunds",
        status=ArticleStatus.DRAFT,
    )
    w.archived = make_article(
        w.support,
        "Refunds archived SECRET",
        "Old.",
        slug="old-refunds",
        status=ArticleStatus.ARCHIVED,
    )
    w.sales_article = make_article(
        w.sales, "Refunds of sales SECRET", "Other workspace.", slug="sales-refunds"
    )
    return w


# The customer's site for the widget's browser test (another origin).
from tests.widget.conftest import other_site  # noqa: E402, F401
