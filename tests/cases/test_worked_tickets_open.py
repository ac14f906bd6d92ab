"""Issue 12: the agent who created, owns or handled a ticket can open it (the ticket dialog and
the journey's ticket page) without the inbox or view_all_cases; whoever does not work it is
refused as before (403 without the inbox, 404 outside one's sight)."""

from caredesk.care.models import Case
from caredesk.journey.models import Activity
from caredesk.workspaces import services as ws
from tests.journey.conftest import conv_url, start_chat


def desk_ticket(world, as_user, chat, title="Refund not received") -> Case:
    r = as_user(world.agent).post(
        conv_url(chat, "case/new/"), {"title": title, "priority": "high", "description": "x"}
    )
    assert r.status_code == 200, r.content
    return Case.objects.get(title=title)


def dialog(client, case, htmx=True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.get(f"/w/support/tickets/{case.number}/", **headers)


def test_the_agent_who_added_a_ticket_opens_it_read_only(world, as_user, chat):
    case = desk_ticket(world, as_user, chat)
    agent = as_user(world.agent)  # use_care only: no inbox
    r = dialog(agent, case)
    assert r.status_code == 200
    html = r.content.decode()
    assert f"Ticket #{case.number}" in html
    assert 'id="read-only-note"' in html
    assert 'id="update-ticket-form"' not in html and "Update ticket</button>" not in html
    # Opened as a page (a link from Home or the desk): the dialog alone, no ticket list.
    r = dialog(agent, case, htmx=False)
    assert r.status_code == 200
    html = r.content.decode()
    assert f"Ticket #{case.number}" in html and 'id="ticket-dialog"' in html
    assert 'href="/w/support/tickets/">← Tickets' not in html
    # The journey's ticket page.
    r = agent.get(f"/w/support/journey/cases/{case.number}/")
    assert r.status_code == 200
    assert f"#{case.number} Refund not received" in r.content.decode()


def test_the_agent_who_handled_a_ticket_opens_it(world, as_user):
    # Manager2 owns a Store 2 ticket; the chat the agent handled is on it (set up directly).
    case = world.make_case(world.support, segment=world.store2, owner=world.manager2)
    chat = start_chat(world, pre_chat={"name": "Ana"})
    Activity.objects.filter(conversation=chat).update(case=case)
    agent = as_user(world.agent)
    r = dialog(agent, case)
    assert r.status_code == 200
    assert 'id="read-only-note"' in r.content.decode()
    assert agent.get(f"/w/support/journey/cases/{case.number}/").status_code == 200
    # The coach has the inbox but no area: the chat's agent they are not, so 404.
    assert dialog(as_user(world.coach), case).status_code == 404


def test_whoever_does_not_work_a_ticket_is_still_refused(world, as_user, api_client, chat):
    case = desk_ticket(world, as_user, chat)
    before = Case.objects.filter(pk=case.pk).values().get()
    # Another agent: no inbox, not theirs: the permission refusal, as before.
    other = ws.user_create(organization=world.org, username="agent2", password="pw-12345678")
    ws.membership_set(workspace=world.support, user=other, kind="agent")
    client = as_user(other)
    r = dialog(client, case)
    assert r.status_code == 403
    assert "Refund not received" not in r.content.decode()
    assert client.get(f"/w/support/journey/cases/{case.number}/").status_code == 404
    # A manager with the inbox, for whom the ticket lies outside their area: 404.
    case2 = world.make_case(world.support, segment=world.store1)
    italy = as_user(world.italy_manager)
    assert dialog(italy, case2).status_code == 404
    assert italy.get(f"/w/support/journey/cases/{case2.number}/").status_code == 404
    # The creating agent may read, not change: the update is the inbox's.
    r = as_user(world.agent).post(
        f"/w/support/tickets/{case.number}/",
        {"priority": "low", "status": "open", "segment": "", "owner": "", "comment": "mine"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 403
    assert Case.objects.filter(pk=case.pk).values().get() == before
    # Another organization's admin: their own "support" has no such ticket.
    assert dialog(as_user(world.outsider), case).status_code == 404
