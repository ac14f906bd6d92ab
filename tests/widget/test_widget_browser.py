"""The chat widget in Chromium against a real ASGI server (HTTP + websockets), with an agent
on the other end of a real desk websocket: the standalone page (pre-chat errors from the
client and from the server, start, escaped messages, delivery states, typing, read
receipts, reload, end) and the one-tag embed on another origin (queued API calls, scoped
CSS, the server going away and coming back). Screenshots: test-artifacts/widget-*.png."""

from caredesk.routing import services as routing
from caredesk.routing.models import Conversation, Message, NavigationEvent
from caredesk.webchat import services
from caredesk.workspaces import services as ws
from caredesk.workspaces.permissions import UserKind
from tests.browser import Socket, marks, page_errors, screenshots, session_cookie

pytestmark = marks
shot = screenshots("widget-")


XSS = "<img src=x onerror=alert(1)>"
SURVEY = [
    {"key": "name", "label": "Your name", "type": "text", "required": True},
    {"key": "email", "label": "Email", "type": "email", "required": True},
    {"key": "topic", "label": "Topic", "type": "select"},
]


class Desk(Socket):
    """An agent's desk over a real websocket (what the desk page's script does)."""

    def __init__(self, server, user):
        super().__init__(
            server.url,
            "/ws/v1/desk/support/",
            additional_headers={"Cookie": f"sessionid={session_cookie(user)}"},
        )


def agent(world):
    user = ws.user_create(
        organization=world.org,
        username="ana",
        password="pw-12345678",
        first_name="Ana",
        last_name="Silva",
    )
    ws.membership_set(workspace=world.support, user=user, kind=UserKind.AGENT)
    routing.agent_profile_set(workspace=world.support, user=user, capacity=2)
    return user


def setup_workspace(world):
    routing.queue_create(workspace=world.support, name="Billing")
    services.widget_settings_set(
        workspace=world.support,
        title="Acme Support",
        greeting="Hi! Ask us anything about your order.",
        pre_chat_fields=SURVEY,
    )


def widget(page, css):
    return page.locator(f"[data-caredesk-widget] {css}")


def test_chat_page_survey_messages_receipts_reload_and_end(world, asgi_server, browser):
    from playwright.sync_api import expect

    page_scenario(world, asgi_server, browser, expect)


def page_scenario(world, server, browser, expect):
    setup_workspace(world)
    ana = agent(world)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors, dialogs = page_errors(page), []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(f"{server.url}/chat/acme.support/")
    expect(page.get_by_role("heading", name="Acme Support")).to_be_visible()
    expect(page.get_by_text("Hi! Ask us anything about your order.")).to_be_visible()
    # Before the chat begins: kept, and sent with `start`.
    page.evaluate("caredesk('navigation', {kind: 'phrase_searched', value: 'refund policy'})")

    # Client-side check: the required name.
    page.get_by_role("button", name="Start chat").click()
    expect(widget(page, "#cdw-name-err")).to_have_text("Your name is required.")
    expect(widget(page, "#cdw-email-err")).to_have_text("Email is required.")
    # Server-side check: an address the browser lets through and the server refuses.
    page.get_by_label("Your name").fill("Rita <b>Ramos</b>")
    page.get_by_label("Email").fill("rita@example")
    page.get_by_role("button", name="Start chat").click()
    expect(widget(page, "#cdw-email-err")).to_have_text("Email: enter a valid email address.")
    expect(widget(page, "#cdw-name-err")).to_be_hidden()
    shot(page, "page-form-errors")
    assert Conversation.objects.count() == 0

    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Topic").select_option("Billing")
    page.get_by_role("button", name="Start chat").click()
    expect(widget(page, ".status")).to_have_text("Waiting for an agent…")
    conv = Conversation.objects.get()
    assert conv.pre_chat == {
        "name": "Rita <b>Ramos</b>",
        "email": "rita@example.com",
        "topic": "Billing",
    }
    assert conv.queue.name == "Billing"
    visitor = conv.visitor
    assert visitor["ip"] == "127.0.0.1"
    assert visitor["os"] == "Linux"
    assert visitor["browser"].split()[0] in ("Chrome", "HeadlessChrome")
    assert visitor["page"] == f"{server.url}/chat/acme.support/"
    assert visitor["authenticated"] is False
    assert visitor["language"] == page.evaluate("navigator.language")
    assert list(NavigationEvent.objects.values_list("conversation", "kind", "value")) == [
        (conv.pk, "phrase_searched", "refund policy")
    ]

    desk = Desk(server, ana)
    desk.send(type="presence", presence="available")
    offer = desk.recv("offer", conversation=conv.public_token)
    desk.send(type="accept", offer=offer["offer"])
    desk.recv("accepted")
    expect(widget(page, ".status")).to_have_text("You're chatting with Ana Silva")

    # A customer message with HTML is shown as text, stored verbatim, and acknowledged.
    box = page.get_by_label("Message")
    box.fill(XSS)
    box.press("Enter")
    mine = widget(page, ".msg.me")
    expect(mine).to_have_count(1)
    expect(mine.locator(".bubble")).to_have_text(XSS)
    expect(mine).to_have_attribute("data-state", "sent")
    expect(mine.locator(".meta")).to_contain_text("Sent")
    received = desk.recv("message")
    assert received["body"] == XSS and received["sender"] == "customer"
    assert widget(page, ".bubble img").count() == 0

    # Agent typing, then a message; the widget sends a read receipt for it on its own.
    desk.send(type="typing", conversation=conv.public_token, typing=True)
    expect(widget(page, ".typing")).to_have_text("Ana Silva is typing…")
    desk.send(
        type="message",
        conversation=conv.public_token,
        client_id="a-1",
        body="Hi Rita, <b>I'm Ana</b>",
    )
    agent_ack = desk.recv("ack", client_id="a-1")
    theirs = widget(page, ".msg.them")
    expect(theirs.locator(".bubble")).to_have_text("Hi Rita, <b>I'm Ana</b>")
    expect(widget(page, ".typing")).to_have_text("")
    read = desk.recv("read", reader="customer")
    assert read["up_to"] == agent_ack["id"]
    conv.refresh_from_db()
    assert conv.customer_read_up_to == agent_ack["id"]

    # The agent reads the customer's message: "Read".
    desk.send(type="read", conversation=conv.public_token, up_to=received["id"])
    expect(mine).to_have_attribute("data-state", "read")
    expect(mine.locator(".meta")).to_contain_text("Read")

    # The customer types: the desk is told, then told they stopped when the box empties.
    box.press_sequentially("Thanks")
    assert desk.recv("typing", sender="customer")["typing"] is True
    box.fill("")
    assert desk.recv("typing", sender="customer", typing=False)["typing"] is False
    shot(page, "page-desktop")

    # Reload: the same conversation, every message once, states kept.
    page.reload()
    expect(widget(page, ".msg.them .bubble")).to_have_text("Hi Rita, <b>I'm Ana</b>")
    expect(widget(page, ".msg")).to_have_count(2)
    expect(widget(page, ".msg.me")).to_have_attribute("data-state", "read")
    expect(widget(page, ".status")).to_have_text("You're chatting with Ana Silva")
    box.fill("Still there?")
    box.press("Enter")
    expect(widget(page, ".msg.me").nth(1)).to_have_attribute("data-state", "sent")
    assert desk.recv("message")["body"] == "Still there?"
    assert Conversation.objects.count() == 1
    assert list(Message.objects.order_by("id").values_list("sender", "body")) == [
        ("customer", XSS),
        ("agent", "Hi Rita, <b>I'm Ana</b>"),
        ("customer", "Still there?"),
    ]

    # End the chat.
    page.get_by_role("button", name="End chat").click()
    expect(widget(page, ".status")).to_have_text("This chat has ended")
    expect(page.get_by_role("button", name="Start a new chat")).to_be_visible()
    expect(page.get_by_label("Message")).to_be_hidden()
    assert desk.recv("ended")["by"] == "customer"
    conv.refresh_from_db()
    assert conv.status == "ended"
    shot(page, "page-ended")
    page.get_by_role("button", name="Start a new chat").click()
    expect(page.get_by_role("button", name="Start chat")).to_be_visible()
    desk.close()
    assert dialogs == [] and errors == []

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{server.url}/chat/acme.support/")
    expect(phone.get_by_role("button", name="Start chat")).to_be_visible()
    shot(phone, "page-phone-form")
    phone.close()
    page.close()


SHOP = """<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Shop - Cart</title>
<style>
  /* A site with greedy global CSS: none of it may reach the widget, and the widget's may not
     reach the site. */
  * { font-family: Georgia, serif; }
  body { margin: 0; padding: 2rem; background: #fbf6ee; color: #4a3b2a; }
  button { background: rgb(0, 128, 0); color: white; border: 3px dashed black; }
  .panel, .launcher, .bubble { display: none !important; }
</style>
<script>
  window.caredesk = window.caredesk || function () {
    (window.caredesk.q = window.caredesk.q || []).push(arguments); };
  caredesk("navigation", {kind: "page_visited", value: "https://shop.example/cart",
                          at: "2026-11-23T14:58:00Z"});
  caredesk("visitor", {authenticated: true, customer_id: "C-42", plan: "gold"});
</script>
</head><body>
<h1>Your cart</h1><p>2 items · 59,90 €</p><button id="checkout">Checkout</button>
<script src="%(server)s/static/caredesk/widget.js" data-workspace="acme.support" async></script>
</body></html>
"""


def test_embedded_on_another_origin_with_queued_calls_and_reconnect(
    world, asgi_server, other_site, browser
):
    from playwright.sync_api import expect

    embed_scenario(world, asgi_server, other_site, browser, expect)


def embed_scenario(world, server, site, browser, expect):
    setup_workspace(world)
    site.pages["/cart"] = SHOP % {"server": server.url}
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = page_errors(page)
    page.goto(f"{site.url}/cart")
    assert site.url.startswith("http://localhost:") and server.url.startswith("http://127.0.0.1:")

    launcher = page.get_by_role("button", name="Open chat: Acme Support")
    expect(launcher).to_be_visible()
    # The site's CSS does not reach the widget, and the widget's does not reach the site.
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(36, 87, 214)"
    assert (
        page.evaluate("getComputedStyle(document.getElementById('checkout')).backgroundColor")
        == "rgb(0, 128, 0)"
    )
    launcher.click()
    page.get_by_label("Your name").fill("Rita")
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_role("button", name="Start chat").click()
    expect(widget(page, ".status")).to_have_text("Waiting for an agent…")

    conv = Conversation.objects.get()
    assert conv.pre_chat == {"name": "Rita", "email": "rita@example.com"}
    assert conv.visitor["authenticated"] is True
    assert conv.visitor["customer_id"] == "C-42" and conv.visitor["plan"] == "gold"
    assert conv.visitor["page"] == f"{site.url}/cart"
    assert conv.visitor["page_title"] == "Acme Shop - Cart"
    events = list(NavigationEvent.objects.values_list("kind", "value", "at"))
    assert [(k, v, at.isoformat()) for k, v, at in events] == [
        ("page_visited", "https://shop.example/cart", "2026-11-23T14:58:00+00:00")
    ]

    # After the start, API calls go at once.
    page.evaluate("caredesk('navigation', {kind: 'article_viewed', value: 'How refunds work'})")
    page.get_by_label("Message").fill("Where is my refund?")
    page.get_by_label("Message").press("Enter")
    expect(widget(page, ".msg.me")).to_have_attribute("data-state", "sent")
    assert NavigationEvent.objects.filter(kind="article_viewed", value="How refunds work").exists()
    shot(page, "embed-desktop")

    # The server goes away: the widget says so, keeps what is typed, and once the server is
    # back it resumes and sends the message with its client_id, stored once.
    server.stop()
    expect(widget(page, ".banner")).to_have_text("Connection lost. Reconnecting…")
    page.get_by_label("Message").fill("Hello? <script>alert(2)</script>")
    page.get_by_label("Message").press("Enter")
    pending = widget(page, ".msg.me").nth(1)
    expect(pending).to_have_attribute("data-state", "sending")
    shot(page, "embed-reconnecting")
    server.start()
    expect(pending).to_have_attribute("data-state", "sent", timeout=20_000)
    expect(widget(page, ".banner")).to_be_hidden()
    expect(widget(page, ".msg.me")).to_have_count(2)
    assert list(Message.objects.order_by("id").values_list("body", flat=True)) == [
        "Where is my refund?",
        "Hello? <script>alert(2)</script>",
    ]

    # With the panel closed, an agent's message shows as an unread count on the launcher;
    # opening the panel reads it (and tells the agent).
    desk = Desk(server, agent(world))
    desk.send(type="presence", presence="available")
    desk.send(type="accept", offer=desk.recv("offer", conversation=conv.public_token)["offer"])
    desk.recv("accepted")
    page.get_by_role("button", name="Close chat").click()
    expect(widget(page, ".panel")).to_be_hidden()
    desk.send(type="message", conversation=conv.public_token, client_id="a-1", body="Found it!")
    agent_id = desk.recv("ack", client_id="a-1")["id"]
    expect(widget(page, ".badge")).to_have_text("1")
    shot(page, "embed-unread")
    launcher.click()
    expect(widget(page, ".msg.them .bubble")).to_have_text("Found it!")
    expect(widget(page, ".badge")).to_be_hidden()
    assert desk.recv("read", reader="customer")["up_to"] == agent_id
    desk.close()
    assert errors == []

    # On a phone the open panel takes the whole screen.
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{site.url}/cart")
    phone.get_by_role("button", name="Open chat: Acme Support").click()
    expect(phone.get_by_role("button", name="Start chat")).to_be_visible()
    panel = widget(phone, ".panel")
    assert panel.bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 844}
    shot(phone, "embed-phone-form")
    phone.get_by_label("Your name").fill("Joana")
    phone.get_by_label("Email").fill("joana@example.com")
    phone.get_by_role("button", name="Start chat").click()
    expect(widget(phone, ".status")).to_have_text("Waiting for an agent…")
    phone.get_by_label("Message").fill("Olá! Can I change the delivery address?")
    phone.get_by_label("Message").press("Enter")
    expect(widget(phone, ".msg.me")).to_have_attribute("data-state", "sent")
    shot(phone, "embed-phone-chat")
    phone.close()
    page.close()


NO_SURVEY_SHOP = """<!doctype html>
<html><head><meta charset="utf-8"><title>Acme Shop</title>
<script>
  window.caredesk = window.caredesk || function () {
    (window.caredesk.q = window.caredesk.q || []).push(arguments); };
  caredesk("navigation", {kind: "bogus", value: "x"});   // refused in the page, never sent
  caredesk("open");
</script>
</head><body><h1>Acme Shop</h1>
<script src="%(server)s/static/caredesk/widget.js" data-workspace="acme.support" async></script>
</body></html>
"""


def test_without_a_survey_the_first_message_starts_the_chat(
    world, asgi_server, other_site, browser
):
    from playwright.sync_api import expect

    services.widget_settings_set(workspace=world.support, pre_chat_fields=[])
    other_site.pages["/"] = NO_SURVEY_SHOP % {"server": asgi_server.url}
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(f"{other_site.url}/")
    # The queued "open" opened the panel; there is no form, only the composer.
    box = page.get_by_label("Message")
    expect(box).to_be_visible()
    expect(page.get_by_role("button", name="Start chat")).to_have_count(0)
    box.fill("Do you ship to Madeira?")
    box.press("Enter")
    expect(widget(page, ".msg.me")).to_have_attribute("data-state", "sent")
    expect(widget(page, ".status")).to_have_text("Waiting for an agent…")
    conv = Conversation.objects.get()
    assert conv.pre_chat == {}
    assert list(conv.messages.values_list("body", flat=True)) == ["Do you ship to Madeira?"]
    assert NavigationEvent.objects.count() == 0
    assert any("navigation needs a kind" in w for w in warnings)
    # Escape closes the panel; the launcher opens it again on the same conversation.
    box.press("Escape")
    expect(widget(page, ".panel")).to_be_hidden()
    page.get_by_role("button", name="Open chat: Chat with us").click()
    expect(widget(page, ".msg.me .bubble")).to_have_text("Do you ship to Madeira?")
    page.close()
