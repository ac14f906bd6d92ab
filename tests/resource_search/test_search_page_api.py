"""The search page and GET /api/v1/workspaces/{ws}/articles/search: who sees what, escaped,
every bad parameter a 400 naming it."""

import pytest

from caredesk.resources.models import Article, ArticleTranslation

pytestmark = pytest.mark.django_db

URL = "/api/v1/workspaces/support/articles/search"
PAGE = "/w/support/resources/search/"


@pytest.fixture
def shelf(world, make_article, category):
    s = type("Shelf", (), {})()
    s.orders = category(world.support, "Orders")
    s.published = make_article(
        world.support,
        "Refund policy",
        "Money back in **five** days.",
        category=s.orders,
        translations=[("pt-br", "Política de reembolso", "O dinheiro volta: refund.")],
    )
    s.public = make_article(world.support, "Refund for gifts", "Gift cards.", audience="public")
    s.draft = make_article(world.support, "Refund draft", "Not yet.", status="draft")
    s.archived = make_article(world.support, "Refund archived", "Old.", status="archived")
    s.other = make_article(world.other_ws, "Refund elsewhere", "Other organization.")
    s.sales = make_article(world.sales, "Refund in sales", "Sales workspace.")
    return s


def api_titles(client, **params):
    r = client.get(URL, params)
    assert r.status_code == 200, r.content
    return sorted(i["title"] for i in r.json()["items"])


def test_agent_reads_published_articles_of_both_audiences(world, shelf, api_client):
    agent = api_client(world.agent)
    assert api_titles(agent, q="refund") == [
        "Política de reembolso",
        "Refund for gifts",
        "Refund policy",
    ]
    r = agent.get(URL, {"q": "refund", "status": "draft"})
    assert r.status_code == 400 and list(r.json()["errors"]) == ["status"]


def test_writer_also_finds_drafts_and_archived(world, shelf, api_client):
    coach = api_client(world.coach)  # coaches hold manage_resources
    assert api_titles(coach, q="refund") == [
        "Política de reembolso",
        "Refund archived",
        "Refund draft",
        "Refund for gifts",
        "Refund policy",
    ]
    assert api_titles(coach, q="refund", status="draft") == ["Refund draft"]


def test_api_hit_fields(world, shelf, api_client):
    data = api_client(world.agent).get(URL, {"q": "five", "language": "en"}).json()
    assert data["total"] == 1 and data["page"] == 1 and data["pages"] == 1
    assert data["page_size"] == 20 and data["corrected"] == []
    (hit,) = data["items"]
    t = shelf.published.translations.get(language="en")
    assert hit["article"] == shelf.published.pk and hit["translation"] == t.pk
    assert hit["language"] == "en" and hit["slug"] == t.slug
    assert hit["category"] == shelf.orders.pk
    assert hit["audience"] == "internal" and hit["status"] == "published"
    assert hit["snippet"] == "Money back in five days."
    assert hit["snippet_html"] == "Money back in <mark>five</mark> days."
    assert hit["title_html"] == "Refund policy"


def test_api_typo_and_filters(world, shelf, api_client):
    agent = api_client(world.agent)
    data = agent.get(URL, {"q": "refnd polcy"}).json()
    assert [i["title"] for i in data["items"]] == ["Refund policy"]
    assert data["corrected"] == ["refund", "policy"]
    assert api_titles(agent, q="refund", language="pt-br") == ["Política de reembolso"]
    assert api_titles(agent, q="refund", category=str(shelf.orders.pk)) == [
        "Política de reembolso",
        "Refund policy",
    ]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": ""}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "refund", "language": "fr"}, "language"),
        ({"q": "refund", "category": "abc"}, "category"),
        ({"q": "refund", "category": "999999"}, "category"),
        ({"q": "refund", "status": "deleted"}, "status"),
        ({"q": "refund", "page": "0"}, "page"),
        ({"q": "refund", "page": "501"}, "page"),
        ({"q": "refund", "page": "two"}, "page"),
    ],
)
def test_bad_parameters_are_named(world, shelf, api_client, as_user, params, field):
    before = list(ArticleTranslation.objects.values_list("id", "title", "body", "updated_at"))
    r = api_client(world.coach).get(URL, params)
    assert r.status_code == 400 and list(r.json()["errors"]) == [field], r.content
    page = as_user(world.coach).get(PAGE, params)
    assert page.status_code == 400
    assert list(page.context["errors"]) == [field]
    after = list(ArticleTranslation.objects.values_list("id", "title", "body", "updated_at"))
    assert before == after


def test_category_of_another_workspace_is_refused(world, shelf, api_client, category):
    elsewhere = category(world.sales, "Sales things")
    r = api_client(world.admin).get(URL, {"q": "refund", "category": str(elsewhere.pk)})
    assert r.status_code == 400 and list(r.json()["errors"]) == ["category"]


def test_other_workspace_and_organization(world, shelf, api_client, as_user):
    # The outsider's own "support" workspace: only its own article.
    assert api_titles(api_client(world.outsider), q="refund") == ["Refund elsewhere"]
    # A workspace of the organization the user is not a member of: refused, nothing shown.
    assert (
        api_client(world.agent)
        .get("/api/v1/workspaces/sales/articles/search", {"q": "refund"})
        .status_code
        == 403
    )
    refused = as_user(world.agent).get("/w/sales/resources/search/?q=refund")
    assert refused.status_code == 403 and b"Refund in sales" not in refused.content
    page = as_user(world.outsider).get(PAGE + "?q=refund")
    assert [h.title for h in page.context["result"].hits] == ["Refund elsewhere"]
    # Anonymous.
    from django.test import Client

    assert Client().get(URL, {"q": "refund"}).status_code in (401, 403)
    assert Client().get(PAGE).status_code == 302


def test_page_for_an_agent(world, shelf, as_user):
    r = as_user(world.agent).get(PAGE, {"q": "refund"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "3 articles found" in body
    assert "Refund draft" not in body and "Refund archived" not in body
    assert 'name="status"' not in body
    assert f"/w/support/resources/articles/{shelf.published.pk}/?language=en" in body
    assert "<mark>Refund</mark> policy" in body


def test_page_for_a_writer_marks_drafts(world, shelf, as_user):
    r = as_user(world.coach).get(PAGE, {"q": "refund"})
    body = r.content.decode()
    assert "5 articles found" in body
    assert 'name="status"' in body
    assert 'class="search-hit article-hit is-draft"' in body
    assert 'class="search-hit article-hit is-archived"' in body


def test_page_without_a_query_explains(world, as_user):
    r = as_user(world.agent).get(PAGE)
    assert r.status_code == 200
    assert "All words must match" in r.content.decode()


def test_page_escapes_titles_and_bodies(world, make_article, as_user):
    make_article(
        world.support, "<script>alert(1)</script> refund", "<img src=x onerror=alert(2)> refund"
    )
    body = as_user(world.agent).get(PAGE, {"q": "refund"}).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>refund</mark>" in body


def test_page_paginates(world, make_article, as_user):
    for i in range(23):
        make_article(world.support, f"Refund case {i}", "")
    first = as_user(world.agent).get(PAGE, {"q": "refund"})
    assert first.context["result"].total == 23 and len(first.context["result"].hits) == 20
    assert first.context["next_url"] == "?q=refund&page=2"
    second = as_user(world.agent).get(PAGE, {"q": "refund", "page": "2"})
    assert len(second.context["result"].hits) == 3
    assert second.context["prev_url"] == "?q=refund"
    Article.objects.all().delete()
    assert as_user(world.agent).get(PAGE, {"q": "refund"}).context["result"].total == 0
