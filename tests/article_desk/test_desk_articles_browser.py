"""The desk's articles in Chromium against a real ASGI server: an agent in a chat gets the
article matching the customer's question suggested, inserts it (excerpt and public link),
edits and sends it; the suggestions follow the customer's next message; the `/` quick search
opens, is driven by the keyboard, inserts, and closes with Esc. Screenshots:
test-artifacts/article_desk/*.png (1280 and 390 wide)."""

import re

from caredesk.resources.models import ArticleUse
from caredesk.routing import services
from caredesk.workspaces import services as ws
from caredesk.workspaces.models import Tab
from caredesk.workspaces.permissions import UserKind
from tests.browser import Socket, logged_in_page, marks, page_errors, screenshots

pytestmark = marks
shot = screenshots("article_desk/")


class Customer(Socket):
    def __init__(self, url):
        super().__init__(url, "/ws/v1/chat/acme.support/")


def test_an_agent_gets_an_article_suggested_and_inserts_it(world, articles, asgi_server, browser):
    from playwright.sync_api import expect

    server = asgi_server
    world.support.enabled_tabs = [Tab.HOME, Tab.DESK, Tab.TICKETS, Tab.RESOURCES]
    world.support.save()
    services.queue_create(workspace=world.support, name="Orders", priority=5)
    ana = ws.user_create(
        organization=world.org, username="ana", password="pw-12345678", first_name="Ana"
    )
    ws.membership_set(workspace=world.support, user=ana, kind=UserKind.AGENT)
    services.agent_profile_set(workspace=world.support, user=ana, capacity=3, skills={})

    page = logged_in_page(browser, ana, server.url, viewport={"width": 1280, "height": 860})
    errors = page_errors(page)
    page.goto(f"{server.url}/w/support/desk/")
    expect(page.locator("#presence")).to_be_enabled()
    page.locator("#presence").select_option("available")
    expect(page.locator("#presence-dot")).to_have_class("dot p-available")

    customer = Customer(server.url)
    customer.send(type="start", pre_chat={"name": "Rita", "topic": "Orders"})
    customer.recv("started")
    customer.send(type="message", client_id="c-1", body="Hi! I returned the shoes last week.")
    customer.recv("ack", client_id="c-1")
    customer.send(type="message", client_id="c-2", body="When do I get my refund?")
    customer.recv("ack", client_id="c-2")
    page.locator(".offer").get_by_role("button", name="Accept").click()

    # The suggestions strip shows the refund article first, with why it was found.
    panel = page.locator("#art-suggest")
    expect(panel).to_be_visible()
    first = panel.locator(".art-item").first
    expect(first.locator(".art-title")).to_have_text("How refunds work")
    expect(first.locator(".art-why")).to_contain_text("refund")
    expect(first.locator(".art-title")).to_have_attribute("target", "_blank")
    shot(page, "desk-suggestions")

    # Insert: the excerpt and the public link go into the reply box, editable.
    first.get_by_role("button", name=re.compile("Insert")).click()
    reply = page.locator("#reply")
    t = articles["refund"].translations.get(language="en")
    link = f"{server.url}/help/acme.support/{t.slug}/"
    expect(reply).to_have_value(f"{t.body}\n\nRead more: {link}")
    expect(page.locator("#art-status")).to_contain_text("Inserted “How refunds work”")
    use = ArticleUse.objects.get(kind="inserted")
    assert (use.article_id, use.user_id) == (articles["refund"].pk, ana.pk)
    reply.press("Home")
    reply.press("Control+Home")
    reply.press_sequentially("Hi Rita! ")
    reply.press("Enter")
    got = customer.recv("message")
    assert got["body"] == f"Hi Rita! {t.body}\n\nRead more: {link}"

    # The customer asks something else: the suggestions follow.
    customer.send(type="message", client_id="c-3", body="Also, I forgot my password")
    customer.recv("ack", client_id="c-3")
    expect(panel.locator(".art-title").first).to_have_text("Reset your password")

    # "/" opens the quick search; ↓ moves, Enter inserts, replacing the "/words".
    reply.press_sequentially("/parcel")
    popup = page.locator("#art-quick")
    expect(popup).to_be_visible()
    options = page.locator("#art-quick-list [role=option]")
    expect(options).to_have_count(4)  # late, tracking, address, return
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(reply).to_have_attribute("aria-expanded", "true")
    expect(reply).to_have_attribute("aria-activedescendant", "art-quick-0")
    shot(page, "desk-quick-search")
    reply.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(reply).to_have_attribute("aria-activedescendant", "art-quick-1")
    chosen = options.nth(1).locator(".art-option-title").inner_text()
    reply.press("Enter")
    expect(popup).to_be_hidden()
    expect(reply).not_to_have_value(re.compile("^/"))
    expect(reply).to_have_value(re.compile(r"Read more: http://.*/help/acme\.support/"))
    assert ArticleUse.objects.filter(kind="inserted").count() == 2
    inserted = ArticleUse.objects.filter(kind="inserted").latest("pk").translation
    assert inserted.title == chosen
    # Nothing was sent by that Enter.
    assert page.locator("#chat-log .m-agent").count() == 1

    # No match: said so; Esc closes and leaves the text.
    reply.fill("")
    reply.press_sequentially("/zzzz")
    expect(page.locator("#art-quick-note")).to_have_text("No article matches “zzzz”.")
    reply.press("Escape")
    expect(popup).to_be_hidden()
    expect(reply).to_have_value("/zzzz")

    # The narrow screen: the strip stays usable.
    reply.fill("")
    page.set_viewport_size({"width": 390, "height": 844})
    panel.scroll_into_view_if_needed()
    expect(panel.locator(".art-title").first).to_be_visible()
    shot(page, "desk-suggestions-390")
    assert errors == []
