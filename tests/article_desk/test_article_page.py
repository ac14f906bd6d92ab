"""The article's page (the articles part) shows the effectiveness section to its writers."""

from tests.conftest import client_for

from .conftest import make_article


def test_the_article_page_loads_the_effectiveness_for_writers(world):
    article = make_article(world.support, {"en": ("Refunds", "How refunds work.")})
    url = f"/w/support/resources/articles/{article.pk}/"
    figures = f'hx-get="/w/support/resources/articles/{article.pk}/effectiveness/"'
    assert figures in client_for(world.manager).get(url).content.decode()
    page = client_for(world.agent).get(url)
    assert page.status_code == 200
    assert figures not in page.content.decode()
