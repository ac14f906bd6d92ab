"""The desk additions to protocol v1 over real websockets (Channels' communicator against
caredesk.asgi.application): typing both ways, read receipts and unread counts, visitor and
navigation relays after accept, telephony `call` events, and an agent with several desks."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from caredesk import events
from caredesk.realtime import chat as consumers
from caredesk.routing import selectors, services
from caredesk.routing.models import (
    AgentProfile,
    Conversation,
    DeskConnection,
    Message,
    NavigationEvent,
)
from tests.waiting import WAIT, close, receive, settle

from .conftest import DESK_PATH, connect, customer, desk

pytestmark = pytest.mark.django_db(transaction=True)

# A desk opened while another desk of the same agent sets its presence may get that change
# mirrored after its own hello (whether it does depends on when the channel layer delivers the
# mirror): a repeat of what its hello already said, which the protocol does not order.
MIRRORED_AVAILABLE = {"type": "presence", "presence": "available"}


@sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


async def chatting(make_agent, name="ana", **pre_chat):
    """An agent desk and a customer in an accepted conversation, both past every setup
    message. Returns (agent_user, desk, customer, token, accepted)."""
    user = await db(make_agent, name)
    agent = await desk(user)
    comm = await customer()
    await comm.send_json_to(
        {"type": "start", "pre_chat": {"name": "Rita", **pre_chat}, "visitor": {"os": "Linux"}}
    )
    token = (await receive(comm, "started"))["conversation"]
    offer = await receive(agent, "offer")
    await agent.send_json_to({"type": "accept", "offer": offer["offer"]})
    accepted = await receive(agent, "accepted")
    assert (await receive(comm, "status"))["status"] == "active"
    return user, agent, comm, token, accepted


async def say(comm, client_id, body):
    await comm.send_json_to({"type": "message", "client_id": client_id, "body": body})
    return (await receive(comm, "ack"))["id"]


async def agent_say(agent, token, client_id, body):
    await agent.send_json_to(
        {"type": "message", "conversation": token, "client_id": client_id, "body": body}
    )
    return (await receive(agent, "ack"))["id"]


# --- typing --------------------------------------------------------------------------------


async def test_typing_is_relayed_both_ways(world, make_agent, monkeypatch):
    # A repeat of the same state is dropped within this window; long, so no timing matters.
    monkeypatch.setattr(consumers, "TYPING_REPEAT_SECONDS", 3600)
    _, agent, comm, token, _ = await chatting(make_agent)

    await comm.send_json_to({"type": "typing", "typing": True})
    assert await agent.receive_json_from(timeout=WAIT) == {
        "type": "typing",
        "conversation": token,
        "sender": "customer",
        "typing": True,
    }
    await agent.send_json_to({"type": "typing", "conversation": token, "typing": True})
    assert await comm.receive_json_from(timeout=WAIT) == {
        "type": "typing",
        "sender": "agent",
        "typing": True,
    }
    await agent.send_json_to({"type": "typing", "conversation": token, "typing": False})
    assert await comm.receive_json_from(timeout=WAIT) == {
        "type": "typing",
        "sender": "agent",
        "typing": False,
    }
    # The same state again right away (a client sending it per keystroke) is not relayed.
    for _ in range(5):
        await comm.send_json_to({"type": "typing", "typing": True})
    await comm.send_json_to({"type": "typing", "typing": False})
    assert await agent.receive_json_from(timeout=WAIT) == {
        "type": "typing",
        "conversation": token,
        "sender": "customer",
        "typing": False,
    }
    # Nobody gets their own typing back.
    await settle(comm)
    await settle(agent)
    await close(comm, agent)


async def test_bad_typing_is_an_error_naming_the_field(world, make_agent):
    _, agent, comm, token, _ = await chatting(make_agent)
    lone = await customer()
    await lone.send_json_to({"type": "typing", "typing": True})  # no conversation yet
    reply = await lone.receive_json_from(timeout=WAIT)
    assert (reply["type"], reply["field"]) == ("error", "conversation")

    for bad in ({"typing": "yes"}, {}, {"typing": 1}):
        await comm.send_json_to({"type": "typing", **bad})
        reply = await comm.receive_json_from(timeout=WAIT)
        assert (reply["type"], reply["field"]) == ("error", "typing")
        await agent.send_json_to({"type": "typing", "conversation": token, **bad})
        reply = await agent.receive_json_from(timeout=WAIT)
        assert (reply["type"], reply["field"]) == ("error", "typing")
    await agent.send_json_to({"type": "typing", "conversation": "not-mine", "typing": True})
    reply = await agent.receive_json_from(timeout=WAIT)
    assert (reply["type"], reply["field"]) == ("error", "conversation")
    await settle(comm)  # nothing was relayed
    await settle(agent)
    await close(comm, agent, lone)


# --- read receipts and unread counts -------------------------------------------------------


async def test_read_receipts_are_stored_and_relayed_both_ways(world, make_agent):
    _, agent, comm, token, _ = await chatting(make_agent)
    c1 = await say(comm, "c-1", "Hello?")
    assert (await receive(agent, "message"))["id"] == c1
    a1 = await agent_say(agent, token, "a-1", "Hi Rita")
    assert (await receive(comm, "message"))["id"] == a1

    await agent.send_json_to({"type": "read", "conversation": token, "up_to": c1})
    assert await comm.receive_json_from(timeout=WAIT) == {
        "type": "read",
        "reader": "agent",
        "up_to": c1,
    }
    await comm.send_json_to({"type": "read", "up_to": a1})
    assert await agent.receive_json_from(timeout=WAIT) == {
        "type": "read",
        "conversation": token,
        "reader": "customer",
        "up_to": a1,
    }
    conv = await db(Conversation.objects.get, public_token=token)
    assert (conv.customer_read_up_to, conv.agent_read_up_to) == (a1, c1)

    # A late, smaller mark never moves it back; the stored mark is what is relayed.
    await comm.send_json_to({"type": "read", "up_to": c1})
    assert (await agent.receive_json_from(timeout=WAIT))["up_to"] == a1
    assert (await db(Conversation.objects.get, public_token=token)).customer_read_up_to == a1

    # After a reload the widget learns how far the agent has read.
    again = await customer()
    await again.send_json_to({"type": "resume", "conversation": token})
    history = await again.receive_json_from(timeout=WAIT)
    assert history["agent_read_up_to"] == c1
    await agent.send_json_to({"type": "history", "conversation": token})
    history = await agent.receive_json_from(timeout=WAIT)
    assert (history["customer_read_up_to"], history["agent_read_up_to"]) == (a1, c1)
    await close(comm, agent, again)


async def test_bad_read_is_an_error_and_stores_nothing(world, make_agent):
    _, agent, comm, token, _ = await chatting(make_agent)
    c1 = await say(comm, "c-1", "Hello?")
    assert (await receive(agent, "message"))["id"] == c1
    await agent.send_json_to({"type": "presence", "presence": "busy"})  # no offer of `other`
    assert await receive(agent, "presence") == {"type": "presence", "presence": "busy"}
    other = await customer()
    await other.send_json_to({"type": "start"})
    await receive(other, "started")
    foreign = await say(other, "o-1", "another conversation")

    for bad in ("12", True, 0, -3, None, c1 + 10_000, foreign):
        await comm.send_json_to({"type": "read", "up_to": bad})
        reply = await comm.receive_json_from(timeout=WAIT)
        assert (reply["type"], reply["field"]) == ("error", "up_to"), bad
        await agent.send_json_to({"type": "read", "conversation": token, "up_to": bad})
        reply = await agent.receive_json_from(timeout=WAIT)
        assert (reply["type"], reply["field"]) == ("error", "up_to"), bad
    await agent.send_json_to({"type": "read", "conversation": "nope", "up_to": c1})
    assert (await agent.receive_json_from(timeout=WAIT))["field"] == "conversation"
    lone = await customer()
    await lone.send_json_to({"type": "read", "up_to": c1})
    assert (await lone.receive_json_from(timeout=WAIT))["field"] == "conversation"

    conv = await db(Conversation.objects.get, public_token=token)
    assert (conv.customer_read_up_to, conv.agent_read_up_to) == (None, None)
    await settle(comm)
    await settle(agent)
    await close(comm, agent, other, lone)


async def test_accepted_and_the_tasks_list_carry_unread_counts(world, make_agent):
    user = await db(make_agent, "ana")
    comm = await customer()
    await comm.send_json_to({"type": "start", "pre_chat": {"name": "Rita", "topic": "x"}})
    token = (await receive(comm, "started"))["conversation"]
    first = await say(comm, "c-1", "one")
    await say(comm, "c-2", "<b>two</b>")

    agent = await desk(user)
    offer = await receive(agent, "offer")
    await agent.send_json_to({"type": "accept", "offer": offer["offer"]})
    accepted = await receive(agent, "accepted")
    assert accepted["unread"] == 2
    assert (accepted["name"], accepted["queue"], accepted["conversation"]) == (
        "Rita",
        "General",
        token,
    )
    assert accepted["last_message"]["body"] == "<b>two</b>"
    # Taken from the history it carries: the same task the desk's hello lists (subqueries).
    [listed] = await db(lambda: selectors.agent_tasks(AgentProfile.objects.get(user=user)))
    assert {key: accepted[key] for key in listed} == listed
    assert (await receive(comm, "status"))["status"] == "active"

    await agent.send_json_to({"type": "read", "conversation": token, "up_to": first})
    assert (await receive(comm, "read"))["up_to"] == first
    await say(comm, "c-3", "three")
    await close(agent)

    again, _, _ = await connect(DESK_PATH, user)
    hello = await receive(again, "hello")
    assert hello["conversations"] == [token]
    [task] = hello["tasks"]
    assert (task["conversation"], task["unread"], task["name"]) == (token, 2, "Rita")
    assert task["last_message"]["body"] == "three"
    assert task["agent_read_up_to"] == first
    await close(comm, again)


# --- visitor details and navigation after accept -------------------------------------------


async def test_navigation_and_visitor_details_reach_the_desk_after_accept(world, make_agent):
    _, agent, comm, token, accepted = await chatting(make_agent)
    assert accepted["visitor"] == {"os": "Linux"}

    await comm.send_json_to(
        {
            "type": "navigation",
            "kind": "article_viewed",
            "value": "KB-12 <Refunds>",
            "at": "2026-11-23T10:00:00Z",
        }
    )
    assert await agent.receive_json_from(timeout=WAIT) == {
        "type": "navigation",
        "conversation": token,
        "kind": "article_viewed",
        "value": "KB-12 <Refunds>",
        "at": "2026-11-23T10:00:00+00:00",
        "url": "",
    }
    await comm.send_json_to({"type": "visitor", "visitor": {"authenticated": True, "os": "Mac"}})
    assert await agent.receive_json_from(timeout=WAIT) == {
        "type": "visitor",
        "conversation": token,
        "visitor": {"os": "Mac", "authenticated": True},
    }
    conv = await db(Conversation.objects.get, public_token=token)
    assert conv.visitor == {"os": "Mac", "authenticated": True}
    assert await db(NavigationEvent.objects.filter(conversation=conv).count) == 1
    await close(comm, agent)


async def test_visitor_before_start_is_kept_and_bad_visitor_changes_nothing(world, make_agent):
    comm = await customer()
    await comm.send_json_to({"type": "visitor", "visitor": {"language": "pt-PT"}})
    await comm.send_json_to({"type": "visitor", "visitor": ["not", "an", "object"]})
    assert (await comm.receive_json_from(timeout=WAIT))["field"] == "visitor"
    await comm.send_json_to({"type": "start", "visitor": {"os": "Linux"}})
    token = (await receive(comm, "started"))["conversation"]
    conv = await db(Conversation.objects.get, public_token=token)
    assert conv.visitor == {"language": "pt-PT", "os": "Linux"}

    for bad in ({"nested": {"a": 1}}, "x", [1], {"big": "x" * 20_000}):
        await comm.send_json_to({"type": "visitor", "visitor": bad})
        reply = await comm.receive_json_from(timeout=WAIT)
        assert (reply["type"], reply["field"]) == ("error", "visitor"), bad
    conv = await db(Conversation.objects.get, public_token=token)
    assert conv.visitor == {"language": "pt-PT", "os": "Linux"}
    await close(comm)


# --- telephony events ----------------------------------------------------------------------


async def test_call_events_reach_the_agents_desks_only(world, make_agent):
    ana_user = await db(make_agent, "ana")
    ana = await desk(ana_user, presence="busy")
    bo = await desk(await db(make_agent, "bo"), presence="busy")
    ana_profile = await db(AgentProfile.objects.get, user=ana_user)
    call = {"activity": 41, "caller": "+351912345678", "queue": "Billing", "contact": None}
    await events.relay(
        events.CallEvent(agent=ana_profile.pk, event="ringing", state="ringing", **call)
    )
    assert await ana.receive_json_from(timeout=WAIT) == {
        "type": "call",
        "event": "ringing",
        "activity": 41,
        "caller": "+351912345678",
        "queue": "Billing",
        "contact": None,
        "state": "ringing",
    }
    await settle(bo)
    await close(ana, bo)


# --- several desks of one agent ------------------------------------------------------------


async def test_closing_one_of_two_desks_keeps_the_agent_online(world, make_agent):
    user = await db(make_agent, "ana")
    first = await desk(user)
    second, connected, _ = await connect(DESK_PATH, user)
    assert connected
    hello = await second.receive_json_from(timeout=WAIT)
    assert hello["presence"] == "available"
    assert await db(DeskConnection.objects.filter(agent__user=user).count) == 2

    await close(first)  # returns once its consumer has handled the disconnect
    profile = await db(AgentProfile.objects.get, user=user)
    assert profile.presence == "available"
    assert await db(DeskConnection.objects.filter(agent__user=user).count) == 1

    # Still offered work on the remaining desk.
    comm = await customer()
    await comm.send_json_to({"type": "start"})
    token = (await receive(comm, "started"))["conversation"]
    offer = await receive(second, "offer", allowed=[MIRRORED_AVAILABLE])
    assert offer["conversation"] == token

    await close(second)  # the last desk: offline, and the open offer moves on
    profile = await db(AgentProfile.objects.get, user=user)
    assert profile.presence == "offline"
    assert await db(DeskConnection.objects.count) == 0
    assert (await db(Conversation.objects.get, public_token=token)).status == "waiting"
    await close(comm)


async def test_what_one_desk_does_shows_on_the_agents_other_desk(world, make_agent):
    user = await db(make_agent, "ana")
    one = await desk(user)
    two, _, _ = await connect(DESK_PATH, user)
    assert (await two.receive_json_from(timeout=WAIT))["presence"] == "available"  # hello
    comm = await customer()
    await comm.send_json_to({"type": "start", "pre_chat": {"name": "Rita"}})
    token = (await receive(comm, "started"))["conversation"]
    offer = await receive(one, "offer")
    assert (await receive(two, "offer", allowed=[MIRRORED_AVAILABLE]))["offer"] == offer["offer"]

    await one.send_json_to({"type": "accept", "offer": offer["offer"]})
    assert (await one.receive_json_from(timeout=WAIT))["type"] == "accepted"
    mirrored = await two.receive_json_from(timeout=WAIT)
    assert (mirrored["type"], mirrored["conversation"]) == ("accepted", token)
    assert (await receive(comm, "status"))["status"] == "active"

    a1 = await agent_say(one, token, "a-1", "Hi from tab one")
    got = await two.receive_json_from(timeout=WAIT)
    assert (got["type"], got["sender"], got["id"]) == ("message", "agent", a1)
    assert (await receive(comm, "message"))["id"] == a1
    c1 = await say(comm, "c-1", "thanks")
    for tab in (one, two):
        got = await tab.receive_json_from(timeout=WAIT)
        assert (got["type"], got["id"]) == ("message", c1)

    await two.send_json_to({"type": "read", "conversation": token, "up_to": c1})
    assert (await one.receive_json_from(timeout=WAIT)) == {
        "type": "read",
        "conversation": token,
        "reader": "agent",
        "up_to": c1,
    }
    assert (await receive(comm, "read"))["up_to"] == c1
    await two.send_json_to({"type": "end", "conversation": token})
    assert await two.receive_json_from(timeout=WAIT) == {"type": "ended", "conversation": token}
    assert await one.receive_json_from(timeout=WAIT) == {
        "type": "ended",
        "conversation": token,
        "by": "agent",
    }
    # `two` has answered, so what its `end` published has been sent.
    await settle(two)
    await settle(one)
    assert await db(Message.objects.count) == 2

    # A decline and a presence change in one desk show in the other.
    other = await customer()
    await other.send_json_to({"type": "start"})
    await receive(other, "started")
    offer = await one.receive_json_from(timeout=WAIT)
    assert offer["type"] == "offer"
    assert (await two.receive_json_from(timeout=WAIT))["offer"] == offer["offer"]
    await two.send_json_to({"type": "decline", "offer": offer["offer"]})
    declined = {"type": "declined", "offer": offer["offer"]}
    assert await two.receive_json_from(timeout=WAIT) == declined
    assert await one.receive_json_from(timeout=WAIT) == declined
    await one.send_json_to({"type": "presence", "presence": "away"})
    assert await one.receive_json_from(timeout=WAIT) == {"type": "presence", "presence": "away"}
    assert await two.receive_json_from(timeout=WAIT) == {"type": "presence", "presence": "away"}
    await settle(one)
    await settle(two)
    await close(comm, other, one, two)


def test_desks_of_a_dead_process_are_swept_and_their_agent_goes_offline(world, make_agent):
    ana = services.agent_profile_set(
        workspace=world.support, user=make_agent("ana"), presence="available"
    )
    bo = services.agent_profile_set(
        workspace=world.support, user=make_agent("bo"), presence="available"
    )
    services.desk_connect(agent=ana, channel_name="dead-1")
    services.desk_connect(agent=bo, channel_name="alive-1")
    old = timezone.now() - timedelta(seconds=services.DESK_STALE_SECONDS + 5)
    DeskConnection.objects.filter(channel_name="dead-1").update(last_seen_at=old)
    DeskConnection.objects.filter(channel_name="alive-1").update(last_seen_at=old)
    services.desk_touch(channel_name="alive-1")  # bo's desk pinged

    assert services.desk_connections_sweep() == 1
    ana.refresh_from_db()
    bo.refresh_from_db()
    assert (ana.presence, bo.presence) == ("offline", "available")
    assert list(DeskConnection.objects.values_list("channel_name", flat=True)) == ["alive-1"]
