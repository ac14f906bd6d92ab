"""The Desk in Chromium, in the agent's language, and its dead ends (issue 12): a Bulgarian
agent works a chat (Bulgarian texts, 24-hour "HH:MM" times); axe-core finds no serious or
critical problem on the desk with a chat open; an ended chat says so on the customer panel; a
call shows the caller's customer, tickets and journey, and counts in the load.
Screenshots: test-artifacts/desk-i18n/*.png."""

import re

from caredesk.care.models import Case
from caredesk.customers.services import contact_create
from caredesk.routing import services
from caredesk.routing.fanout import agent_group
from caredesk.routing.models import AgentProfile
from caredesk.voice import services as voice
from caredesk.workspaces.models import Tab
from tests.browser import (
    Socket,
    accessibility_problems,
    logged_in_page,
    marks,
    page_errors,
    screenshots,
)

pytestmark = marks
shot = screenshots("desk-i18n/")
HHMM = re.compile(r"^\d{2}:\d{2}")


class Customer(Socket):
    def __init__(self, url):
        super().__init__(url, "/ws/v1/chat/acme.support/")


def open_desk(browser, server, user, expect):
    page = logged_in_page(browser, user, server.url, viewport={"width": 1440, "height": 900})
    errors = page_errors(page)
    page.goto(f"{server.url}/w/support/desk/")
    expect(page.locator("#presence")).to_be_enabled()  # the socket said hello
    page.locator("#presence").select_option("available")
    expect(page.locator("#presence-dot")).to_have_class("dot p-available")
    return page, errors


def setup(world, make_agent, language=""):
    world.support.enabled_tabs = [Tab.HOME, Tab.DESK, Tab.TICKETS]
    world.support.save()
    services.queue_create(workspace=world.support, name="Billing", priority=5)
    agent = make_agent("iva", capacity=3)
    agent.first_name, agent.last_name, agent.language = "Iva", "Petrova", language
    agent.save()
    case = world.make_case(world.support, owner=agent, status="open")
    Case.objects.filter(pk=case.pk).update(title="Refund for order 1042")
    return agent


def chat_to_reply(page, server, expect, accept_label):
    """A customer writes; the agent accepts the offer with the button and replies."""
    customer = Customer(server.url)
    customer.send(type="start", pre_chat={"name": "Rita", "topic": "Billing"})
    customer.recv("started")
    customer.send(type="message", client_id="c-1", body="Hello, my refund is late")
    customer.recv("ack", client_id="c-1")
    offer = page.locator(".offer")
    expect(offer.locator(".o-name")).to_have_text("Rita")
    offer.get_by_role("button", name=accept_label).click()
    assert customer.recv("status")["status"] == "active"
    expect(page.locator("#chat-log .m-customer .bubble")).to_have_text("Hello, my refund is late")
    reply = page.locator("#reply")
    expect(reply).to_be_focused()
    reply.press_sequentially("Hello Rita")
    reply.press("Enter")
    got = customer.recv("message")
    assert (got["sender"], got["body"]) == ("agent", "Hello Rita")
    return customer


def test_a_bulgarian_agent_works_a_chat_on_the_desk(world, make_agent, asgi_server, browser):
    from playwright.sync_api import expect

    iva = setup(world, make_agent, language="bg")
    page, errors = open_desk(browser, asgi_server, iva, expect)
    expect(page.locator("#conn")).to_have_text("Свързан")
    expect(page.locator(".desk-tasks .col-title").first).to_contain_text("Текущи разговори")
    expect(page.locator("#my-cases .col-title")).to_contain_text("Моите отворени заявки")
    expect(page.locator(".desk-bar .load")).to_contain_text("Натоварване")
    expect(page.locator("#presence option:checked")).to_have_text("Наличен")
    expect(page.locator("#no-tasks")).to_have_text(
        "Няма разговори. Новите покани се появяват отгоре."
    )

    customer = chat_to_reply(page, asgi_server, expect, "Приеми")
    mine = page.locator("#chat-log .m-agent").last
    expect(mine.locator(".m-state")).to_have_text("Изпратено")
    # One time format: 24-hour "HH:MM", on both sides of the conversation.
    for meta in page.locator("#chat-log .m-meta").all_text_contents():
        assert HHMM.match(meta), meta
    expect(page.locator("#chat-meta")).to_contain_text("приет в ")
    assert re.search(r"приет в \d{2}:\d{2}$", page.locator("#chat-meta").text_content())
    panel = page.locator("#customer-panel")
    expect(panel.locator("#j-conv-h")).to_have_text("Обобщение на разговора")
    expect(panel.locator("#j-conversation .j-status")).to_have_text("Текущ")
    expect(panel.locator("#j-case-h")).to_have_text("Заявка")
    expect(page.locator("#end-chat")).to_have_text("Приключи разговора")
    page.wait_for_timeout(300)  # the ticking clocks settle for the picture
    shot(page, "desk-chat-bg")
    assert accessibility_problems(page) == []

    # The customer writes again; the agent ends the conversation.
    customer.send(type="message", client_id="c-2", body="Thank you!")
    customer.recv("ack", client_id="c-2")
    expect(page.locator("#chat-log .m-customer .bubble").last).to_have_text("Thank you!")
    page.get_by_role("button", name="Приключи разговора").click()
    assert customer.recv("status")["status"] == "ended"
    expect(page.locator(".task")).to_have_count(0)
    expect(panel).to_contain_text("Обобщението за клиента, пътешествието му и заявките")
    assert errors == []

    # The supervisor view and the queue settings, in Bulgarian too.
    world.admin.language = "bg"
    world.admin.save()
    boss = logged_in_page(
        browser, world.admin, asgi_server.url, viewport={"width": 1440, "height": 700}
    )
    boss.goto(f"{asgi_server.url}/w/support/desk/supervisor/")
    expect(boss.locator("h1")).to_have_text("Табло на супервайзъра")
    expect(boss.locator("#sup-agents")).to_contain_text("Iva Petrova")
    expect(boss.locator("#sup-agents")).to_contain_text("Наличен")
    shot(boss, "supervisor-bg")
    boss.goto(f"{asgi_server.url}/w/support/settings/queues/")
    expect(boss.locator("h1")).to_have_text("Опашки и умения")
    shot(boss, "queues-bg")


def test_the_desk_in_english_with_a_chat_open_passes_axe(world, make_agent, asgi_server, browser):
    from playwright.sync_api import expect

    iva = setup(world, make_agent)
    page, errors = open_desk(browser, asgi_server, iva, expect)
    chat_to_reply(page, asgi_server, expect, "Accept")
    expect(page.locator("#chat-log .m-agent .m-state").last).to_have_text("Sent")
    expect(page.locator("#customer-panel #j-conv-h")).to_have_text("Conversation summary")
    for meta in page.locator("#chat-log .m-meta").all_text_contents():
        assert HHMM.match(meta), meta  # not "09:48 AM"
    page.wait_for_timeout(300)
    shot(page, "desk-chat-en")
    assert accessibility_problems(page) == []
    assert errors == []


def test_keyboard_alone_works_the_desk(world, make_agent, asgi_server, browser):
    """Tab reaches every control in order, with a visible focus; Enter and Space operate them."""
    from playwright.sync_api import expect

    iva = setup(world, make_agent)
    page, errors = open_desk(browser, asgi_server, iva, expect)
    customer = Customer(asgi_server.url)
    customer.send(type="start", pre_chat={"name": "Rita"})
    customer.recv("started")
    accept = page.locator(".offer").get_by_role("button", name="Accept")
    expect(accept).to_be_visible()
    accept.focus()
    outline = accept.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline not in ("", "none"), outline  # the focus can be seen
    page.keyboard.press("Enter")
    assert customer.recv("status")["status"] == "active"
    expect(page.locator("#reply")).to_be_focused()
    page.keyboard.type("Hi")
    page.keyboard.press("Enter")
    assert customer.recv("message")["body"] == "Hi"
    # From the reply box, Tab reaches Send, then the customer panel; Shift+Tab goes back to the
    # messages and the End button, and Space on it ends the chat.
    page.keyboard.press("Tab")
    expect(page.locator("#send")).to_be_focused()
    page.locator("#end-chat").focus()
    page.keyboard.press("Space")
    assert customer.recv("status")["status"] == "ended"
    expect(page.locator(".task")).to_have_count(0)
    assert errors == []


def test_an_ended_chat_says_ended_on_the_customer_panel(world, make_agent, asgi_server, browser):
    from playwright.sync_api import expect

    iva = setup(world, make_agent)
    page, errors = open_desk(browser, asgi_server, iva, expect)
    customer = chat_to_reply(page, asgi_server, expect, "Accept")
    status = page.locator("#customer-panel #j-conversation .j-status")
    expect(status).to_have_text("In progress")

    customer.send(type="end")
    expect(page.locator("#chat-ended")).to_be_visible()
    expect(page.locator("#chat-ended-text")).to_have_text("Rita ended the conversation.")
    # The panel says it ended, with when; nothing that needs a live chat is offered.
    expect(status).to_have_text("Ended")
    expect(page.locator("#customer-panel #j-conversation")).to_contain_text("End time")
    expect(page.locator("#chat-status")).to_have_text("Ended")
    expect(page.locator("#composer")).to_be_hidden()
    expect(page.locator("#end-chat")).to_be_hidden()
    expect(page.locator("#close-task")).to_be_focused()
    expect(page.locator(".task .t-meta")).to_contain_text("Ended")
    shot(page, "desk-chat-ended")
    page.keyboard.press("Enter")  # Close conversation
    expect(page.locator(".task")).to_have_count(0)
    expect(page.locator("#customer-panel .j-summary")).to_have_count(0)
    expect(page.locator("#customer-panel")).to_contain_text(
        "The customer summary, journey and tickets appear here"
    )
    assert errors == []


def test_a_call_shows_the_callers_customer_and_counts_in_the_load(
    world, make_agent, asgi_server, browser
):
    from playwright.sync_api import expect

    iva = setup(world, make_agent)
    rita = contact_create(
        organization=world.org,
        name="Rita Lopes",
        emails=["rita@example.com"],
        phones=["+351912345678"],
    )
    Case.objects.filter(title="Refund for order 1042").update(contact=rita)
    page, errors = open_desk(browser, asgi_server, iva, expect)
    expect(page.locator("#load")).to_have_text("0")

    activity = voice.call_event_record(
        workspace=world.support,
        call_id="c-1",
        event="ringing",
        caller="+351 912 345 678",
        queue="Billing",
        agent="iva",
    ).activity
    profile = AgentProfile.objects.get(user=iva)
    call = {
        "type": "desk.call",
        "activity": activity.pk,
        "caller": "+351912345678",
        "queue": "Billing",
        "contact": rita.pk,
    }
    asgi_server.publish(agent_group(profile.pk), {**call, "event": "ringing", "state": "ringing"})
    expect(page.locator("#call-state-2")).to_have_text("Ringing")
    panel = page.locator("#customer-panel")
    expect(panel.locator(".j-person-name")).to_have_text("Rita Lopes")
    expect(panel).to_contain_text("rita@example.com")
    expect(panel.locator(".j-cases")).to_contain_text("Refund for order 1042")
    # this call, and its linked ticket being opened (the journey shows tickets too)
    expect(panel.locator("#j-timeline .j-tl-item")).to_have_count(2)
    expect(page.locator("#load")).to_have_text("0")  # ringing: not on it yet

    voice.call_event_record(
        workspace=world.support,
        call_id="c-1",
        event="answered",
        caller="+351 912 345 678",
        queue="Billing",
        agent="iva",
    )
    asgi_server.publish(
        agent_group(profile.pk), {**call, "event": "answered", "state": "in_progress"}
    )
    expect(page.locator("#call-state-2")).to_have_text("In progress")
    expect(page.locator("#load")).to_have_text("1")
    # The call details on the panel follow the call: answered, so a start time.
    expect(panel.locator("#j-call")).not_to_contain_text("not answered yet")
    shot(page, "desk-call")

    # A reload during the call: the call is still there, and still counted.
    page.reload()
    expect(page.locator(".task .t-name")).to_have_text("☎ +351912345678")
    expect(page.locator("#load")).to_have_text("1")
    page.locator(".task").click()
    expect(panel.locator(".j-person-name")).to_have_text("Rita Lopes")

    voice.call_event_record(
        workspace=world.support,
        call_id="c-1",
        event="ended",
        caller="+351 912 345 678",
        queue="Billing",
        agent="iva",
    )
    asgi_server.publish(agent_group(profile.pk), {**call, "event": "ended", "state": "ended"})
    expect(page.locator("#call-state-2")).to_have_text("Ended")
    expect(page.locator("#load")).to_have_text("0")
    assert errors == []
