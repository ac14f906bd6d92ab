"""The public help center's pages (no login): index, article, search results; only
published public articles of the named workspace exist there, in the visitor's language."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.resources.models import ArticleStatus, ArticleUse, Audience, UseKind

from .conftest import make_article

INDEX = "/help/acme.support/"


def text_of(response) -> str:
    return response.content.decode()


def test_index_lists_the_categories_with_their_public_articles(articles, client):
    r = client.get(INDEX)
    assert r.status_code == 200
    html = text_of(r)
    assert "<title>Support help center</title>" in html
    assert '<link rel="canonical" href="http://testserver/help/acme.support/">' in html
    assert re.findall(r'<h2 id="hc-s\d">([^<]*)</h2>', html) == ["Orders", "Deliveries"]
    assert re.findall(r'<a href="(/help/acme.support/[^"]*)">', html) == [
        "/help/acme.support/refunds/",
        "/help/acme.support/tracking/",
    ]
    assert "Refunds reach your card in 5 days." in html  # the summary, as plain text
    assert 'placeholder="Search our help articles"' in html
    assert "SECRET" not in html
    assert r["Cache-Control"] == "public, max-age=60"
    assert "Most viewed articles" not in html  # nothing viewed yet
    assert ArticleUse.objects.count() == 0  # the index is not a view of an article


def test_most_viewed_articles_are_counted_from_the_public_views(articles, client):
    for _ in range(2):
        client.get("/help/acme.support/tracking/")
    client.get("/help/acme.support/refunds/")
    html = text_of(client.get(INDEX))
    popular = html[html.index("Most viewed articles") : html.index('id="hc-s1"')]
    assert re.findall(r">([^<]+)</a>", popular) == ["Track your delivery", "How refunds work"]


def test_article_page_renders_markdown_with_its_translations_and_breadcrumb(articles, client):
    r = client.get("/help/acme.support/refunds/")
    assert r.status_code == 200
    html = text_of(r)
    assert "<title>How refunds work – Support</title>" in html
    assert '<meta name="description" content="Refunds reach your card in 5 days.">' in html
    assert '<link rel="canonical" href="http://testserver/help/acme.support/refunds/">' in html
    assert (
        '<link rel="alternate" hreflang="pt-BR" href="http://testserver/help/acme.support/reembolsos/">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/help/acme.support/refunds/">'
        in html
    )
    assert "Refunds reach your card in <strong>5 days</strong>." in html
    assert '<img src="https://img.example.com/card.png" alt="Card">' in html
    assert '<article class="hc-article" lang="en">' in html
    assert re.search(
        r'<li><a href="/help/acme.support/">Help center</a></li>\s*<li>Orders</li>', html
    )
    assert 'hreflang="pt-BR" lang="pt-BR">Português (Brasil)</a>' in html
    # Images by URL are allowed by this page's policy; scripts and styles stay our own.
    assert "img-src 'self' data: https:" in r["Content-Security-Policy"]
    assert "script-src 'self'" in r["Content-Security-Policy"]
    assert "<script" not in html and "style=" not in html


def test_each_view_records_one_viewed_use_without_a_user(articles, client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/help/acme.support/reembolsos/")
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(writes) == 1 and "resources_articleuse" in writes[0]  # one insert, nothing else
    use = ArticleUse.objects.get()
    assert (use.workspace_id, use.article_id, use.kind, use.user_id, use.activity_id) == (
        articles.support.pk,
        articles.refunds.pk,
        UseKind.VIEWED,
        None,
        None,
    )
    assert use.translation.language == "pt-br"


def test_article_text_and_titles_are_escaped(world, client):
    make_article(
        world.support,
        '<script>alert("t")</script> Title',
        "Hello <img src=x onerror=alert(1)> [x](javascript:alert(2)) <b>bold</b>",
        slug="xss",
    )
    for url in ("/help/acme.support/xss/", INDEX, INDEX + "?q=Title"):
        html = text_of(client.get(url))
        assert "<script>alert" not in html and "<img src=x" not in html
        assert 'href="javascript' not in html and "<b>bold" not in html
        assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; Title" in html


@pytest.mark.parametrize(
    "url",
    [
        "/help/acme.support/override/",  # internal
        "/help/acme.support/draft-refunds/",  # draft
        "/help/acme.support/old-refunds/",  # archived
        "/help/acme.support/sales-refunds/",  # another workspace's public article
        "/help/acme.sales/refunds/",  # this article, under another workspace
        "/help/acme.support/nope/",
        "/help/acme.nope/",
        "/help/nope.support/",
        "/help/support/",  # a site is organization.workspace
        "/help/.support/",
        "/help/other.sales/",  # Acme's workspace under the other organization
        "/help/other.support/refunds/",  # Acme's article in the other's "support"
        "/help/acme.support/refunds-other/",
    ],
)
def test_what_is_not_a_published_public_article_of_the_site_is_404(articles, client, url):
    # The other organization (slug "other") has a workspace called "support" too, with a
    # public article of the same slug.
    make_article(articles.other_ws, "Other refunds SECRET", "x", slug="refunds-other")
    assert client.get("/help/other.support/refunds-other/").status_code == 200
    ArticleUse.objects.all().delete()
    r = client.get(url)
    assert r.status_code == 404
    assert "SECRET" not in text_of(r)
    assert ArticleUse.objects.count() == 0


def test_search_and_lists_never_show_internal_draft_archived_or_other_workspaces(articles, client):
    make_article(articles.sales, "Sales public SECRET", "Refunds", slug="sales-public")
    for url in (
        INDEX,
        INDEX + "?q=refunds",
        INDEX + "?q=secret",
        "/help/acme.support/search.json?q=refunds",
        "/help/acme.support/search.json?q=secret",
        "/help/acme.support/search.json",
    ):
        r = client.get(url)
        assert r.status_code == 200
        assert "SECRET" not in text_of(r), url
    assert "No article matches your search" in text_of(client.get(INDEX + "?q=secret"))


def test_search_results_page(articles, client):
    r = client.get(INDEX, {"q": "  refunds  "})
    assert r.status_code == 200
    html = text_of(r)
    assert "<title>“refunds” – Support help center</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "<h1>Results for “refunds”</h1>" in html
    assert "1 article found" in html
    assert re.findall(r'<li lang="(\S+)"><a href="([^"]+)">([^<]+)</a>', html) == [
        ("en", "/help/acme.support/refunds/", "How refunds work")
    ]
    assert 'value="refunds"' in html


def test_a_too_long_query_is_400_naming_q(articles, client):
    r = client.get(INDEX, {"q": "x" * 201})
    assert r.status_code == 400
    html = text_of(r)
    assert 'id="hc-q-error" role="alert">q is at most 200 characters.</p>' in html
    assert 'aria-invalid="true"' in html


def test_language_follows_the_browser_then_the_workspace(articles, client):
    # The browser asks for Portuguese: the page speaks it and lists the Portuguese translation.
    r = client.get(INDEX, HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9,en;q=0.5")
    html = text_of(r)
    assert '<html lang="pt-br">' in html
    assert '<a href="/help/acme.support/reembolsos/">Como funcionam os reembolsos</a>' in html
    assert "Pedidos" in html  # the category's Portuguese name
    # An article without a Portuguese translation is listed in its own.
    assert '<li lang="en"><a href="/help/acme.support/tracking/">Track your delivery</a>' in html
    # No language of ours in the browser: the workspace's.
    articles.support.language = "pt-br"
    articles.support.save()
    html = text_of(client.get(INDEX, HTTP_ACCEPT_LANGUAGE="de-DE"))
    assert '<html lang="pt-br">' in html and "Como funcionam os reembolsos" in html
    # A search in Portuguese finds the Portuguese translation.
    html = text_of(client.get(INDEX, {"q": "reembolsos"}, HTTP_ACCEPT_LANGUAGE="pt-BR"))
    assert "/help/acme.support/reembolsos/" in html
    # ?lang= wins (the language links of a page).
    assert '<html lang="it">' in text_of(
        client.get(INDEX, {"lang": "it"}, HTTP_ACCEPT_LANGUAGE="pt-BR")
    )


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_pages_are_read_only(articles, client, method):
    for url in (INDEX, "/help/acme.support/refunds/", "/help/acme.support/search.json"):
        assert getattr(client, method)(url).status_code == 405
    assert ArticleUse.objects.count() == 0


def test_an_article_turned_internal_or_archived_disappears(articles, client):
    assert client.get("/help/acme.support/tracking/").status_code == 200
    articles.tracking.audience = Audience.INTERNAL
    articles.tracking.save()
    assert client.get("/help/acme.support/tracking/").status_code == 404
    articles.tracking.audience = Audience.PUBLIC
    articles.tracking.status = ArticleStatus.ARCHIVED
    articles.tracking.save()
    assert client.get("/help/acme.support/tracking/").status_code == 404
    assert "Track your delivery" not in text_of(client.get(INDEX))
