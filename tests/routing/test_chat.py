"""Customer widget and agent desk over real websockets (Channels' communicator against
caredesk.asgi.application): pre-chat, acknowledgements, idempotent retries, resume, routing
by skills and capacity, decline, accept and messages both ways."""

import pytest
from asgiref.sync import sync_to_async

from caredesk.routing import services
from caredesk.routing.models import (
    Conversation,
    Message,
    NavigationEvent,
    Offer,
)
from tests.waiting import WAIT, close, receive, settle

from .conftest import DESK_PATH, connect, customer, desk

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


async def start(comm, topic=None, **visitor):
    pre_chat = {"name": "Rita", "email": "rita@example.com"}
    if topic:
        pre_chat["topic"] = topic
    await comm.send_json_to({"type": "start", "pre_chat": pre_chat, "visitor": visitor})
    return await receive(comm, "started")


async def test_start_with_pre_chat_uses_the_topic_queue(world):
    await db(services.queue_create, workspace=world.support, name="Billing", priority=5)
    comm = await customer()
    started = await start(comm, topic="billing", language="pt-PT", page="https://shop/x")
    assert started["queue"] == "Billing"
    assert started["status"] == "waiting"
    conv = await db(Conversation.objects.get, public_token=started["conversation"])
    assert conv.pre_chat == {"name": "Rita", "email": "rita@example.com", "topic": "billing"}
    assert conv.visitor == {"language": "pt-PT", "page": "https://shop/x"}
    assert conv.workspace_id == world.support.pk
    await close(comm)

    other = await customer()
    assert (await start(other, topic="no such queue"))["queue"] == "General"
    await close(other)


async def test_bad_pre_chat_is_refused_with_the_field(world):
    comm = await customer()
    await comm.send_json_to({"type": "start", "pre_chat": ["not", "an", "object"]})
    reply = await comm.receive_json_from(timeout=WAIT)
    assert reply["type"] == "error" and reply["field"] == "pre_chat"
    assert await db(Conversation.objects.count) == 0
    await comm.send_json_to({"type": "message", "client_id": "c1", "body": "hi"})
    assert (await comm.receive_json_from(timeout=WAIT))["field"] == "conversation"
    await close(comm)


async def test_unknown_workspace_is_refused(world):
    for path in ("/ws/v1/chat/acme.nope/", "/ws/v1/chat/support/", "/ws/v1/chat/nope.support/"):
        _, connected, code = await connect(path)
        assert (connected, code) == (False, 4404)


async def test_message_is_acknowledged_after_it_is_stored_and_retry_is_idempotent(world):
    comm = await customer()
    started = await start(comm)
    await comm.send_json_to({"type": "message", "client_id": "c-1", "body": "Hello?"})
    ack = await comm.receive_json_from(timeout=WAIT)
    assert ack["type"] == "ack" and ack["client_id"] == "c-1"
    stored = await db(Message.objects.get, pk=ack["id"])
    assert (stored.body, stored.sender) == ("Hello?", "customer")
    assert (
        stored.conversation_id
        == (await db(Conversation.objects.get, public_token=started["conversation"])).pk
    )

    # The widget did not see the ack (say the network dropped) and sends it again.
    await comm.send_json_to({"type": "message", "client_id": "c-1", "body": "Hello?"})
    assert await comm.receive_json_from(timeout=WAIT) == ack
    assert await db(Message.objects.count) == 1
    await close(comm)


async def test_bad_message_is_refused_and_nothing_is_stored(world):
    comm = await customer()
    await start(comm)
    for bad, field in (
        ({"client_id": "", "body": "x"}, "client_id"),
        ({"client_id": "c", "body": "   "}, "body"),
        ({"client_id": "c", "body": 42}, "body"),
    ):
        await comm.send_json_to({"type": "message", **bad})
        reply = await comm.receive_json_from(timeout=WAIT)
        assert reply["type"] == "error" and reply["field"] == field
    assert await db(Message.objects.count) == 0
    await close(comm)


async def test_resume_after_reconnect_replays_history_without_duplicates(world):
    comm = await customer()
    token = (await start(comm))["conversation"]
    for i in (1, 2):
        await comm.send_json_to({"type": "message", "client_id": f"c-{i}", "body": f"m{i}"})
        assert (await comm.receive_json_from(timeout=WAIT))["type"] == "ack"
    await close(comm)

    again = await customer()
    await again.send_json_to({"type": "resume", "conversation": token})
    history = await again.receive_json_from(timeout=WAIT)
    assert history["type"] == "history" and history["conversation"] == token
    assert [(m["client_id"], m["body"], m["sender"]) for m in history["messages"]] == [
        ("c-1", "m1", "customer"),
        ("c-2", "m2", "customer"),
    ]
    # The second message is retried after the reload: acknowledged, not stored twice.
    await again.send_json_to({"type": "message", "client_id": "c-2", "body": "m2"})
    ack = await again.receive_json_from(timeout=WAIT)
    assert ack == {"type": "ack", "client_id": "c-2", "id": history["messages"][1]["id"]}
    await again.send_json_to({"type": "message", "client_id": "c-3", "body": "m3"})
    assert (await again.receive_json_from(timeout=WAIT))["type"] == "ack"
    assert await db(lambda: list(Message.objects.values_list("client_id", flat=True))) == [
        "c-1",
        "c-2",
        "c-3",
    ]
    await close(again)


async def test_resume_of_unknown_or_other_workspace_conversation_is_refused(world):
    comm = await customer()
    token = (await start(comm))["conversation"]
    await close(comm)
    await db(services.queue_create, workspace=world.sales, name="General", is_default=True)
    sales, connected, _ = await connect("/ws/v1/chat/acme.sales/")
    assert connected
    await sales.receive_json_from(timeout=WAIT)
    for bad in (token, "nope", None):
        await sales.send_json_to({"type": "resume", "conversation": bad})
        reply = await sales.receive_json_from(timeout=WAIT)
        assert reply["type"] == "error" and reply["field"] == "conversation"
    await close(sales)


async def test_navigation_events_before_and_after_the_chat_begins(world):
    comm = await customer()
    await comm.send_json_to(
        {
            "type": "navigation",
            "kind": "page_visited",
            "value": "/pricing",
            "at": "2026-11-23T10:00:00Z",
        }
    )
    await comm.send_json_to({"type": "navigation", "kind": "phrase_searched", "value": "refund"})
    await comm.send_json_to({"type": "navigation", "kind": "bogus", "value": "x"})
    assert (await comm.receive_json_from(timeout=WAIT))["field"] == "kind"
    await start(comm)
    await comm.send_json_to({"type": "navigation", "kind": "article_viewed", "value": "KB-12"})
    await comm.send_json_to({"type": "ping"})  # messages are handled in order
    assert await comm.receive_json_from(timeout=WAIT) == {"type": "pong"}
    events = await db(lambda: list(NavigationEvent.objects.order_by("id")))
    assert [(e.kind, e.value) for e in events] == [
        ("page_visited", "/pricing"),
        ("phrase_searched", "refund"),
        ("article_viewed", "KB-12"),
    ]
    assert events[0].at.isoformat() == "2026-11-23T10:00:00+00:00"
    await close(comm)


async def test_anonymous_or_outsider_desk_is_refused(world):
    _, connected, code = await connect(DESK_PATH)
    assert (connected, code) == (False, 4401)
    # The other organization has its own "support"; acme's "sales" is not theirs.
    _, connected, code = await connect("/ws/v1/desk/sales/", world.outsider)
    assert (connected, code) == (False, 4403)
    _, connected, code = await connect("/ws/v1/desk/sales/", world.agent)  # not a member
    assert (connected, code) == (False, 4403)


async def test_accept_then_messages_both_ways(world, make_agent):
    ana = await db(make_agent, "ana")
    agent = await desk(ana)
    comm = await customer()
    token = (await start(comm))["conversation"]
    await comm.send_json_to({"type": "message", "client_id": "c-1", "body": "Hi, anyone?"})
    assert (await comm.receive_json_from(timeout=WAIT))["type"] == "ack"

    offer = await receive(agent, "offer")
    assert offer["conversation"] == token
    assert offer["pre_chat"]["name"] == "Rita" and offer["queue"] == "General"
    await agent.send_json_to({"type": "accept", "offer": offer["offer"]})
    accepted = await agent.receive_json_from(timeout=WAIT)
    assert accepted["type"] == "accepted" and accepted["conversation"] == token
    assert [m["body"] for m in accepted["messages"]] == ["Hi, anyone?"]
    assert accepted["wait_seconds"] is not None
    status = await comm.receive_json_from(timeout=WAIT)
    assert status == {"type": "status", "status": "active", "agent": "Ana"}

    await agent.send_json_to(
        {"type": "message", "conversation": token, "client_id": "a-1", "body": "Hello Rita"}
    )
    ack = await agent.receive_json_from(timeout=WAIT)
    assert ack["type"] == "ack" and ack["client_id"] == "a-1"
    got = await comm.receive_json_from(timeout=WAIT)
    assert got["type"] == "message" and got["sender"] == "agent"
    assert (got["body"], got["id"]) == ("Hello Rita", ack["id"])

    await comm.send_json_to({"type": "message", "client_id": "c-2", "body": "Thanks"})
    assert (await comm.receive_json_from(timeout=WAIT))["type"] == "ack"
    got = await agent.receive_json_from(timeout=WAIT)
    assert got["type"] == "message" and got["sender"] == "customer"
    assert (got["body"], got["conversation"]) == ("Thanks", token)

    conv = await db(Conversation.objects.get, public_token=token)
    assert conv.status == "active" and conv.accepted_at is not None
    assert conv.wait_seconds == accepted["wait_seconds"] >= 0
    assert await db(Message.objects.filter(conversation=conv, author=ana).count) == 1
    await settle(comm)  # nobody gets their own side's echo
    await settle(agent)
    await close(comm, agent)


async def test_agent_cannot_write_into_a_conversation_they_do_not_have(world, make_agent):
    ana = await db(make_agent, "ana")
    agent = await desk(ana, presence="away")
    comm = await customer()
    token = (await start(comm))["conversation"]
    await agent.send_json_to(
        {"type": "message", "conversation": token, "client_id": "a-1", "body": "peek"}
    )
    reply = await agent.receive_json_from(timeout=WAIT)
    assert reply["type"] == "error" and reply["field"] == "conversation"
    await agent.send_json_to({"type": "accept", "offer": 999})
    assert (await agent.receive_json_from(timeout=WAIT))["field"] == "offer"
    assert await db(Message.objects.count) == 0
    await close(comm)
    await close(agent)


async def test_customer_html_is_stored_and_delivered_verbatim(world, make_agent):
    ana = await db(make_agent, "ana")
    agent = await desk(ana)
    comm = await customer()
    token = (await start(comm))["conversation"]
    offer = await agent.receive_json_from(timeout=WAIT)
    await agent.send_json_to({"type": "accept", "offer": offer["offer"]})
    await agent.receive_json_from(timeout=WAIT)
    await comm.receive_json_from(timeout=WAIT)  # status: active

    html = '<script>alert("x")</script><b>bold</b> & more'
    await comm.send_json_to({"type": "message", "client_id": "c-1", "body": html})
    ack = await comm.receive_json_from(timeout=WAIT)
    assert (await db(Message.objects.get, pk=ack["id"])).body == html
    got = await agent.receive_json_from(timeout=WAIT)
    assert (got["body"], got["conversation"]) == (html, token)
    await close(comm)
    await close(agent)


async def test_skills_are_respected(world, make_agent):
    await db(
        services.queue_create,
        workspace=world.support,
        name="Billing",
        required_skills=["billing", "portuguese"],
    )
    generalist = await db(make_agent, "gina", skills={"portuguese": 5})
    expert = await db(make_agent, "ed", skills={"billing": 2, "portuguese": 3})
    gina = await desk(generalist)  # idle longest, but lacks "billing"
    ed = await desk(expert)
    comm = await customer()
    token = (await start(comm, topic="Billing"))["conversation"]
    offer = await receive(ed, "offer")
    assert offer["conversation"] == token
    await settle(gina)
    assert await db(Offer.objects.count) == 1
    await close(comm, gina, ed)


async def test_nobody_with_the_skills_leaves_it_waiting(world, make_agent):
    await db(
        services.queue_create, workspace=world.support, name="Billing", required_skills=["billing"]
    )
    gina = await desk(await db(make_agent, "gina"))
    comm = await customer()
    token = (await start(comm, topic="Billing"))["conversation"]
    await settle(comm)  # `start` handled in full: its routing, and any offer, are done
    await settle(gina)
    assert (await db(Conversation.objects.get, public_token=token)).status == "waiting"
    assert await db(Offer.objects.count) == 0
    await close(comm, gina)


async def test_capacity_is_respected(world, make_agent):
    solo = await desk(await db(make_agent, "solo", capacity=1))
    first = await customer()
    t1 = (await start(first))["conversation"]
    offer = await receive(solo, "offer")
    assert offer["conversation"] == t1
    await solo.send_json_to({"type": "accept", "offer": offer["offer"]})
    await receive(solo, "accepted")

    second = await customer()
    t2 = (await start(second))["conversation"]
    await settle(second)
    await settle(solo)  # full: one active conversation
    assert (await db(Conversation.objects.get, public_token=t2)).status == "waiting"

    # A second agent who becomes available gets the waiting conversation.
    other = await desk(await db(make_agent, "other"))
    offer2 = await receive(other, "offer")
    assert offer2["conversation"] == t2
    await close(first, second, solo, other)


async def test_an_open_offer_counts_against_capacity(world, make_agent):
    solo = await desk(await db(make_agent, "solo", capacity=1))
    a = await customer()
    await start(a)
    await receive(solo, "offer")
    b = await customer()
    await start(b)
    await settle(b)
    await settle(solo)
    assert await db(Offer.objects.count) == 1
    await close(a, b, solo)


async def test_decline_moves_to_the_next_agent_and_never_back(world, make_agent):
    first = await desk(await db(make_agent, "first"))  # longest idle
    second = await desk(await db(make_agent, "second"))
    comm = await customer()
    token = (await start(comm))["conversation"]
    offer = await receive(first, "offer")
    assert offer["conversation"] == token
    await settle(comm)
    await settle(second)  # never offered to two at once

    await first.send_json_to({"type": "decline", "offer": offer["offer"]})
    assert await receive(first, "declined") == {"type": "declined", "offer": offer["offer"]}
    offer2 = await receive(second, "offer")
    assert offer2["conversation"] == token and offer2["offer"] != offer["offer"]

    await second.send_json_to({"type": "decline", "offer": offer2["offer"]})
    await receive(second, "declined")
    await settle(second)  # its decline's routing is done
    await settle(first)  # not offered back to who declined
    conv = await db(Conversation.objects.get, public_token=token)
    assert conv.status == "waiting"
    statuses = await db(lambda: sorted(Offer.objects.values_list("status", flat=True)))
    assert statuses == ["declined", "declined"]

    # A declined offer can no longer be accepted.
    await first.send_json_to({"type": "accept", "offer": offer["offer"]})
    assert (await first.receive_json_from(timeout=WAIT))["field"] == "offer"
    await close(comm, first, second)


async def test_unanswered_offer_times_out_to_the_next_agent(world, make_agent, monkeypatch):
    slow = await desk(await db(make_agent, "slow"))
    quick = await desk(await db(make_agent, "quick"))
    # Each desk's timer reads the timeout when its offer arrives: slow's offer (the first)
    # expires quickly, quick's (the next) never. With one short timeout for both, quick's offer
    # expired too whenever a busy machine took longer than that to answer it.
    timeouts = iter([0.3])
    monkeypatch.setattr(services, "offer_timeout_seconds", lambda: next(timeouts, 3600.0))
    comm = await customer()
    token = (await start(comm))["conversation"]
    offer = await receive(slow, "offer")
    assert offer["conversation"] == token
    assert await slow.receive_json_from(timeout=WAIT) == {
        "type": "offer_expired",
        "offer": offer["offer"],
    }
    offer2 = await receive(quick, "offer")
    assert offer2["conversation"] == token
    await slow.send_json_to({"type": "accept", "offer": offer["offer"]})  # too late
    assert (await slow.receive_json_from(timeout=WAIT))["field"] == "offer"
    await quick.send_json_to({"type": "accept", "offer": offer2["offer"]})
    await receive(quick, "accepted")
    await settle(slow)  # not offered back to who let it expire
    statuses = await db(lambda: list(Offer.objects.order_by("pk").values_list("status", flat=True)))
    assert statuses == ["expired", "accepted"]
    await close(comm, slow, quick)


async def test_desk_disconnect_hands_open_offers_on_and_reconnect_restores_conversations(
    world, make_agent
):
    ana_user = await db(make_agent, "ana")
    ana = await desk(ana_user)
    bo = await desk(await db(make_agent, "bo"))
    first = await customer()
    t1 = (await start(first))["conversation"]
    offer = await receive(ana, "offer")  # ana idle longest
    await ana.send_json_to({"type": "accept", "offer": offer["offer"]})
    await receive(ana, "accepted")
    assert (await receive(first, "status"))["status"] == "active"

    second = await customer()
    t2 = (await start(second))["conversation"]
    offer2 = await receive(bo, "offer")  # bo carries nothing, ana one
    assert offer2["conversation"] == t2
    await close(bo)  # closes the desk with the offer open: it goes to ana
    offer3 = await receive(ana, "offer")
    assert offer3["conversation"] == t2
    await close(ana)  # ana's open offer expires too; t2 waits for someone else
    assert (await db(Conversation.objects.get, public_token=t2)).status == "waiting"

    again, connected, _ = await connect(DESK_PATH, ana_user)
    hello = await receive(again, "hello")
    assert (hello["presence"], hello["conversations"], hello["offers"]) == ("offline", [t1], [])
    await first.send_json_to({"type": "message", "client_id": "c-1", "body": "still there?"})
    assert (await first.receive_json_from(timeout=WAIT))["type"] == "ack"
    got = await receive(again, "message")
    assert (got["body"], got["conversation"]) == ("still there?", t1)
    await again.send_json_to({"type": "history", "conversation": t1})
    assert [m["body"] for m in (await again.receive_json_from(timeout=WAIT))["messages"]] == [
        "still there?"
    ]
    await close(first, second, again)


def test_stale_offers_are_expired_by_the_periodic_sweep(world, make_agent):
    from datetime import timedelta

    from django.utils import timezone

    for name in ("ana", "bo"):
        services.agent_profile_set(
            workspace=world.support, user=make_agent(name), presence="available"
        )
    conversation = services.conversation_start(workspace=world.support)
    first = services.offer_next(conversation.pk)
    assert services.offers_expire_stale(timeout_seconds=30) == 0
    later = timezone.now() + timedelta(seconds=31)
    assert services.offers_expire_stale(timeout_seconds=30, now=later) == 1
    first.refresh_from_db()
    assert first.status == "expired"
    nxt = Offer.objects.get(status="offered")
    assert nxt.agent_id != first.agent_id and nxt.conversation_id == conversation.pk


async def test_ending_frees_capacity_for_the_next_waiting_conversation(world, make_agent):
    solo = await desk(await db(make_agent, "solo", capacity=1))
    first = await customer()
    t1 = (await start(first))["conversation"]
    offer = await receive(solo, "offer")
    await solo.send_json_to({"type": "accept", "offer": offer["offer"]})
    await receive(solo, "accepted")
    assert (await receive(first, "status"))["status"] == "active"
    second = await customer()
    t2 = (await start(second))["conversation"]
    await settle(second)
    await settle(solo)

    await first.send_json_to({"type": "end"})
    assert await first.receive_json_from(timeout=WAIT) == {"type": "ended", "conversation": t1}
    # `ended` (the status published by the end) and the offer that the freed capacity allows
    # are two publications to two groups: the protocol says both come, not in which order.
    got = [await solo.receive_json_from(timeout=WAIT) for _ in range(2)]
    ended = {"type": "ended", "conversation": t1, "by": "customer"}
    assert ended in got
    [offer2] = [m for m in got if m != ended]
    assert offer2["type"] == "offer" and offer2["conversation"] == t2
    await first.send_json_to({"type": "message", "client_id": "late", "body": "hello?"})
    assert (await first.receive_json_from(timeout=WAIT))["field"] == "conversation"
    conv = await db(Conversation.objects.get, public_token=t1)
    assert conv.status == "ended" and conv.ended_at is not None

    await solo.send_json_to({"type": "accept", "offer": offer2["offer"]})
    await receive(solo, "accepted")
    assert (await receive(second, "status"))["status"] == "active"
    await solo.send_json_to({"type": "end", "conversation": t2})
    assert await solo.receive_json_from(timeout=WAIT) == {"type": "ended", "conversation": t2}
    assert await second.receive_json_from(timeout=WAIT) == {
        "type": "status",
        "status": "ended",
        "agent": None,
    }
    await solo.send_json_to({"type": "message", "conversation": t2, "client_id": "x", "body": "y"})
    assert (await solo.receive_json_from(timeout=WAIT))["field"] == "conversation"
    await close(first, second, solo)
