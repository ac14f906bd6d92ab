"""The API of articles around the customers (api/article_use.py)."""

import json

from caredesk.journey.models import Activity
from caredesk.resources.models import ArticleUse

from .conftest import make_article, start_chat

API = "/api/v1/workspaces/support"


def test_suggestions_for_a_conversation(world, articles, api_client):
    chat = start_chat(world, ["When do I get my refund?"])
    r = api_client(world.agent).get(f"{API}/conversations/{chat.public_token}/article-suggestions")
    assert r.status_code == 200
    data = r.json()
    assert data["query"] == {"language": "en", "keywords": ["refund"], "topics": []}
    first = data["items"][0]
    slug = articles["refund"].translations.get(language="en").slug
    assert first["article"] == articles["refund"].pk
    assert first["title"] == "How refunds work"
    assert first["terms"] == ["refund"]
    assert first["public_url"] == f"http://testserver/help/acme.support/{slug}/"
    activity = Activity.objects.get(conversation=chat)
    assert ArticleUse.objects.filter(activity=activity, kind="suggested").count() == len(
        data["items"]
    )
    assert (
        api_client(world.manager)
        .get(f"{API}/conversations/{chat.public_token}/article-suggestions")
        .status_code
        == 404
    )


def test_record_an_insertion(world, articles, api_client):
    chat = start_chat(world, ["address"])
    url = f"{API}/conversations/{chat.public_token}/article-uses"
    r = api_client(world.agent).post(
        url, json.dumps({"article": articles["address"].pk}), content_type="application/json"
    )
    assert r.status_code == 201, r.content
    data = r.json()
    assert (data["kind"], data["article"], data["public_url"]) == (
        "inserted",
        articles["address"].pk,
        "",
    )
    assert data["activity"] == Activity.objects.get(conversation=chat).pk
    assert ArticleUse.objects.filter(kind="inserted").count() == 1


def test_bad_insertions_name_the_field_and_record_nothing(world, articles, api_client):
    chat = start_chat(world, ["address"])
    other = make_article(world.sales, {"en": ("Sales", "x")})
    url = f"{API}/conversations/{chat.public_token}/article-uses"
    client = api_client(world.agent)
    for body, field in [
        ({"article": 999999}, "article"),
        ({"article": other.pk}, "article"),
        ({"article": "1"}, "article"),
        ({}, "article"),
        (
            {"article": articles["refund"].pk, "translation": other.translations.get().pk},
            "translation",
        ),
    ]:
        r = client.post(url, json.dumps(body), content_type="application/json")
        assert r.status_code in (400, 422), body
        assert field in json.dumps(r.json()["errors"]), (body, r.json())
    r = api_client(world.admin).post(
        url, json.dumps({"article": articles["refund"].pk}), content_type="application/json"
    )
    assert (r.status_code, list(r.json()["errors"])) == (400, ["conversation"])
    assert (
        client.post(
            f"{API}/conversations/nope/article-uses",
            json.dumps({"article": articles["refund"].pk}),
            content_type="application/json",
        ).status_code
        == 404
    )
    assert ArticleUse.objects.filter(kind="inserted").count() == 0


def test_effectiveness(world, articles, api_client):
    article = articles["refund"]
    chat = start_chat(world, ["refund"])
    client = api_client(world.agent)
    client.post(
        f"{API}/conversations/{chat.public_token}/article-uses",
        json.dumps({"article": article.pk}),
        content_type="application/json",
    )
    url = f"{API}/articles/{article.pk}/effectiveness"
    r = api_client(world.manager).get(url)
    assert r.status_code == 200
    data = r.json()
    assert (data["days"], data["inserted"], data["conversations_with"]) == (90, 1, 1)
    assert data["fcr_with"] == {"n": 0, "k": 0, "percent": None}
    assert api_client(world.manager).get(url + "?days=30").json()["days"] == 30
    bad = api_client(world.manager).get(url + "?days=0")
    assert bad.status_code in (400, 422) and "days" in json.dumps(bad.json())
    assert api_client(world.agent).get(url).status_code == 403
    assert api_client(world.outsider).get(url).status_code in (403, 404)
    other = make_article(world.sales, {"en": ("Sales", "x")})
    assert (
        api_client(world.admin).get(f"{API}/articles/{other.pk}/effectiveness").status_code == 404
    )
    assert api_client(world.admin).get(f"{API}/articles/999999/effectiveness").status_code == 404
