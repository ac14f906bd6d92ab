"""Articles written straight into the tables (the search must follow every write path, not
only the resource center's services)."""

import itertools

import pytest

from caredesk.resources.models import Article, ArticleTranslation, Category

_slugs = itertools.count(1)


def article(
    workspace,
    title,
    body="",
    *,
    language="en",
    status="published",
    audience="internal",
    category=None,
    translations=(),
):
    """An article and its translations: (language, title, body) each."""
    a = Article.objects.create(
        workspace=workspace,
        language=language,
        status=status,
        audience=audience,
        category=category,
    )
    for lang, t, b in [(language, title, body), *translations]:
        ArticleTranslation.objects.create(
            article=a,
            workspace=workspace,
            language=lang,
            title=t,
            body=b,
            slug=f"a-{next(_slugs)}",
        )
    return a


@pytest.fixture
def make_article():
    return article


@pytest.fixture
def category():
    def make(workspace, name, parent=None):
        return Category.objects.create(workspace=workspace, name=name, parent=parent)

    return make
