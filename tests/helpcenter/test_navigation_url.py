"""NavigationEvent.url: an optional http(s) address of at most 2000 characters, refused
naming "url" (nothing stored) otherwise, carried to the desk's socket and API, and shown on
the desk's Navigation tab as an escaped link to a new tab."""

import pytest
from asgiref.sync import sync_to_async

from caredesk.core.errors import FieldErrors
from caredesk.routing import services as routing
from caredesk.routing.models import NavigationEvent
from tests.journey.conftest import start_chat, summary_url
from tests.routing.conftest import customer
from tests.waiting import WAIT, close, receive

BAD_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example.com/a",
    "/help/acme.support/refunds/",
    "https://" + "a" * 1990 + ".com/",
    42,
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_url_that_is_not_a_web_address_is_refused_naming_url(world, url):
    chat = start_chat(world)
    with pytest.raises(FieldErrors) as e:
        routing.navigation_record(conversation=chat, kind="article_viewed", value="KB", url=url)
    assert list(e.value.errors) == ["url"]
    with pytest.raises(FieldErrors) as e:
        routing.conversation_start(
            workspace=world.support,
            navigation=[{"kind": "article_viewed", "value": "KB", "url": url}],
        )
    assert list(e.value.errors) == ["url"]
    assert NavigationEvent.objects.filter(conversation=chat).count() == 0
    assert NavigationEvent.objects.count() == 0


def test_a_web_address_is_stored_and_sent_to_the_desk_api(world, api_client):
    chat = start_chat(world)
    url = "https://care.example.com/help/acme.support/refunds/?a=1&b=2"
    routing.navigation_record(conversation=chat, kind="article_viewed", value="Refunds", url=url)
    routing.navigation_record(conversation=chat, kind="page_visited", value="/cart")
    assert list(chat.navigation.values_list("kind", "url")) == [
        ("article_viewed", url),
        ("page_visited", ""),
    ]
    r = api_client(world.agent).get(f"/api/v1/workspaces/support/conversations/{chat.public_token}")
    assert r.status_code == 200, r.content
    assert [(n["kind"], n["url"]) for n in r.json()["navigation"]] == [
        ("article_viewed", url),
        ("page_visited", ""),
    ]


@pytest.mark.django_db(transaction=True)
async def test_the_chat_socket_refuses_a_javascript_url_and_stores_nothing(world):
    comm = await customer()
    await comm.send_json_to(
        {
            "type": "navigation",
            "kind": "article_viewed",
            "value": "KB",
            "url": "javascript:alert(1)",
        }
    )
    error = await receive(comm, "error")
    assert error["field"] == "url"
    await comm.send_json_to(
        {
            "type": "navigation",
            "kind": "article_viewed",
            "value": "Refunds",
            "url": "https://care.example.com/help/acme.support/refunds/",
        }
    )
    await comm.send_json_to({"type": "start", "pre_chat": {"name": "Rita"}})
    await receive(comm, "started")
    await comm.send_json_to(
        {"type": "navigation", "kind": "article_viewed", "value": "KB", "url": "javascript:x"}
    )
    assert (await comm.receive_json_from(timeout=WAIT))["field"] == "url"
    stored = await sync_to_async(
        lambda: list(NavigationEvent.objects.values_list("value", "url"))
    )()
    assert stored == [("Refunds", "https://care.example.com/help/acme.support/refunds/")]
    await close(comm)


def test_the_desk_shows_the_article_as_an_escaped_link(world, as_user):
    chat = start_chat(
        world,
        navigation=[
            {
                "kind": "article_viewed",
                "value": "<b>Refunds</b>",
                "url": 'https://care.example.com/help/acme.support/refunds/?q="><script>x</script>',
            },
            {"kind": "page_visited", "value": "/cart"},
        ],
    )
    html = as_user(world.agent).get(summary_url(chat) + "?part=conversation").content.decode()
    assert (
        '<a class="j-nav-value" href="https://care.example.com/help/acme.support/refunds/'
        '?q=&quot;&gt;&lt;script&gt;x&lt;/script&gt;" target="_blank" rel="noopener"'
    ) in html
    assert "&lt;b&gt;Refunds&lt;/b&gt;</a>" in html
    assert "<script>x" not in html and "<b>Refunds" not in html
    assert '<span class="j-nav-value" title="/cart">/cart</span>' in html
    assert "Knowledge article viewed" in html
