"""During a call, the Desk's customer panel shows the customer found by the caller's number:
their details, recent tickets and journey, as it does for a chat (issue 12)."""

from caredesk.care.models import Case
from caredesk.customers.services import contact_create
from caredesk.voice import services as voice


def call(world, *, caller="+351 912 345 678", agent="agent", call_id="call-1", event="answered"):
    return voice.call_event_record(
        workspace=world.support,
        call_id=call_id,
        event=event,
        caller=caller,
        queue="Billing",
        agent=agent,
    ).activity


def url(activity, ws="support"):
    return f"/w/{ws}/desk/calls/{activity.pk}/summary/"


def test_a_call_from_a_known_number_shows_the_customer_tickets_and_journey(world, as_user):
    rita = contact_create(
        organization=world.org,
        name="Rita Lopes",
        emails=["rita@example.com"],
        phones=["+351912345678"],
    )
    case = world.make_case(world.support, owner=world.agent, status="open")
    Case.objects.filter(pk=case.pk).update(title="Refund for order 1042", contact=rita)
    activity = call(world)

    r = as_user(world.agent).get(url(activity))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Rita Lopes" in html
    assert "rita@example.com" in html
    assert f"<b>#{case.number}</b>" in html and "Refund for order 1042" in html
    # The customer's journey timeline, with this call on it.
    assert 'id="j-timeline"' in html
    assert f"/activities/{activity.pk}/" in html
    assert "<dd>+351912345678</dd>" in html  # the caller, in the call details


def test_an_unknown_caller_is_said_in_words(world, as_user):
    activity = call(world, caller="+44 20 7946 0000", call_id="call-2")
    r = as_user(world.agent).get(url(activity))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Unknown caller" in html
    assert "No customer has the number +442079460000." in html
    assert 'id="j-timeline"' not in html


def test_only_the_agent_of_the_call_or_a_supervisor_sees_its_panel(world, as_user, make_agent):
    activity = call(world, call_id="call-3")
    other = make_agent("other")
    assert as_user(other).get(url(activity)).status_code == 404
    assert as_user(world.admin).get(url(activity)).status_code == 200
    assert as_user(world.admin).get(url(activity, ws="sales")).status_code == 404
    assert as_user(world.admin).get("/w/support/desk/calls/999999/summary/").status_code == 404
