"""Server-side visitor detection from the chat websocket's request (real User-Agent strings),
and the `start` hook: pre-chat answers checked against the workspace's survey, detected
details merged into Conversation.visitor (server wins for ip / browser / os)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from caredesk.asgi import application
from caredesk.routing.models import Conversation, NavigationEvent
from caredesk.webchat import services
from caredesk.webchat.visitor import detect, merge, parse_user_agent
from tests.waiting import WAIT, close

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
EDGE_WINDOWS = CHROME_WINDOWS + " Edg/131.0.2903.86"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.6778.104 Mobile Safari/537.36"
)
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15"
)


@pytest.mark.parametrize(
    "ua, expected",
    [
        (CHROME_WINDOWS, {"browser": "Chrome 131.0", "os": "Windows 10"}),
        (EDGE_WINDOWS, {"browser": "Edge 131.0", "os": "Windows 10"}),
        (FIREFOX_LINUX, {"browser": "Firefox 133.0", "os": "Linux"}),
        (
            SAFARI_IPHONE,
            {"browser": "Mobile Safari 17.4", "os": "iOS 17.4", "device": "iPhone"},
        ),
        (
            CHROME_ANDROID,
            {"browser": "Chrome Mobile 131.0", "os": "Android 14", "device": "Pixel 8"},
        ),
        (SAFARI_MAC, {"browser": "Safari 18.1", "os": "Mac OS X 10.15"}),
        ("Python/3.11 websockets/17.4", {}),
        ("", {}),
        ("<script>alert(1)</script>", {}),
    ],
)
def test_browser_and_os_from_real_user_agents(ua, expected):
    assert parse_user_agent(ua) == expected


def scope(*headers, client=("203.0.113.7", 51234)):
    return {
        "type": "websocket",
        "client": client,
        "headers": [(k.encode(), v.encode()) for k, v in headers],
    }


def test_detect_reads_ip_languages_and_cdn_location():
    found = detect(
        scope(
            ("User-Agent", FIREFOX_LINUX),
            ("Accept-Language", "pt-PT,pt;q=0.9,en;q=0.8"),
            ("CF-IPCountry", "pt"),
            ("X-City", "Lisbon"),
        )
    )
    assert found == {
        "browser": "Firefox 133.0",
        "os": "Linux",
        "ip": "203.0.113.7",
        "accept_language": "pt-PT,pt;q=0.9,en;q=0.8",
        "location": "Lisbon, PT",
    }


@pytest.mark.parametrize(
    "headers, location",
    [
        ((("CloudFront-Viewer-Country", "ES"), ("CloudFront-Viewer-City", "Madrid")), "Madrid, ES"),
        (
            (
                ("X-AppEngine-Country", "US"),
                ("X-AppEngine-Region", "ca"),
                ("X-AppEngine-City", "mountain view"),
            ),
            "mountain view, ca, US",
        ),
        ((("X-Country", "it"),), "IT"),
        ((("CF-IPCountry", "XX"),), None),  # Cloudflare: unknown
        ((("CF-IPCountry", "T1"),), None),  # Cloudflare: Tor
        ((), None),
    ],
)
def test_location_only_from_proxy_headers(headers, location):
    found = detect(scope(*headers))
    assert found.get("location") == location


def test_no_client_address_no_ip():
    assert detect(scope(client=None)) == {}


def test_merge_detected_values_win_for_ip_browser_and_os():
    sent = {
        "authenticated": True,
        "customer_id": "C-42",
        "browser": "Netscape 4",
        "os": "BeOS",
        "ip": "10.0.0.1",
        "language": "pt-PT",
        "page": "https://shop.example/cart",
    }
    merged = merge(sent, scope(("User-Agent", CHROME_WINDOWS)))
    assert merged == {
        "authenticated": True,
        "customer_id": "C-42",
        "browser": "Chrome 131.0",
        "os": "Windows 10",
        "ip": "203.0.113.7",
        "language": "pt-PT",
        "page": "https://shop.example/cart",
    }
    # What the request does not tell is kept as the page sent it.
    assert merge({"browser": "Firefox 1"}, scope(client=None)) == {"browser": "Firefox 1"}
    # Not an object: left for the routing service to refuse.
    assert merge(["x"], scope()) == ["x"]
    assert merge(None, scope(client=None)) == {}


# --- the `start` hook over the real ASGI application ------------------------------------------

SURVEY = [
    {"key": "name", "label": "Your name", "type": "text", "required": True},
    {"key": "email", "label": "Email", "type": "email", "required": True},
    {"key": "topic", "label": "Topic", "type": "select", "options": ["Billing", "Returns"]},
]


async def customer(*extra_headers, client=None):
    headers = [(b"origin", b"https://shop.example"), (b"host", b"127.0.0.1:8000")]
    headers += [(k.encode(), v.encode()) for k, v in extra_headers]
    comm = WebsocketCommunicator(application, "/ws/v1/chat/acme.support/", headers=headers)
    if client:
        comm.scope["client"] = client
    connected, _ = await comm.connect(timeout=WAIT)
    assert connected
    assert await comm.receive_json_from(timeout=WAIT) == {"type": "hello", "version": 1}
    return comm


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "pre_chat, field, message",
    [
        ({"email": "rita@example.com"}, "pre_chat.name", "Your name is required."),
        ({"name": "   ", "email": "rita@example.com"}, "pre_chat.name", "Your name is required."),
        ({"name": "Rita"}, "pre_chat.email", "Email is required."),
        (
            {"name": "Rita", "email": "rita@example"},
            "pre_chat.email",
            "Email: enter a valid email address.",
        ),
        (
            {"name": "Rita", "email": "rita@example.com", "topic": "Hacking"},
            "pre_chat.topic",
            "Topic: choose one of the options.",
        ),
        (
            {"name": "R" * 501, "email": "rita@example.com"},
            "pre_chat.name",
            "Your name is text of at most 500 characters.",
        ),
        ({"name": 7, "email": "rita@example.com"}, "pre_chat.name", None),
    ],
)
async def test_start_refuses_bad_pre_chat_answers_and_stores_nothing(
    world, pre_chat, field, message
):
    await sync_to_async(services.widget_settings_set)(
        workspace=world.support, pre_chat_fields=SURVEY
    )
    comm = await customer()
    await comm.send_json_to(
        {"type": "navigation", "kind": "page_visited", "value": "https://shop.example/"}
    )
    await comm.send_json_to({"type": "start", "pre_chat": pre_chat, "visitor": {}})
    reply = await comm.receive_json_from(timeout=WAIT)
    assert reply["type"] == "error" and reply["field"] == field
    if message:
        assert reply["message"] == message
    assert await sync_to_async(Conversation.objects.count)() == 0
    assert await sync_to_async(NavigationEvent.objects.count)() == 0
    await close(comm)


@pytest.mark.django_db(transaction=True)
async def test_start_stores_trimmed_answers_and_detected_visitor_details(world):
    await sync_to_async(services.widget_settings_set)(
        workspace=world.support, pre_chat_fields=SURVEY
    )
    comm = await customer(
        ("user-agent", SAFARI_IPHONE),
        ("accept-language", "pt-PT,pt;q=0.9"),
        ("cf-ipcountry", "PT"),
        client=("198.51.100.4", 4321),
    )
    await comm.send_json_to(
        {
            "type": "start",
            "pre_chat": {"name": "  Rita ", "email": "rita@example.com", "topic": "Billing"},
            "visitor": {
                "authenticated": True,
                "customer_id": "C-42",
                "browser": "spoofed",
                "ip": "10.9.9.9",
                "language": "pt-PT",
                "page": "https://shop.example/cart",
            },
        }
    )
    # The first User-Agent parsed in a process loads the parser's rules: allow for it.
    started = await comm.receive_json_from(timeout=WAIT)
    assert started["type"] == "started"
    conv = await sync_to_async(Conversation.objects.get)(public_token=started["conversation"])
    assert conv.pre_chat == {"name": "Rita", "email": "rita@example.com", "topic": "Billing"}
    assert conv.visitor == {
        "authenticated": True,
        "customer_id": "C-42",
        "browser": "Mobile Safari 17.4",
        "os": "iOS 17.4",
        "device": "iPhone",
        "ip": "198.51.100.4",
        "language": "pt-PT",
        "accept_language": "pt-PT,pt;q=0.9",
        "location": "PT",
        "page": "https://shop.example/cart",
    }

    # Details sent later cannot overwrite what the server detected either.
    await comm.send_json_to({"type": "visitor", "visitor": {"ip": "10.1.1.1", "plan": "gold"}})
    await comm.send_json_to({"type": "ping"})
    assert await comm.receive_json_from(timeout=WAIT) == {"type": "pong"}
    await sync_to_async(conv.refresh_from_db)()
    assert conv.visitor["ip"] == "198.51.100.4"
    assert conv.visitor["plan"] == "gold"
    await close(comm)


@pytest.mark.django_db(transaction=True)
async def test_workspace_without_a_survey_starts_with_no_answers(world):
    await sync_to_async(services.widget_settings_set)(workspace=world.support, pre_chat_fields=[])
    comm = await customer()
    await comm.send_json_to({"type": "start"})
    started = await comm.receive_json_from(timeout=WAIT)
    assert started["type"] == "started"
    conv = await sync_to_async(Conversation.objects.get)(public_token=started["conversation"])
    assert (conv.pre_chat, conv.visitor) == ({}, {})
    await close(comm)


@pytest.mark.django_db(transaction=True)
async def test_default_survey_requires_nothing_but_checks_the_email(world):
    comm = await customer()
    await comm.send_json_to({"type": "start", "pre_chat": {"email": "not an address"}})
    reply = await comm.receive_json_from(timeout=WAIT)
    assert reply == {
        "type": "error",
        "field": "pre_chat.email",
        "message": "Email: enter a valid email address.",
    }
    assert await sync_to_async(Conversation.objects.count)() == 0
    await comm.send_json_to({"type": "start", "pre_chat": {}})
    assert (await comm.receive_json_from(timeout=WAIT))["type"] == "started"
    await close(comm)
