"""The customer summary in a real browser, on the Desk: a customer starts a chat over a real
websocket, the agent accepts it, links the visitor to a contact, adds a case from the chat and
a quick note; all of it is visible afterwards. Screenshots go to test-artifacts/."""

import datetime as dt
import json

from django.utils import timezone

from tests.browser import logged_in_page, marks, screenshots

pytestmark = marks
shot = screenshots("")


def test_agent_links_a_contact_adds_a_case_and_a_quick_note(world, asgi_server, browser):
    from playwright.sync_api import expect

    scenario(world, asgi_server, browser, expect)


def seed_customer(world):
    """Ana, with an older ticket and a few interactions on other channels."""
    from caredesk.customers import services as customers
    from caredesk.journey import services as journey
    from caredesk.routing import services as routing

    routing.agent_profile_set(workspace=world.support, user=world.agent, capacity=3, skills={})
    acme = customers.account_create(organization=world.org, name="Lima Trading")
    ana = customers.contact_create(
        organization=world.org,
        name="Ana Lima",
        emails=["ana.lima@example.com"],
        phones=["+351912345678"],
        account_id=acme.pk,
    )
    old = world.make_case(world.support, customer_email="ana.lima@example.com", days_ago=12)
    old.title = "Damaged parcel"
    old.status = "resolved"
    old.created_by = world.agent  # opened by this agent earlier: a ticket they see
    old.save()
    now = timezone.now()
    journey.activity_create(
        workspace=world.support,
        media_type="email",
        contact=ana,
        case=old,
        subject="Photos of the damaged parcel",
        body="Attached.",
        occurred_at=now - dt.timedelta(days=12),
    )
    journey.activity_create(
        workspace=world.support,
        media_type="call",
        contact=ana,
        queue_name="Billing",
        context={
            "call": {
                "caller": "+351912345678",
                "queue": "Billing",
                "state": "ended",
                "events": {
                    "ringing": (now - dt.timedelta(days=3, seconds=20)).isoformat(),
                    "answered": (now - dt.timedelta(days=3)).isoformat(),
                },
                "wait_seconds": 20,
                "duration_seconds": 252,
            }
        },
        body="Customer asked about the refund.",
        occurred_at=now - dt.timedelta(days=3),
        started_at=now - dt.timedelta(days=3),
        ended_at=now - dt.timedelta(days=3) + dt.timedelta(minutes=4, seconds=12),
    )
    journey.activity_create(
        workspace=world.support,
        media_type="survey_response",
        contact=ana,
        subject="NPS 4 — “Slow refund”",
        occurred_at=now - dt.timedelta(days=2),
    )
    return ana


def scenario(w, server, browser, expect):
    import websockets.sync.client as ws_client

    from caredesk.care.models import Case
    from caredesk.journey.models import Activity

    ana = seed_customer(w)
    page = logged_in_page(browser, w.agent, server.url, viewport={"width": 1440, "height": 1500})
    page.goto(f"{server.url}/w/support/desk/")
    expect(page.locator("#presence")).to_be_enabled()
    page.select_option("#presence", "available")
    expect(page.locator("#presence-dot")).to_have_class("dot p-available")

    ws_url = server.url.replace("http", "ws") + "/ws/v1/chat/acme.support/"
    with ws_client.connect(ws_url, origin=server.url) as customer:
        assert json.loads(customer.recv(timeout=30))["type"] == "hello"
        customer.send(
            json.dumps(
                {
                    "type": "navigation",
                    "kind": "phrase_searched",
                    "value": "refund <b>late</b>",
                }
            )
        )
        customer.send(
            json.dumps(
                {
                    "type": "start",
                    "pre_chat": {
                        "name": "Ana <script>x</script>",
                        "email": "ana@home.example",
                        "order": "A-1042",
                    },
                    "visitor": {
                        "authenticated": True,
                        "browser": "Firefox 133",
                        "os": "Linux",
                        "language": "pt-PT",
                        "page_url": "https://shop.example/orders/A-1042",
                        "loyalty_tier": "gold",
                    },
                }
            )
        )
        customer.send(json.dumps({"type": "message", "client_id": "c1", "body": "Hi, my refund?"}))

        page.locator("[data-accept]").first.click()
        panel = page.locator("#j-summary")
        expect(panel).to_be_visible()
        expect(panel.locator(".j-person-name")).to_have_text("Unknown visitor")
        # customer text escaped: the literal tag is shown, no element made from it
        expect(panel).to_contain_text("Ana <script>x</script>")
        assert page.locator("#j-summary script").count() == 0
        page.locator("#j-customer summary", has_text="New customer").click()
        shot(page.locator("#customer-panel"), "summary-unknown")

        # link the visitor to Ana
        panel.locator("input[aria-label='Search customers']").first.fill("ana")
        panel.locator(".j-pick button", has_text="Link").first.click()
        expect(page.locator("#j-summary .j-flash")).to_have_text("Contact linked.")
        expect(page.locator("#j-customer .j-person-name")).to_have_text("Ana Lima")

        # add a case from the chat
        page.locator("#j-case summary", has_text="New ticket").click()
        form = page.locator("#j-case form.j-form")
        form.locator("input[name=title]").fill("Refund not received")
        form.locator("select[name=priority]").select_option("high")
        form.locator("textarea[name=description]").fill("Refund for order A-1042 is late.")
        form.locator("button[type=submit]").click()
        case = None
        expect(page.locator("#j-summary .j-flash")).to_contain_text("added.")
        case = Case.objects.get(title="Refund not received")
        expect(page.locator("#j-case .j-linked-case")).to_contain_text(f"#{case.number}")

        # a quick note on the timeline
        page.locator("#j-timeline textarea[name=body]").fill("Promised a callback tomorrow.")
        page.locator("#j-timeline button", has_text="Add note").click()
        expect(page.locator("#j-timeline .j-tl-item").first).to_contain_text(
            "Promised a callback tomorrow."
        )
        # the activities, and the customer's tickets (opened) among them
        activities = page.locator("#j-timeline .j-tl-item:not(.j-tl-event)")
        tickets = page.locator("#j-timeline .j-tl-event.e-ticket_opened")
        expect(activities).to_have_count(5)
        expect(tickets).to_have_count(2)
        # the switch: the case's timeline has the chat and the note only (and its opening)
        # htmx wires a swapped-in element when it settles (it drops .htmx-added); a change made
        # before that would go unheard, so wait for it as a person's eye would.
        settled = page.locator("#j-timeline .htmx-added, #j-timeline.htmx-added")
        expect(settled).to_have_count(0)
        page.locator("#j-timeline select[name=record]").select_option(f"case:{case.number}")
        expect(activities).to_have_count(2)
        expect(tickets).to_have_count(1)
        expect(settled).to_have_count(0)
        page.locator("#j-timeline select[name=record]").select_option(f"contact:{ana.pk}")
        expect(activities).to_have_count(5)
        expect(tickets).to_have_count(2)
        page.wait_for_timeout(200)
        shot(page.locator("#customer-panel"), "summary")
        shot(page, "summary-desk")
        # the other tabs: the portal navigation (escaped) and the visitor details
        page.locator("label[for=j-tab-nav]").click()
        expect(page.locator("[data-panel-for=j-tab-nav]")).to_contain_text("refund <b>late</b>")
        page.locator("label[for=j-tab-var]").click()
        expect(page.locator("[data-panel-for=j-tab-var]")).to_contain_text("loyalty_tier")
        page.locator("label[for=j-tab-vis]").click()
        expect(page.locator("[data-panel-for=j-tab-vis]")).to_contain_text("Firefox 133")
        expect(page.locator("[data-panel-for=j-tab-nav]")).to_be_hidden()
        shot(page.locator("#j-conversation"), "summary-visitor-tab")

        # activity details: the chat, with its transcript, tags and comments
        page.locator("#j-timeline .j-tl-item.m-chat button").click()
        dialog = page.locator("#j-activity-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".j-transcript")).to_contain_text("Hi, my refund?")
        dialog.locator("input[name=tag]").fill("refund")
        dialog.locator("button", has_text="Add tag").click()
        expect(dialog.locator(".j-chip")).to_have_text("refund×")
        dialog.locator("textarea[name=body]").fill("Customer was polite.")
        dialog.locator("button", has_text="Add comment").click()
        expect(dialog).to_contain_text("Customer was polite.")
        shot(page, "summary-activity")

    chat = Activity.objects.get(media_type="chat")
    assert chat.case_id == case.pk and chat.contact_id == ana.pk
    assert (case.origin, case.contact_id) == ("chat", ana.pk)
    note = Activity.objects.get(media_type="note")
    assert (note.body, note.case_id, note.contact_id) == (
        "Promised a callback tomorrow.",
        case.pk,
        ana.pk,
    )
    assert list(chat.tags.values_list("name", flat=True)) == ["refund"]

    # the customer's journey page, outside the desk
    page.goto(f"{server.url}/w/support/journey/contacts/{ana.pk}/")
    expect(page.locator("#j-timeline .j-tl-item:not(.j-tl-event)")).to_have_count(5)
    expect(page.locator("#j-timeline .j-tl-event")).to_have_count(2)
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "journey-timeline")
    page.locator("#j-timeline .j-tl-item.m-call button").click()
    expect(page.locator("#j-activity-dialog")).to_contain_text("Customer asked about the refund.")
    shot(page, "journey-call")
    page.context.close()
