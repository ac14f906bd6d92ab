"""Issue 12: the customer journey shows every interaction (the customer's tickets opened and
resolved, their survey responses) with links, as the user may see them; ticket logs and pages
show people's names and words, not usernames or "(contact 127: …)"."""

import re

from django.test import Client

from caredesk.customers import services as customers
from caredesk.feedback.models import Response
from caredesk.feedback.services import survey_create

API = "/api/v1/workspaces/support"


def create_ticket(client, **body) -> int:
    r = client.post(
        f"{API}/tickets", {"comment": "Opened", **body}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    return r.json()["number"]


def timeline_lines(html: str) -> list[tuple[str, str]]:
    """(label, reference) of each ticket or survey event on a timeline, top to bottom."""
    found = re.findall(
        r'<li class="j-tl-item j-tl-event e-[a-z_]+">.*?<b class="j-tl-type">([^<]+)</b>\s*'
        r'(?:<span class="j-case-tag">([^<]+)</span>)?',
        html,
        re.S,
    )
    return [(label, ref) for label, ref in found]


def test_contact_journey_shows_tickets_and_survey_responses(
    world, as_user, api_client, django_capture_on_commit_callbacks
):
    ana = customers.contact_create(
        organization=world.org, name="Ana Lima", emails=["ana@example.com"]
    )
    admin = api_client(world.admin)
    first = create_ticket(
        admin, customer_email="ana@example.com", title="Broken order", segment=world.lisbon.pk
    )
    second = create_ticket(
        admin, customer_email="ana@example.com", title="Late refund", segment=world.italy.pk
    )
    r = admin.patch(
        f"{API}/tickets/{first}",
        {
            "status": "resolved",
            "resolution_reason": "resolved_contacted",
            "comment": "Sent a new one",
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    nps = survey_create(workspace=world.support, kind="nps", name="Store visit")
    with django_capture_on_commit_callbacks(execute=True):
        r = Client().post(
            f"/s/{nps.token}/", {"score": "9", "comment": "Great", "customer_email": "ana@x.pt"}
        )
    # The response came with another email of Ana's; she is linked to it (as the desk would).
    Response.objects.update(contact=ana)

    html = as_user(world.admin).get(f"/w/support/journey/contacts/{ana.pk}/").content.decode()
    assert "No activities yet." not in html
    assert timeline_lines(html) == [
        ("Survey response", ""),
        ("Ticket resolved", f"#{first}"),
        ("Ticket opened", f"#{second}"),
        ("Ticket opened", f"#{first}"),
    ]
    response = Response.objects.get()
    assert f'href="/w/support/feedback/responses/{response.pk}/"' in html
    assert f'href="/w/support/tickets/{first}/"' in html
    assert f'href="/w/support/tickets/{second}/"' in html
    assert "Store visit · score 9 · “Great”" in html

    # The desk's journey panel (the same timeline as a fragment).
    r = as_user(world.admin).get(
        f"/w/support/journey/timeline/?record=contact:{ana.pk}", HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    assert len(timeline_lines(r.content.decode())) == 4

    # Lisbon's manager sees Lisbon's ticket only (and no response: it has no segment).
    html = as_user(world.manager).get(f"/w/support/journey/contacts/{ana.pk}/").content.decode()
    assert timeline_lines(html) == [
        ("Ticket resolved", f"#{first}"),
        ("Ticket opened", f"#{first}"),
    ]
    # An agent sees none of them: the journey stays empty for them.
    html = as_user(world.agent).get(f"/w/support/journey/contacts/{ana.pk}/").content.decode()
    assert timeline_lines(html) == []
    assert "No activities yet." in html


def test_ticket_log_names_people(world, as_user, api_client):
    admin = api_client(world.admin)
    number = create_ticket(
        admin, customer_email="b@example.com", segment=world.lisbon.pk, owner=world.manager.pk
    )
    r = admin.patch(
        f"{API}/tickets/{number}",
        {"segment": world.italy.pk, "owner": world.italy_manager.pk, "comment": "Italy's"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    r = as_user(world.admin).get(f"/w/support/tickets/{number}/", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    log = html[html.index('data-panel="log"') :]
    assert '<span class="old">Manager</span> → <span class="new">Italymgr</span>' in log
    assert '<span class="new">manager</span>' not in log
    assert '<span class="old">manager</span>' not in log


def test_response_page_names_the_customer_not_a_contact_id(
    world, as_user, django_capture_on_commit_callbacks
):
    nps = survey_create(workspace=world.support, kind="nps", name="Store visit")
    contact = customers.contact_create(
        organization=world.org, name="Rita Sousa", emails=["rita@example.com"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            f"/s/{nps.token}/",
            {"score": "9", "comment": "Fine", "customer_email": "rita@example.com"},
        )
    response = Response.objects.get()
    assert response.contact_id == contact.pk
    html = (
        as_user(world.admin).get(f"/w/support/feedback/responses/{response.pk}/").content.decode()
    )
    assert f"(contact {contact.pk}" not in html
    assert (
        f'<a href="/w/support/journey/contacts/{contact.pk}/" id="customer-journey">Rita Sousa</a>'
    ) in html
    assert '<span class="muted email">rita@example.com</span>' in html
