"""The articles API: versions, translations, restore, categories, filters, permissions, bad
input (400 naming the field, nothing changed)."""

import pytest

from caredesk.resources import services
from caredesk.resources.models import Article, ArticleTranslation, ArticleVersion, Category

from .helpers import article, writer

BASE = "/api/v1/workspaces/support"


def post(client, path, data):
    return client.post(BASE + path, data, content_type="application/json")


def put(client, path, data):
    return client.put(BASE + path, data, content_type="application/json")


def patch(client, path, data):
    return client.patch(BASE + path, data, content_type="application/json")


def test_write_translate_edit_restore_through_the_api(world, api_client):
    coach = api_client(world.coach)
    r = post(coach, "/articles", {"title": "Refunds", "body": "Five days.", "tags": ["money"]})
    assert r.status_code == 201, r.content
    a = r.json()
    assert (a["language"], a["status"], a["audience"], a["tags"]) == (
        "en",
        "draft",
        "internal",
        ["money"],
    )
    aid = a["id"]
    for lang, title in (("pt", "Reembolsos"), ("it", "Rimborsi"), ("bg", "Възстановяване")):
        r = post(
            coach, f"/articles/{aid}/translations", {"language": lang, "title": title, "body": "x"}
        )
        assert r.status_code == 201, r.content
    assert post(
        coach, f"/articles/{aid}/translations", {"language": "fr", "title": "Remboursements"}
    ).json()["errors"] == {"language": "Unsupported language 'fr'; one of: en, pt-br, it, bg"}
    r = post(coach, f"/articles/{aid}/translations", {"language": "it", "title": "Again"})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["language"])
    assert (
        put(
            coach, f"/articles/{aid}/translations/en", {"body": "Seven days.", "note": "new policy"}
        ).json()["version"]
        == 2
    )
    # Nothing changed: no version.
    assert (
        put(coach, f"/articles/{aid}/translations/en", {"body": "Seven days."}).json()["version"]
        == 2
    )
    r = post(
        coach, f"/articles/{aid}/translations/en/versions/1/restore", {"note": "policy reverted"}
    )
    assert r.status_code == 201
    assert (
        r.json()["number"],
        r.json()["restored_from"],
        r.json()["body"],
        r.json()["author"]["username"],
    ) == (3, 1, "Five days.", "coach")
    versions = coach.get(BASE + f"/articles/{aid}/translations/en/versions").json()
    assert [(v["number"], v["body"], v["note"]) for v in versions] == [
        (3, "Five days.", "policy reverted"),
        (2, "Seven days.", "new policy"),
        (1, "Five days.", ""),
    ]
    assert (
        coach.get(BASE + f"/articles/{aid}/translations/en/versions/2").json()["body"]
        == "Seven days."
    )
    assert coach.get(BASE + f"/articles/{aid}/translations/pt/versions/9").status_code == 404
    got = coach.get(BASE + f"/articles/{aid}").json()
    assert [t["language"] for t in got["translations"]] == ["bg", "en", "it", "pt-br"]


def test_publish_and_public_url(world, api_client):
    a = article(world)
    r = patch(
        api_client(world.coach), f"/articles/{a.pk}", {"status": "published", "audience": "public"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["published_at"] is not None
    assert body["public_url"] == "http://testserver/help/acme.support/how-to-return-an-order/"


def test_drafts_are_invisible_to_agents(world, api_client):
    draft = article(world, title="Draft one")
    live = article(world, title="Live one", status="published")
    agent = api_client(world.agent)
    assert [a["id"] for a in agent.get(BASE + "/articles").json()] == [live.pk]
    assert agent.get(BASE + f"/articles/{draft.pk}").status_code == 404
    assert agent.get(BASE + f"/articles/{draft.pk}/translations").status_code == 404
    assert agent.get(BASE + "/articles?status=draft").status_code == 400
    coach = api_client(world.coach)
    assert [a["id"] for a in coach.get(BASE + "/articles?status=draft").json()] == [draft.pk]


def test_filters(world, api_client):
    w = writer(world)
    orders = services.category_create(access=w, name="Orders")
    returns = services.category_create(access=w, name="Returns", parent=orders.pk)
    a = article(world, title="A", category=returns.pk, tags=["x"], status="published")
    article(world, title="B", status="published", audience="public")
    services.translation_save(access=w, article=a, language="bg", title="А")
    c = api_client(world.agent)
    ids = lambda q: [x["id"] for x in c.get(BASE + "/articles" + q).json()]  # noqa: E731
    assert ids(f"?category={orders.pk}") == [a.pk]
    assert ids("?language=bg") == [a.pk]
    assert ids("?tag=X") == [a.pk]
    assert len(ids("?audience=public")) == 1
    r = c.get(BASE + "/articles?category=999999")
    assert (r.status_code, list(r.json()["errors"])) == (400, ["category"])
    assert list(c.get(BASE + "/articles?language=fr").json()["errors"]) == ["language"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "language": "fr"}, "language"),
        ({"title": "ok", "category": 999999}, "category"),
        ({"title": "ok", "audience": "all"}, "audience"),
        ({"title": "ok", "status": "live"}, "status"),
        ({"title": "ok", "tags": ["x" * 61]}, "tags"),
    ],
)
def test_bad_article_input_names_the_field_and_changes_nothing(world, api_client, payload, field):
    r = post(api_client(world.coach), "/articles", payload)
    assert (r.status_code, list(r.json()["errors"])) == (400, [field])
    assert Article.objects.count() == 0


def test_category_of_another_workspace_and_foreign_restore_are_refused(world, api_client):
    sales_cat = services.category_create(access=writer(world, world.admin, world.sales), name="S")
    a = article(world)
    coach = api_client(world.coach)
    r = patch(coach, f"/articles/{a.pk}", {"category": sales_cat.pk})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["category"])
    a.refresh_from_db()
    assert a.category_id is None
    r = post(coach, f"/articles/{a.pk}/translations/en/versions/1/restore", {})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["version"])
    assert ArticleVersion.objects.count() == 1


def test_permissions(world, api_client):
    a = article(world, status="published")
    agent = api_client(world.agent)
    assert agent.get(BASE + f"/articles/{a.pk}").status_code == 200
    assert post(agent, "/articles", {"title": "x"}).status_code == 403
    assert patch(agent, f"/articles/{a.pk}", {"status": "archived"}).status_code == 403
    assert put(agent, f"/articles/{a.pk}/translations/en", {"title": "x"}).status_code == 403
    assert (
        post(agent, f"/articles/{a.pk}/translations", {"language": "it", "title": "x"}).status_code
        == 403
    )
    assert post(agent, "/article-categories", {"name": "x"}).status_code == 403
    # Another workspace of the organization, and another organization: nothing exists there.
    sales = api_client(world.admin)
    assert sales.get(f"/api/v1/workspaces/sales/articles/{a.pk}").status_code == 404
    outsider = api_client(world.outsider)
    assert outsider.get(BASE + f"/articles/{a.pk}").status_code == 404
    assert outsider.get(f"/api/v1/workspaces/support/articles/{a.pk}").status_code == 404
    assert ArticleTranslation.objects.get().title == "How to return an order"
    assert Article.objects.get().status == "published"


def test_categories_tree_through_the_api(world, api_client):
    c = api_client(world.coach)
    orders = post(c, "/article-categories", {"name": "Orders", "names": {"pt": "Pedidos"}}).json()
    assert orders["names"] == {"pt-br": "Pedidos"}
    returns = post(c, "/article-categories", {"name": "Returns", "parent": orders["id"]}).json()
    delivery = post(c, "/article-categories", {"name": "Delivery"}).json()
    tree = [(x["name"], x["depth"]) for x in c.get(BASE + "/article-categories").json()]
    assert tree == [("Orders", 0), ("Returns", 1), ("Delivery", 0)]
    assert patch(c, f"/article-categories/{delivery['id']}", {"position": 0}).status_code == 200
    assert patch(c, f"/article-categories/{returns['id']}", {"parent": None}).status_code == 200
    tree = [
        (x["name"], x["depth"], x["position"]) for x in c.get(BASE + "/article-categories").json()
    ]
    assert tree == [("Delivery", 0, 0), ("Orders", 0, 1), ("Returns", 0, 2)]
    r = patch(c, f"/article-categories/{orders['id']}", {"parent": orders["id"]})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["parent"])
    article(world, category=orders["id"])
    r = c.delete(BASE + f"/article-categories/{orders['id']}")
    assert (r.status_code, list(r.json()["errors"])) == (400, ["category"])
    assert c.delete(BASE + f"/article-categories/{delivery['id']}").status_code == 204
    assert Category.objects.count() == 2
    r = post(c, "/article-categories", {"name": "Returns"})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["name"])
    tags = c.get(BASE + "/article-tags").json()
    assert tags == []
