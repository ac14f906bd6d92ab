"""The chat widget's JSON: /help/<site>/search.json (search; empty q: most viewed) and
/help/<site>/<slug>.json (one article, a view). Any origin may read them, as the widget's
config (caredesk.webchat.views): they hold nothing private and no cookie is read."""

import pytest

from caredesk.resources.models import ArticleUse

SEARCH = "/help/acme.support/search.json"


def test_search_finds_published_public_articles(articles, client):
    r = client.get(SEARCH, {"q": "refunds"}, HTTP_ORIGIN="https://shop.example")
    assert r.status_code == 200
    assert r["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in r
    assert r["Cache-Control"] == "public, max-age=60"
    body = r.json()
    # The snippet is the search's (caredesk.resources.search), as plain text.
    snippet = body["results"][0].pop("snippet")
    assert "5 days" in snippet and "**" not in snippet
    assert body == {
        "query": "refunds",
        "language": "en",
        "results": [
            {
                "title": "How refunds work",
                "language": "en",
                "url": "http://testserver/help/acme.support/refunds/",
                "article": "http://testserver/help/acme.support/refunds.json",
            }
        ],
    }
    assert ArticleUse.objects.count() == 0  # a search is not a view


def test_search_in_the_asked_language_else_any(articles, client):
    found = client.get(SEARCH, {"q": "reembolsos", "lang": "pt-br"}).json()
    assert [(h["title"], h["language"]) for h in found["results"]] == [
        ("Como funcionam os reembolsos", "pt-br")
    ]
    assert found["language"] == "pt-br"
    # Nothing in Italian: the articles of any language, each once.
    found = client.get(SEARCH, {"q": "delivery", "lang": "it"}).json()
    assert [h["title"] for h in found["results"]] == ["Track your delivery"]
    # The browser's language when lang is not given.
    found = client.get(SEARCH, {"q": "5"}, HTTP_ACCEPT_LANGUAGE="pt-BR").json()
    assert [h["language"] for h in found["results"]] == ["pt-br"]


def test_empty_query_lists_the_most_viewed_else_some_articles(articles, client):
    titles = sorted(h["title"] for h in client.get(SEARCH).json()["results"])
    assert titles == ["How refunds work", "Track your delivery"]
    client.get("/help/acme.support/tracking/")
    assert [h["title"] for h in client.get(SEARCH).json()["results"]] == ["Track your delivery"]


def test_a_workspace_without_public_articles_answers_no_results(world, client):
    r = client.get(SEARCH)
    assert (r.status_code, r.json()["results"]) == (200, [])


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "refunds", "lang": "de"}, "lang"),
        ({"lang": "klingon"}, "lang"),
    ],
)
def test_bad_params_are_400_naming_the_field_and_change_nothing(articles, client, params, field):
    r = client.get(SEARCH, params, HTTP_ORIGIN="https://shop.example")
    assert r.status_code == 400
    assert r["Access-Control-Allow-Origin"] == "*"  # the widget can read why
    body = r.json()
    assert list(body["errors"]) == [field]
    assert body["detail"].startswith(f"{field}: ")
    assert ArticleUse.objects.count() == 0


def test_unknown_site_is_404_json(articles, client):
    for url in (
        "/help/acme.nope/search.json",
        "/help/nope/search.json",
        "/help/acme.nope/refunds.json",
    ):
        r = client.get(url)
        assert r.status_code == 404 and "detail" in r.json()
        assert r["Access-Control-Allow-Origin"] == "*"


def test_article_json_is_safe_html_and_counts_a_view(articles, client):
    r = client.get("/help/acme.support/refunds.json", HTTP_ORIGIN="https://shop.example")
    assert r.status_code == 200
    assert r["Access-Control-Allow-Origin"] == "*"
    assert r["Cache-Control"] == "no-store"
    assert r.json() == {
        "title": "How refunds work",
        "language": "en",
        "html": "<p>Refunds reach your card in <strong>5 days</strong>.</p>\n"
        '<p><img src="https://img.example.com/card.png" alt="Card"></p>\n',
        "url": "http://testserver/help/acme.support/refunds/",
    }
    use = ArticleUse.objects.get()
    assert (use.article_id, use.kind, use.user_id) == (articles.refunds.pk, "viewed", None)


@pytest.mark.parametrize(
    "slug", ["override", "draft-refunds", "old-refunds", "sales-refunds", "nope"]
)
def test_article_json_of_what_is_not_public_is_404(articles, client, slug):
    r = client.get(f"/help/acme.support/{slug}.json")
    assert r.status_code == 404
    assert "SECRET" not in r.content.decode()
    assert ArticleUse.objects.count() == 0


def test_the_widget_config_names_the_help_search(world, client):
    assert client.get("/chat/acme.support/config.json").json()["help"] == SEARCH
