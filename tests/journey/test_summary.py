"""The Desk's customer summary panel, through HTTP: customer, conversation tabs and details,
linking to a contact (existing or new), editing it, and permissions."""

import re

from caredesk.customers.models import Contact
from caredesk.journey.models import Activity
from caredesk.workspaces import services as ws

from .conftest import conv_url, start_chat, summary_url


def test_panel_shows_unknown_visitor_tabs_and_conversation_details(world, as_user, chat):
    r = as_user(world.agent).get(summary_url(chat))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Unknown visitor" in html
    # every tab has data, so all four are there
    for tab in ("pre_chat", "navigation", "visitor", "variables"):
        assert f'data-tab="{tab}"' in html
    # pre-chat answers
    assert "<dt>Topic</dt><dd>Billing</dd>" in html
    # portal navigation: each kind with its value and time
    assert "Page visited" in html and "/orders/17" in html
    assert "Phrase searched" in html and "refund delay" in html
    assert "Knowledge article viewed" in html and "How refunds work" in html
    # visitor details and the extra context variable
    assert "<dt>Authenticated</dt><dd>Yes</dd>" in html
    assert "<dt>Browser</dt><dd>Firefox 133.0</dd>" in html
    assert "<dt>Location</dt><dd>Lisbon, PT</dd>" in html
    assert "<dt>Page URL</dt><dd>https://shop.example.com/orders/17</dd>" in html
    assert "<dt>plan</dt><dd>gold</dd>" in html
    # conversation details: channel, status, queue, wait, start, skills
    assert "<dt>Channel</dt><dd>Web chat</dd>" in html
    assert "<dt>Queue</dt><dd>Billing</dd>" in html
    assert 'j-status c-active">In progress' in html
    assert '<span class="j-chip-plain">billing</span>' in html
    assert f'datetime="{chat.accepted_at:%Y-%m-%dT%H:%M:%S}' in html
    # prefilled "new contact" form from the pre-chat answers
    assert 'name="name" value="Ana Lima"' in html
    assert 'name="emails" value="ana@example.com"' in html


def test_tabs_without_data_are_hidden(world, as_user):
    chat = start_chat(world, pre_chat={"topic": "Billing"}, visitor={"browser": "Chrome 120"})
    html = as_user(world.agent).get(summary_url(chat)).content.decode()
    assert 'data-tab="pre_chat"' in html
    assert 'data-tab="visitor"' in html
    assert "<dt>Browser</dt><dd>Chrome 120</dd><dt>Location</dt><dd>Unknown</dd>" in html
    assert 'data-tab="navigation"' not in html
    assert 'data-tab="variables"' not in html

    bare = start_chat(world)
    html = as_user(world.agent).get(summary_url(bare)).content.decode()
    assert "data-tab=" not in html
    assert "The customer shared no pre-chat answers" in html


def test_customer_text_is_escaped(world, as_user):
    chat = start_chat(
        world,
        pre_chat={"name": "<script>alert(1)</script>", "topic": "Billing"},
        visitor={"note": "<img src=x onerror=alert(2)>"},
        navigation=[{"kind": "phrase_searched", "value": "<b>bold</b>"}],
    )
    html = as_user(world.agent).get(summary_url(chat)).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_permissions(world, as_user, chat):
    # no use_care in the workspace: 403
    nobody = ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    assert as_user(nobody).get(summary_url(chat)).status_code == 403
    assert as_user(nobody).get(conv_url(chat, "contact/search/?q=ana")).status_code == 403
    r = as_user(nobody).post(conv_url(chat, "contact/new/"), {"name": "X"})
    assert r.status_code == 403
    # another organization (it also has a workspace called "support"): 404
    assert as_user(world.outsider).get(summary_url(chat)).status_code == 404
    r = as_user(world.outsider).post(conv_url(chat, "contact/new/"), {"name": "X"})
    assert r.status_code == 404
    # the conversation of another workspace of the same organization: 404
    assert as_user(world.admin).get(summary_url(chat, ws="sales")).status_code == 404
    assert (
        as_user(world.admin).get("/w/support/desk/conversations/nope/summary/").status_code == 404
    )
    assert not Contact.objects.filter(name="X").exists()
    # anonymous: to the login page
    from django.test import Client

    assert Client().get(summary_url(chat)).status_code == 302


def test_search_and_link_an_existing_contact(world, as_user, chat, ana):
    from caredesk.customers import services as customers

    acme = customers.account_create(organization=world.org, name="Acme Corp")
    customers.contact_update(contact=ana, account_id=acme.pk)
    agent = as_user(world.agent)
    for q in ("lima", "ana.lima@", "+351912"):
        r = agent.get(conv_url(chat, "contact/search/"), {"q": q})
        assert r.status_code == 200
        assert f'name="contact" value="{ana.pk}"' in r.content.decode(), q
    r = agent.get(conv_url(chat, "contact/search/?q=zzz"))
    assert "No customer matches" in r.content.decode()

    r = agent.post(conv_url(chat, "contact/link/"), {"contact": ana.pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert r["HX-Retarget"] == "#j-summary"
    html = r.content.decode()
    assert "Contact linked." in html
    assert "Unknown visitor" not in html
    assert "ana.lima@example.com" in html and "+351912345678" in html and "Acme Corp" in html
    chat.refresh_from_db()
    assert chat.contact_id == ana.pk
    activity = Activity.objects.get(conversation=chat)
    assert (activity.contact_id, activity.account_id) == (ana.pk, acme.pk)


def test_link_refuses_another_organizations_contact(world, as_user, chat):
    from caredesk.customers import services as customers

    foreign = customers.contact_create(organization=world.other_org, name="Foreign")
    r = as_user(world.agent).post(conv_url(chat, "contact/link/"), {"contact": foreign.pk})
    assert r.status_code == 400
    assert "No such contact." in r.content.decode()
    chat.refresh_from_db()
    assert chat.contact_id is None
    assert Activity.objects.get(conversation=chat).contact_id is None


def test_create_a_contact_from_the_pre_chat_and_link_it(world, as_user, chat):
    agent = as_user(world.agent)
    r = agent.post(
        conv_url(chat, "contact/new/"),
        {
            "name": "Ana Lima",
            "emails": "ana@example.com",
            "phones": "+351 911 000 111",
            "account": "Lima & Co",
        },
    )
    assert r.status_code == 200
    assert "Contact created and linked." in r.content.decode()
    contact = Contact.objects.get(organization=world.org, name="Ana Lima")
    assert [e.email for e in contact.emails.all()] == ["ana@example.com"]
    assert [p.phone for p in contact.phones.all()] == ["+351911000111"]
    assert contact.account.name == "Lima & Co"
    chat.refresh_from_db()
    assert chat.contact_id == contact.pk
    activity = Activity.objects.get(conversation=chat)
    assert (activity.contact_id, activity.account_id) == (contact.pk, contact.account_id)


def test_create_with_a_bad_email_changes_nothing(world, as_user, chat, ana):
    agent = as_user(world.agent)
    before = Contact.objects.count()
    r = agent.post(
        conv_url(chat, "contact/new/"),
        {"name": "Ana", "emails": "not-an-email", "account": "New Co"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Nothing was saved" in html
    assert "Not a valid email address: &#x27;not-an-email&#x27;" in html
    assert 'name="emails" value="not-an-email" class="invalid"' in html
    # an email another contact has
    r = agent.post(
        conv_url(chat, "contact/new/"), {"name": "Ana", "emails": "ana.lima@example.com"}
    )
    assert r.status_code == 400
    assert "Already used by another contact: ana.lima@example.com" in r.content.decode()
    assert Contact.objects.count() == before
    from caredesk.customers.models import Account

    assert not Account.objects.filter(name="New Co").exists()
    chat.refresh_from_db()
    assert chat.contact_id is None


def test_edit_the_linked_contact(world, as_user, chat, ana):
    agent = as_user(world.agent)
    agent.post(conv_url(chat, "contact/link/"), {"contact": ana.pk})
    r = agent.post(
        conv_url(chat, "contact/edit/"),
        {
            "name": "Ana M. Lima",
            "emails": "ana.lima@example.com, ana@work.example.com",
            "phones": "+351 912 345 678\n+351 213 000 000",
            "account": "Acme Corp",
        },
    )
    assert r.status_code == 200
    assert "Contact saved." in r.content.decode()
    ana.refresh_from_db()
    assert ana.name == "Ana M. Lima"
    assert [e.email for e in ana.emails.all()] == ["ana.lima@example.com", "ana@work.example.com"]
    assert [p.phone for p in ana.phones.all()] == ["+351912345678", "+351213000000"]
    assert ana.account.name == "Acme Corp"


def test_edit_with_a_bad_email_shows_the_error_and_changes_nothing(world, as_user, chat, ana):
    agent = as_user(world.agent)
    agent.post(conv_url(chat, "contact/link/"), {"contact": ana.pk})
    r = agent.post(
        conv_url(chat, "contact/edit/"),
        {"name": "Changed", "emails": "bad@", "phones": "+351 1", "account": "Brand New"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Nothing was saved" in html
    assert re.search(r'name="emails" value="bad@" class="invalid"', html)
    assert "Not a valid email address: &#x27;bad@&#x27;" in html
    ana.refresh_from_db()
    assert ana.name == "Ana Lima"
    assert [e.email for e in ana.emails.all()] == ["ana.lima@example.com"]
    assert [p.phone for p in ana.phones.all()] == ["+351912345678"]
    assert ana.account is None
    from caredesk.customers.models import Account

    assert not Account.objects.filter(name="Brand New").exists()
    # a bad phone names the phones field
    r = agent.post(
        conv_url(chat, "contact/edit/"),
        {"name": "Ana Lima", "emails": "ana.lima@example.com", "phones": "12"},
    )
    assert r.status_code == 400
    assert "Not a valid phone number: &#x27;12&#x27;" in r.content.decode()


def test_edit_without_a_linked_contact_is_404(world, as_user, chat):
    r = as_user(world.agent).post(conv_url(chat, "contact/edit/"), {"name": "X"})
    assert r.status_code == 404


def test_a_contact_with_the_pre_chat_email_is_offered(world, as_user, ana):
    chat = start_chat(world, pre_chat={"name": "Ana", "email": "ANA.LIMA@example.com"})
    html = as_user(world.agent).get(summary_url(chat)).content.decode()
    assert "The pre-chat email belongs to <b>Ana Lima</b>." in html
    assert f'name="contact" value="{ana.pk}"' in html
    other = start_chat(world, pre_chat={"email": "nobody@example.com"})
    html = as_user(world.agent).get(summary_url(other)).content.decode()
    assert "The pre-chat email belongs to" not in html


def test_panel_queries_do_not_grow_with_the_journey(world, as_user, chat, ana):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caredesk.care.models import Tag
    from caredesk.journey import services as journey

    agent = as_user(world.agent)
    agent.post(conv_url(chat, "contact/link/"), {"contact": ana.pk})

    def count():
        with CaptureQueriesContext(connection) as q:
            assert agent.get(summary_url(chat)).status_code == 200
        return len(q.captured_queries)

    def add(n):
        for i in range(n):
            case = world.make_case(world.support, customer_email="ana.lima@example.com")
            a = journey.activity_create(
                workspace=world.support, media_type="email", contact=ana, case=case, subject=f"s{i}"
            )
            a.tags.add(Tag.objects.get_or_create(workspace=world.support, name=f"t{i}")[0])

    add(2)
    few = count()
    add(30)
    assert count() == few
    print(f"summary panel: {few} queries")


def test_conversation_section_reloads_with_new_navigation(world, as_user, chat):
    from caredesk.routing import services as routing

    agent = as_user(world.agent)
    url = summary_url(chat) + "?part=conversation"
    html = agent.get(url).content.decode()
    assert html.count('<li class="k-') == 3
    assert 'hx-trigger="journey-conversation-changed from:body"' in html
    routing.navigation_record(conversation=chat, kind="page_visited", value="/checkout")
    html = agent.get(url).content.decode()
    assert html.count('<li class="k-') == 4
    assert "/checkout" in html
    assert "Customer" not in html  # only the conversation section
