"""Inserting an article into the agent's reply (resource_insert): the text is a short excerpt
and, for a published public article, its help center link; the use is recorded on the
conversation's activity and shown in its details. Every bad input is a 400 naming the field
and records nothing."""

import json

import pytest

from caredesk.journey.models import Activity
from caredesk.resources.insert import excerpt
from caredesk.resources.models import ArticleUse
from caredesk.routing import services as routing
from caredesk.workspaces import services as ws
from caredesk.workspaces.permissions import UserKind
from tests.conftest import client_for

from .conftest import make_article, start_chat

INSERT = "/w/support/resources/insert/"


def test_a_public_article_goes_in_with_its_excerpt_and_public_link(world, articles):
    chat = start_chat(world, ["refund?"])
    refund = articles["refund"]
    r = client_for(world.agent).post(
        INSERT, {"conversation": chat.public_token, "article": refund.pk}
    )
    assert r.status_code == 201, r.content
    data = r.json()
    t = refund.translations.get(language="en")
    url = f"http://testserver/help/acme.support/{t.slug}/"
    assert data["public_url"] == url
    assert data["excerpt"] == t.body  # short enough to go whole
    assert data["text"] == f"{t.body}\n\nRead more: {url}"
    use = ArticleUse.objects.get()
    activity = Activity.objects.get(conversation=chat)
    assert (use.kind, use.article_id, use.translation_id, use.activity_id, use.user_id) == (
        "inserted",
        refund.pk,
        t.pk,
        activity.pk,
        world.agent.pk,
    )
    assert data["use"] == use.pk
    # The activity's details list it (the desk's dialog and the journey's activity page).
    page = client_for(world.agent).get(f"/w/support/journey/activities/{activity.pk}/")
    assert f"/w/support/resources/activities/{activity.pk}/articles/" in page.content.decode()
    used = client_for(world.agent).get(f"/w/support/resources/activities/{activity.pk}/articles/")
    assert used.status_code == 200
    assert "How refunds work" in used.content.decode()
    assert "Agent" in used.content.decode()


def test_an_internal_article_goes_in_without_a_link(world, articles):
    chat = start_chat(world, ["address"])
    r = client_for(world.agent).post(
        INSERT, {"conversation": chat.public_token, "article": articles["address"].pk}
    )
    assert r.status_code == 201
    body = articles["address"].translations.get(language="en").body
    assert r.json()["public_url"] == ""
    assert r.json()["text"] == body
    assert "http" not in r.json()["text"]


def test_the_conversation_s_language_picks_the_translation_and_the_link_s_words(world, articles):
    chat = start_chat(world, ["reembolso"], language="pt-br")
    r = client_for(world.agent).post(
        INSERT, {"conversation": chat.public_token, "article": articles["refund"].pk}
    )
    t = articles["refund"].translations.get(language="pt-br")
    assert r.json()["title"] == "Como funcionam os reembolsos"
    assert r.json()["text"].endswith(f"Leia mais: http://testserver/help/acme.support/{t.slug}/")
    # A translation chosen explicitly wins; JSON bodies are accepted too.
    it = articles["refund"].translations.get(language="it")
    r = client_for(world.agent).post(
        INSERT,
        json.dumps(
            {
                "conversation": chat.public_token,
                "article": articles["refund"].pk,
                "translation": it.pk,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201
    assert r.json()["translation"] == it.pk


def test_the_excerpt_is_the_opening_without_markup_cut_between_words():
    body = (
        "# How refunds work\n\nGood news:\n\n"
        "**Refunds** go back to [your card](https://x.example). " + ("More words here. " * 40)
    )
    text = excerpt(body)
    assert text.startswith("Good news: Refunds go back to your card. More words here.")
    assert len(text) <= 300
    assert text.endswith("…")
    assert "#" not in text and "*" not in text and "](" not in text
    assert excerpt("") == ""


@pytest.fixture
def other_article(world):
    return make_article(world.sales, {"en": ("Sales refund", "x")})


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "article"),
        ({"article": ""}, "article"),
        ({"article": "abc"}, "article"),
        ({"article": 999999}, "article"),
        ({"article": "OTHER"}, "article"),
        ({"article": "DRAFT"}, "article"),
        ({"article": "REFUND", "translation": "abc"}, "translation"),
        ({"article": "REFUND", "translation": "OTHER_T"}, "translation"),
    ],
)
def test_bad_input_names_the_field_and_records_nothing(
    world, articles, other_article, payload, field
):
    draft = make_article(world.support, {"en": ("Draft", "x")}, status="draft")
    chat = start_chat(world, ["refund"])
    values = {
        "OTHER": other_article.pk,
        "DRAFT": draft.pk,
        "REFUND": articles["refund"].pk,
        "OTHER_T": other_article.translations.get().pk,
    }
    data = {"conversation": chat.public_token}
    data.update({k: values.get(v, v) for k, v in payload.items()})
    r = client_for(world.agent).post(INSERT, data)
    assert r.status_code == 400
    assert list(r.json()["errors"]) == [field]
    assert ArticleUse.objects.count() == 0


def test_only_the_conversation_s_agent_inserts_while_it_is_in_progress(world, articles):
    bob = ws.user_create(organization=world.org, username="bob", password="pw-12345678")
    ws.membership_set(workspace=world.support, user=bob, kind=UserKind.AGENT)
    chat = start_chat(world, ["refund"])
    data = {"conversation": chat.public_token, "article": articles["refund"].pk}
    for user in (bob, world.manager, world.outsider):
        assert client_for(user).post(INSERT, data).status_code == 404
    # A supervisor sees the chat but does not write in it.
    r = client_for(world.admin).post(INSERT, data)
    assert (r.status_code, list(r.json()["errors"])) == (400, ["conversation"])
    routing.conversation_end(conversation_id=chat.pk, by="customer")
    r = client_for(world.agent).post(INSERT, data)
    assert (r.status_code, list(r.json()["errors"])) == (400, ["conversation"])
    assert client_for(world.agent).get(INSERT, data).status_code == 405
    assert ArticleUse.objects.count() == 0


def test_the_insert_needs_the_csrf_token(world, articles):
    from django.test import Client

    chat = start_chat(world, ["refund"])
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.agent)
    r = c.post(INSERT, {"conversation": chat.public_token, "article": articles["refund"].pk})
    assert r.status_code == 403
    assert ArticleUse.objects.count() == 0


def test_the_articles_used_in_an_activity_follow_the_activity_s_visibility(world, articles):
    chat = start_chat(world, ["refund"])
    client_for(world.agent).post(
        INSERT, {"conversation": chat.public_token, "article": articles["refund"].pk}
    )
    # On a ticket of Italy: its agent, the admin and Italy's manager see it; nobody else.
    italy = world.make_case(world.support, segment=world.italy, status="open")
    Activity.objects.filter(conversation=chat).update(case=italy)
    activity = Activity.objects.get(conversation=chat)
    url = f"/w/support/resources/activities/{activity.pk}/articles/"
    for user in (world.admin, world.agent, world.italy_manager):
        assert client_for(user).get(url).status_code == 200
    bob = ws.user_create(organization=world.org, username="bob", password="pw-12345678")
    ws.membership_set(workspace=world.support, user=bob, kind=UserKind.AGENT)
    for user in (bob, world.manager, world.outsider):
        assert client_for(user).get(url).status_code == 404
