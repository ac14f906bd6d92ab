"""A call event posted through the API reaches the connected desk of the agent it names, as a
`call` message (docs/realtime.md), and nobody else's."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from caredesk.customers.services import contact_create
from caredesk.routing.models import AgentProfile
from caredesk.workspaces import services as ws
from tests.api.sockets import WAIT, desk
from tests.waiting import close, settle

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def post_event(user, body):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {ws.api_token_create(user=user)}")
    r = client.post(
        "/api/v1/workspaces/support/calls/events",
        json.dumps(body),
        content_type="application/json",
    )
    assert r.status_code in (200, 201), r.content
    return r.json()


def ring(**extra):
    return {
        "call_id": "call-9",
        "event": "ringing",
        "caller": "+351 912 345 678",
        "queue": "Billing",
        **extra,
    }


async def test_call_events_reach_the_agents_desk(world):
    rita = await sync_to_async(contact_create)(
        organization=world.org, name="Rita", phones=["+351912345678"]
    )
    agent_desk = await desk(world.agent, presence="available")
    coach_desk = await desk(world.coach, presence="available")

    body = await post_event(world.admin, ring(agent="agent"))
    message = await agent_desk.receive_json_from(timeout=WAIT)
    assert message == {
        "type": "call",
        "event": "ringing",
        "activity": body["activity"],
        "caller": "+351912345678",
        "queue": "Billing",
        "contact": rita.pk,
        "state": "ringing",
    }

    await post_event(world.admin, {**ring(agent="agent"), "event": "answered"})
    assert (await agent_desk.receive_json_from(timeout=WAIT))["event"] == "answered"
    # `ended` without an agent goes to the agent who answered.
    await post_event(world.admin, {**ring(), "event": "ended"})
    ended = await agent_desk.receive_json_from(timeout=WAIT)
    assert (ended["event"], ended["state"]) == ("ended", "ended")

    # A retried event is not announced again; another agent's desk heard nothing. (What the
    # request publishes is sent before it answers.)
    again = await post_event(world.admin, {**ring(), "event": "ended"})
    assert again["duplicate"] is True
    await settle(agent_desk)
    await settle(coach_desk)
    await close(agent_desk, coach_desk)


async def test_an_unknown_caller_without_agent_reaches_no_desk(world):
    agent_desk = await desk(world.agent, presence="available")
    body = await post_event(world.admin, ring(caller="+44 20 7946 0000", call_id="c-2"))
    assert body["contact"] is None
    await settle(agent_desk)
    # The agent's routing profile was only created by their desk, not by the event.
    assert await sync_to_async(AgentProfile.objects.count)() == 1
    await close(agent_desk)
