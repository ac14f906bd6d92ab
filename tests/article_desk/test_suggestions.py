"""The desk's suggested articles for a conversation (resource_suggest) and the `/` quick
search (resource_quick_search): built from the customer's last messages and the
conversation's topics, only published articles of the workspace, only for whoever sees the
conversation; each suggestion recorded once per article and conversation."""

from django.utils import timezone

from caredesk.analysis.models import Analysis, AnalysisTopic, SourceKind, Topic
from caredesk.journey.models import Activity
from caredesk.resources.models import ArticleUse
from caredesk.resources.suggest import keywords, suggest
from caredesk.workspaces import services as ws
from caredesk.workspaces.permissions import UserKind
from tests.conftest import client_for

from .conftest import agent_profile, make_article, say, start_chat

SUGGEST = "/w/support/resources/suggest/"
QUICK = "/w/support/resources/quick/"


def suggested(activity):
    return sorted(
        ArticleUse.objects.filter(activity=activity, kind="suggested").values_list(
            "article_id", flat=True
        )
    )


def test_the_customer_s_words_find_the_article_and_each_suggestion_is_recorded_once(
    world, articles
):
    chat = start_chat(world, ["Hello!", "When do I get my refund for the shoes I returned?"])
    agent = client_for(world.agent)
    r = agent.get(SUGGEST, {"conversation": chat.public_token})
    assert r.status_code == 200
    html = r.content.decode()
    assert "How refunds work" in html
    assert f'data-insert="{articles["refund"].pk}"' in html  # the agent may insert
    assert f'href="/w/support/resources/articles/{articles["refund"].pk}/"' in html
    activity = Activity.objects.get(conversation=chat)
    first = suggested(activity)
    assert articles["refund"].pk in first
    # Asked again (a refresh): nothing counted twice.
    assert agent.get(SUGGEST, {"conversation": chat.public_token}).status_code == 200
    assert suggested(activity) == first
    # The customer writes again: the new subject's article comes and is recorded too.
    say(chat, "Also I forgot my password and cannot log in", "c-9")
    html = agent.get(SUGGEST, {"conversation": chat.public_token}).content.decode()
    assert "Reset your password" in html
    assert articles["password"].pk in suggested(activity)
    assert len(suggested(activity)) == len(set(suggested(activity)))


def test_only_the_last_three_customer_messages_count(world, articles):
    chat = start_chat(
        world, ["My card payment was declined", "ok", "thanks", "where is the tracking number?"]
    )
    query, found = suggest(chat)
    assert "declined" not in query.keywords
    assert query.keywords == ["number", "track"]  # the latest first, "tracking" by its stem
    assert found[0].article_id == articles["tracking"].pk


def test_keywords_drop_stop_words_fillers_and_numbers_and_use_the_stem():
    # Equally frequent words: the latest first.
    text = "Hi, my order 1042 was delivered but the parcels arrived damaged"
    assert keywords([text], "en") == ["damage", "arrive", "parcel", "deliver", "order"]
    assert keywords(["refund", "The refund, please"], "en") == ["refund"]
    assert keywords(["Olá, quero o reembolso da encomenda"], "pt") == ["encomenda", "reembolso"]


def test_the_stored_topics_of_the_conversation_find_articles_its_words_do_not(world, articles):
    chat = start_chat(world, ["any news?"])
    assert suggest(chat)[1] == []
    topic = Topic.objects.create(workspace=world.support, name="Refunds")
    activity = Activity.objects.get(conversation=chat)
    analysis = Analysis.objects.create(
        workspace=world.support,
        source=SourceKind.ACTIVITY,
        source_id=activity.pk,
        media_type="chat",
        occurred_at=timezone.now(),
    )
    AnalysisTopic.objects.create(
        analysis=analysis, topic=topic, workspace=world.support, occurred_at=timezone.now()
    )
    query, found = suggest(chat)
    assert query.topics == ["Refunds"]
    assert found[0].article_id == articles["refund"].pk
    assert found[0].terms == ["Refunds"]


def test_the_workspace_s_topics_are_matched_live_in_the_customer_s_words(world, articles):
    Topic.objects.create(
        workspace=world.support,
        name="Refund",
        names={"pt-br": "Reembolso"},
        phrases={"en": ["money back"], "pt": ["meu dinheiro de volta"]},
    )
    chat = start_chat(world, ["I want my money back"])
    query, found = suggest(chat)
    assert query.topics == ["Refund"]
    assert found[0].article_id == articles["refund"].pk
    # In Portuguese, the topic's Portuguese name searches the Portuguese translation.
    pt = start_chat(world, ["Quero meu dinheiro de volta"], language="pt-br")
    query, found = suggest(pt)
    assert (query.language, query.topics) == ("pt-br", ["Reembolso"])
    assert (found[0].article_id, found[0].title) == (
        articles["refund"].pk,
        "Como funcionam os reembolsos",
    )


def test_a_topic_weighs_more_than_a_keyword(world, articles):
    Topic.objects.create(workspace=world.support, name="Password", phrases={"en": ["log in"]})
    chat = start_chat(world, ["I cannot log in to see my order"])
    _query, found = suggest(chat)
    assert found[0].article_id == articles["password"].pk


def test_only_published_articles_of_the_workspace_both_audiences(world):
    text = {"en": ("Refund policy", "How a refund is paid back.")}
    internal = make_article(world.support, text, audience="internal", key="internal")
    public = make_article(world.support, text, audience="public", key="public")
    make_article(world.support, text, status="draft", key="draft")
    make_article(world.support, text, status="archived", key="archived")
    make_article(world.sales, text, key="sales")
    chat = start_chat(world, ["refund"])
    _query, found = suggest(chat)
    assert sorted(s.article_id for s in found) == sorted([internal.pk, public.pk])
    html = client_for(world.agent).get(SUGGEST, {"conversation": chat.public_token}).content
    assert html.decode().count('class="art-item"') == 2


def test_an_agent_not_handling_the_conversation_is_refused_and_nothing_is_recorded(world, articles):
    bob = ws.user_create(organization=world.org, username="bob", password="pw-12345678")
    ws.membership_set(workspace=world.support, user=bob, kind=UserKind.AGENT)
    chat = start_chat(world, ["refund please"])
    for user in (bob, world.manager, world.coach, world.outsider):
        r = client_for(user).get(SUGGEST, {"conversation": chat.public_token})
        assert r.status_code == 404, user
    assert client_for(world.agent).get(SUGGEST, {"conversation": "nope"}).status_code == 404
    assert client_for(world.agent).get(SUGGEST).status_code == 404
    assert ArticleUse.objects.count() == 0
    # A supervisor (manage_care) sees it, without the Insert buttons of its agent.
    r = client_for(world.admin).get(SUGGEST, {"conversation": chat.public_token})
    assert r.status_code == 200
    assert "How refunds work" in r.content.decode()
    assert "data-insert" not in r.content.decode()


def test_the_agent_of_another_workspace_chat_sees_nothing_of_it(world, articles):
    agent_profile(world, world.admin, world.sales)
    chat = start_chat(world, ["refund"], user=world.admin, workspace=world.sales)
    r = client_for(world.agent).get(SUGGEST, {"conversation": chat.public_token})
    assert r.status_code == 404


def test_titles_and_snippets_are_escaped(world):
    make_article(world.support, {"en": ("<img src=x onerror=alert(1)> refund", "<b>refund</b>")})
    chat = start_chat(world, ["refund"])
    html = client_for(world.agent).get(SUGGEST, {"conversation": chat.public_token}).content
    assert b"<img src=x" not in html and b"&lt;img src=x onerror=alert(1)&gt; refund" in html
    assert b"<b>refund</b>" not in html


def test_quick_search_lists_published_articles_once_each(world, articles):
    make_article(world.support, {"en": ("Refund draft", "refund")}, status="draft")
    agent = client_for(world.agent)
    r = agent.get(QUICK, {"q": "refund"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["article"] for i in items] == [articles["refund"].pk]
    assert items[0]["title"] == "How refunds work"
    assert items[0]["audience"] == "public"
    assert agent.get(QUICK, {"q": "  "}).json() == {"items": []}
    assert agent.get(QUICK).json() == {"items": []}
    # Another organization's user sees none of Acme's articles.
    assert client_for(world.outsider).get(QUICK, {"q": "refund"}).json() == {"items": []}
