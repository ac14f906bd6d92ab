"""The REST desk and the websocket desk work side by side: an offer accepted, a message sent
and a conversation ended through the API reach the agent's open desk and the customer."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from caredesk.workspaces import services as ws
from caredesk.workspaces.permissions import UserKind
from tests.api.sockets import WAIT, customer, desk
from tests.waiting import close

pytestmark = pytest.mark.django_db(transaction=True)

BASE = "/api/v1/workspaces/support"


@sync_to_async
def make_ana(world):
    user = ws.user_create(organization=world.org, username="ana", password="pw-12345678")
    ws.membership_set(workspace=world.support, user=user, kind=UserKind.AGENT)
    return user


@sync_to_async
def api(user, method, path, body=None):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {ws.api_token_create(user=user)}")
    r = getattr(client, method)(
        f"{BASE}{path}",
        json.dumps(body) if body is not None else None,
        content_type="application/json",
    )
    assert r.status_code in (200, 201), r.content
    return r.json()


async def test_accept_message_and_end_through_the_api_reach_both_sockets(world):
    ana = await make_ana(world)
    agent_desk = await desk(ana)
    chat = await customer()
    await chat.send_json_to({"type": "start", "pre_chat": {"name": "Rita"}})
    started = await chat.receive_json_from(timeout=WAIT)
    offer = await agent_desk.receive_json_from(timeout=WAIT)
    assert offer["type"] == "offer"

    detail = await api(ana, "post", f"/offers/{offer['offer']}/accept")
    assert detail["status"] == "active"
    accepted = await agent_desk.receive_json_from(timeout=WAIT)
    assert accepted["type"] == "accepted"
    assert accepted["offer"] == offer["offer"]
    assert accepted["conversation"] == started["conversation"]
    assert (await chat.receive_json_from(timeout=WAIT))["type"] == "status"

    token = started["conversation"]
    sent = await api(
        ana, "post", f"/conversations/{token}/messages", {"client_id": "r-1", "body": "Hi!"}
    )
    to_customer = await chat.receive_json_from(timeout=WAIT)
    assert (to_customer["type"], to_customer["id"], to_customer["body"]) == (
        "message",
        sent["id"],
        "Hi!",
    )
    # The desk that did not send it shows it too.
    on_desk = await agent_desk.receive_json_from(timeout=WAIT)
    assert (on_desk["type"], on_desk["conversation"], on_desk["id"]) == (
        "message",
        token,
        sent["id"],
    )

    await api(ana, "post", f"/conversations/{token}/end")
    assert await agent_desk.receive_json_from(timeout=WAIT) == {
        "type": "ended",
        "conversation": token,
        "by": "agent",
    }
    status = await chat.receive_json_from(timeout=WAIT)
    assert (status["type"], status["status"]) == ("status", "ended")
    await close(agent_desk, chat)


async def test_presence_and_decline_through_the_api_reach_the_desk(world):
    ana = await make_ana(world)
    agent_desk = await desk(ana, presence="away")
    chat = await customer()
    await chat.send_json_to({"type": "start", "pre_chat": {"name": "Rita"}})
    await chat.receive_json_from(timeout=WAIT)

    me = await api(ana, "put", "/presence", {"presence": "available"})
    assert (me["presence"], me["offered"]) == ("available", 1)
    assert await agent_desk.receive_json_from(timeout=WAIT) == {
        "type": "presence",
        "presence": "available",
    }
    offer = await agent_desk.receive_json_from(timeout=WAIT)
    assert offer["type"] == "offer"
    await api(ana, "post", f"/offers/{offer['offer']}/decline")
    assert await agent_desk.receive_json_from(timeout=WAIT) == {
        "type": "declined",
        "offer": offer["offer"],
    }
    await close(agent_desk, chat)
