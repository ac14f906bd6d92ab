"""The resource center's pages: what each member sees, the editor, restore, categories."""

import pytest
from django.urls import reverse

from caredesk.resources import services
from caredesk.resources.models import Article, Category

from .helpers import article, writer


def url(name, *args, ws="support"):
    return reverse(name, args=[ws, *args])


@pytest.fixture
def published(world):
    w = writer(world)
    cat = services.category_create(access=w, name="Orders")
    a = article(world, category=cat.pk, tags=["returns"], status="published", audience="public")
    services.translation_save(
        access=w, article=a, language="bg", title="Връщане на поръчка", body="Отворете **Поръчки**."
    )
    return a


def test_center_lists_published_articles_for_an_agent_and_drafts_for_writers(
    world, as_user, published
):
    draft = article(world, title="Secret draft")
    agent = as_user(world.agent).get(url("resource_center"))
    assert agent.status_code == 200
    body = agent.content.decode()
    assert "How to return an order" in body and "Secret draft" not in body
    assert 'class="badge lang" title="Български">BG<' in body
    assert "New article" not in body
    coach = as_user(world.coach).get(url("resource_center")).content.decode()
    assert "Secret draft" in coach and "New article" in coach
    assert as_user(world.agent).get(url("article_detail", draft.pk)).status_code == 404


def test_article_page_shows_the_readers_language_and_the_public_link(world, as_user, published):
    c = as_user(world.agent)
    page = c.get(url("article_detail", published.pk), HTTP_ACCEPT_LANGUAGE="bg")
    body = page.content.decode()
    assert "<strong>Поръчки</strong>" in body
    assert "/help/acme.support/" in body
    en = c.get(url("article_detail", published.pk) + "?lang=en").content.decode()
    assert "<strong>Orders</strong>" in en


def test_editor_creates_and_edits_with_versions(world, as_user):
    c = as_user(world.coach)
    r = c.post(
        url("article_create"),
        {
            "title": "Delivery times",
            "body": "Two days.",
            "language": "en",
            "audience": "internal",
            "status": "draft",
            "tags": "delivery, shipping",
        },
    )
    assert r.status_code == 302
    a = Article.objects.get()
    assert sorted(t.name for t in a.tags.all()) == ["delivery", "shipping"]
    r = c.post(
        url("article_edit", a.pk) + "?lang=en",
        {
            "title": "Delivery times",
            "body": "Three days.",
            "audience": "public",
            "status": "published",
            "tags": "delivery",
            "note": "slower",
        },
    )
    assert r.status_code == 302
    t = a.translations.get()
    assert [(v.number, v.body, v.note) for v in t.versions.order_by("number")] == [
        (1, "Two days.", ""),
        (2, "Three days.", "slower"),
    ]
    page = c.get(url("article_detail", a.pk) + "?lang=en&version=1").content.decode()
    assert "Two days." in page and "Restore this version" in page


def test_editor_refuses_bad_input_naming_the_field_and_changes_nothing(world, as_user):
    c = as_user(world.coach)
    r = c.post(
        url("article_create"),
        {"title": " ", "body": "x", "language": "fr", "audience": "internal", "status": "draft"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "title: A title is required." in body and "language: Unsupported language" in body
    assert Article.objects.count() == 0


def test_preview_renders_markdown_safely(world, as_user):
    r = as_user(world.coach).post(
        url("article_preview"), {"body": "**b** <script>alert(1)</script> [x](javascript:alert(1))"}
    )
    body = r.content.decode()
    assert "<strong>b</strong>" in body
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "href=" not in body


def test_categories_page(world, as_user):
    c = as_user(world.coach)
    assert (
        c.post(url("article_categories"), {"name": "Orders", "name_bg": "Поръчки"}).status_code
        == 302
    )
    cat = Category.objects.get()
    assert cat.names == {"bg": "Поръчки"}
    assert c.get(url("article_categories")).status_code == 200
    assert c.post(url("article_category_change", cat.pk), {"action": "delete"}).status_code == 302
    assert Category.objects.count() == 0
    assert as_user(world.agent).get(url("article_categories")).status_code == 403
