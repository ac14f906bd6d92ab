"""A customer and agents over real websockets against running `caredesk serve` processes:
pre-chat, offer, accept, messages both ways, reconnect without loss nor duplicate, decline and
timeout moving to the next agent, skills and capacity. On PostgreSQL + Redis the customer is
connected to one app process and the agents to another."""

import asyncio
import json

from .conftest import OFFER_TIMEOUT_SECONDS

OFFER_WAIT = OFFER_TIMEOUT_SECONDS + 20  # the longest an expiry may take on a busy machine


def pick(message: dict, expected: dict) -> dict:
    """The fields of `expected` from `message`: protocol version 1 may add fields to a
    message, so the tests check the documented ones exactly and ignore additions."""
    return {k: message.get(k, "<missing>") for k in expected}


def check(message: dict, expected: dict) -> None:
    assert pick(message, expected) == expected


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def messages_of(site, token) -> list[tuple]:
    return site.query(
        "SELECT m.id, m.sender, m.client_id, m.body FROM routing_message m"
        " JOIN routing_conversation c ON c.id = m.conversation_id"
        " WHERE c.public_token = %s ORDER BY m.id",
        [token],
    )


def offers_of(site, token) -> list[tuple]:
    return site.query(
        "SELECT o.id, u.username, o.status FROM routing_offer o"
        " JOIN routing_conversation c ON c.id = o.conversation_id"
        " JOIN routing_agentprofile a ON a.id = o.agent_id"
        " JOIN workspaces_user u ON u.id = a.user_id"
        " WHERE c.public_token = %s ORDER BY o.id",
        [token],
    )


def conversation_row(site, token) -> tuple:
    (row,) = site.query(
        "SELECT c.status, u.username, c.wait_seconds, q.name, c.pre_chat, c.visitor"
        " FROM routing_conversation c JOIN routing_queue q ON q.id = c.queue_id"
        " LEFT JOIN routing_agentprofile a ON a.id = c.agent_id"
        " LEFT JOIN workspaces_user u ON u.id = a.user_id"
        " WHERE c.public_token = %s",
        [token],
    )
    return (*row[:4], _json(row[4]), _json(row[5]))


async def start(chat, **pre_chat) -> str:
    """Start a conversation; returns its token once the server has also tried to route it
    (a ping is answered only after `start` has been handled in full)."""
    await chat.send(type="start", pre_chat={"name": "Rita", **pre_chat}, visitor={})
    started = await chat.recv()
    assert started["type"] == "started" and started["status"] == "waiting"
    await chat.send(type="ping")
    assert await chat.recv() == {"type": "pong"}
    return started["conversation"]


async def test_pre_chat_offer_accept_and_messages_both_ways(site):
    desk, hello = await site.desk("basic", "ana")
    expected = {
        "type": "hello",
        "version": 1,
        "workspace": "basic",
        "presence": "offline",
        "capacity": 2,
        "conversations": [],
        "offers": [],
    }
    assert pick(hello, expected) == expected
    chat = await site.customer("basic")
    await chat.send(
        type="navigation",
        kind="phrase_searched",
        value="refund policy",
        at="2026-11-23T14:58:00Z",
    )
    pre_chat = {"name": "Rita <b>", "email": "rita@example.com", "topic": "billing"}
    visitor = {"authenticated": False, "browser": "Firefox 133", "language": "pt-PT"}
    await chat.send(type="start", pre_chat=pre_chat, visitor=visitor)
    started = await chat.recv()
    token = started["conversation"]
    assert started == {
        "type": "started",
        "conversation": token,
        "queue": "Billing",
        "status": "waiting",
        # The widget sent no language and the socket no Accept-Language: the workspace's.
        "language": "en",
    }

    offer = await desk.recv()
    expected = {
        "type": "offer",
        "offer": offer["offer"],
        "conversation": token,
        "queue": "Billing",
        "pre_chat": pre_chat,
        "waiting_since": offer["waiting_since"],
        "offered_at": offer["offered_at"],
    }
    assert pick(offer, expected) == expected
    # What the widget sent, plus whatever the server adds from the request (e.g. the IP).
    assert pick(offer["visitor"], visitor) == visitor
    # The customer writes before anyone accepted: stored, acknowledged, shown on accept.
    await chat.send(type="message", client_id="c-1", body="Hello? <script>x</script>")
    ack1 = await chat.recv()
    check(ack1, {"type": "ack", "client_id": "c-1", "id": ack1["id"]})

    await desk.send(type="accept", offer=offer["offer"])
    accepted = await desk.recv()
    assert accepted["type"] == "accepted" and accepted["offer"] == offer["offer"]
    assert accepted["conversation"] == token
    assert (accepted["pre_chat"], accepted["visitor"]) == (pre_chat, offer["visitor"])
    assert [(m["id"], m["client_id"], m["sender"], m["body"]) for m in accepted["messages"]] == [
        (ack1["id"], "c-1", "customer", "Hello? <script>x</script>")
    ]
    assert await chat.recv() == {"type": "status", "status": "active", "agent": "Ana"}

    await desk.send(type="message", conversation=token, client_id="a-1", body="Hi, I'm Ana")
    ack2 = await desk.recv()
    check(ack2, {"type": "ack", "conversation": token, "client_id": "a-1", "id": ack2["id"]})
    got = await chat.recv()
    check(
        got,
        {
            "type": "message",
            "id": ack2["id"],
            "client_id": "a-1",
            "sender": "agent",
            "body": "Hi, I'm Ana",
            "created_at": got["created_at"],
        },
    )

    await chat.send(type="message", client_id="c-2", body="I was charged twice")
    ack3 = await chat.recv()
    got = await desk.recv()
    check(
        got,
        {
            "type": "message",
            "conversation": token,
            "id": ack3["id"],
            "client_id": "c-2",
            "sender": "customer",
            "body": "I was charged twice",
            "created_at": got["created_at"],
        },
    )

    assert messages_of(site, token) == [
        (ack1["id"], "customer", "c-1", "Hello? <script>x</script>"),
        (ack2["id"], "agent", "a-1", "Hi, I'm Ana"),
        (ack3["id"], "customer", "c-2", "I was charged twice"),
    ]
    assert offers_of(site, token) == [(offer["offer"], "ana", "accepted")]
    assert conversation_row(site, token) == (
        "active",
        "ana",
        accepted["wait_seconds"],
        "Billing",
        pre_chat,
        offer["visitor"],
    )
    assert site.query(
        "SELECT n.kind, n.value FROM routing_navigationevent n"
        " JOIN routing_conversation c ON c.id = n.conversation_id WHERE c.public_token = %s",
        [token],
    ) == [("phrase_searched", "refund policy")]
    await chat.close()
    await desk.close()


async def accept_first_offer(desk, chat, token) -> dict:
    """The desk's next message is the offer of `token`: accept it; the customer is told."""
    offer = await desk.recv()
    assert (offer["type"], offer["conversation"]) == ("offer", token)
    await desk.send(type="accept", offer=offer["offer"])
    accepted = await desk.recv()
    assert (accepted["type"], accepted["conversation"]) == ("accepted", token)
    status = await chat.recv()
    assert (status["type"], status["status"]) == ("status", "active")
    return offer


async def receive_until(sock, done) -> list[dict]:
    """Every message up to and including the first for which done(message) is true."""
    got = []
    while not got or not done(got[-1]):
        got.append(await sock.recv())
    return got


async def test_customer_reconnect_resumes_without_loss_nor_duplicate(site):
    desk, _ = await site.desk("resume", "rui")
    chat = await site.customer("resume")
    token = await start(chat)
    await accept_first_offer(desk, chat, token)

    await chat.send(type="message", client_id="c-1", body="one")
    ack1 = await chat.recv()
    assert (await desk.recv())["client_id"] == "c-1"
    # c-2 is stored and acknowledged, but the widget is gone before it sees the ack; c-3 is
    # sent just before the socket closes (stored or not: the widget cannot tell).
    await chat.send(type="message", client_id="c-2", body="two")
    ack2 = await chat.recv()
    await chat.send(type="message", client_id="c-3", body="three")
    await chat.close()

    # While the customer is away, the agent writes.
    await desk.send(type="message", conversation=token, client_id="a-1", body="still there?")
    seen = await receive_until(desk, lambda m: m["type"] == "ack")
    ack_a1 = seen[-1]
    assert ack_a1["client_id"] == "a-1"

    # Back on another connection (on PostgreSQL + Redis: the agents' app process).
    chat = await site.customer("resume", server=site.agent_server)
    await chat.send(type="resume", conversation=token)
    history = await chat.recv()
    assert (history["type"], history["conversation"], history["status"]) == (
        "history",
        token,
        "active",
    )
    listed = [(m["id"], m["sender"], m["client_id"], m["body"]) for m in history["messages"]]
    c3 = [m for m in listed if m[2] == "c-3"]
    assert [m for m in listed if m[2] != "c-3"] == [
        (ack1["id"], "customer", "c-1", "one"),
        (ack2["id"], "customer", "c-2", "two"),
        (ack_a1["id"], "agent", "a-1", "still there?"),
    ]
    assert len(c3) <= 1

    # The widget retries what it never saw acknowledged: same ids, nothing stored twice.
    await chat.send(type="message", client_id="c-2", body="two")
    assert await chat.recv() == {"type": "ack", "client_id": "c-2", "id": ack2["id"]}
    await chat.send(type="message", client_id="c-3", body="three")
    ack3 = await chat.recv()
    assert (ack3["type"], ack3["client_id"]) == ("ack", "c-3")
    if c3:
        assert ack3["id"] == c3[0][0]
    await chat.send(type="message", client_id="c-4", body="four")
    ack4 = await chat.recv()

    # The agent got each customer message exactly once, in order, c-3 whenever it was stored.
    seen += await receive_until(desk, lambda m: m.get("client_id") == "c-4")
    assert [(m["type"], m["client_id"]) for m in seen if m["type"] == "message"] == [
        ("message", "c-2"),
        ("message", "c-3"),
        ("message", "c-4"),
    ]
    assert messages_of(site, token) == [
        (ack1["id"], "customer", "c-1", "one"),
        (ack2["id"], "customer", "c-2", "two"),
        *(
            [(ack3["id"], "customer", "c-3", "three")]
            if ack3["id"] < ack_a1["id"]
            else [(ack_a1["id"], "agent", "a-1", "still there?")]
        ),
        *(
            [(ack_a1["id"], "agent", "a-1", "still there?")]
            if ack3["id"] < ack_a1["id"]
            else [(ack3["id"], "customer", "c-3", "three")]
        ),
        (ack4["id"], "customer", "c-4", "four"),
    ]

    # The new connection receives the agent's messages live.
    await desk.send(type="message", conversation=token, client_id="a-2", body="welcome back")
    await receive_until(desk, lambda m: m["type"] == "ack")
    got = await chat.recv()
    assert (got["type"], got["client_id"], got["body"]) == ("message", "a-2", "welcome back")
    await chat.close()
    await desk.close()


async def test_decline_and_timeout_go_to_the_next_agent(site):
    # Becoming available in this order makes xavier the longest idle, then yara, then zoe.
    x, _ = await site.desk("handoff", "xavier")
    y, _ = await site.desk("handoff", "yara")
    z, _ = await site.desk("handoff", "zoe")
    chat = await site.customer("handoff")
    token = await start(chat)

    to_x = await x.recv()
    assert (to_x["type"], to_x["conversation"]) == ("offer", token)
    await x.send(type="decline", offer=to_x["offer"])
    assert await x.recv() == {"type": "declined", "offer": to_x["offer"]}

    to_y = await y.recv()
    assert (to_y["type"], to_y["conversation"]) == ("offer", token)
    # yara does not answer: after the offer timeout it expires and goes to zoe.
    assert await y.recv(timeout=OFFER_WAIT) == {"type": "offer_expired", "offer": to_y["offer"]}
    to_z = await z.recv(timeout=OFFER_WAIT)
    assert (to_z["type"], to_z["conversation"]) == ("offer", token)

    # Answers to offers that are no longer open change nothing.
    await x.send(type="accept", offer=to_x["offer"])
    error = await x.recv()
    assert (error["type"], error["field"]) == ("error", "offer")
    await y.send(type="accept", offer=to_y["offer"])
    error = await y.recv()
    assert (error["type"], error["field"]) == ("error", "offer")
    await y.send(type="accept", offer=to_z["offer"])  # not yara's offer
    error = await y.recv()
    assert (error["type"], error["field"]) == ("error", "offer")
    assert offers_of(site, token) == [
        (to_x["offer"], "xavier", "declined"),
        (to_y["offer"], "yara", "expired"),
        (to_z["offer"], "zoe", "offered"),
    ]
    assert conversation_row(site, token)[:2] == ("offered", None)

    await z.send(type="accept", offer=to_z["offer"])
    accepted = await z.recv()
    assert (accepted["type"], accepted["conversation"]) == ("accepted", token)
    status = await chat.recv()
    assert (status["type"], status["status"], status["agent"]) == ("status", "active", "Zoe")
    assert offers_of(site, token) == [
        (to_x["offer"], "xavier", "declined"),
        (to_y["offer"], "yara", "expired"),
        (to_z["offer"], "zoe", "accepted"),
    ]
    assert conversation_row(site, token)[:2] == ("active", "zoe")
    for sock in (chat, x, y, z):
        await sock.close()


async def test_offers_go_only_to_agents_with_every_required_skill(site):
    # bill (billing) becomes available first, so he is the longest idle.
    bill, _ = await site.desk("skills", "bill")
    tess, _ = await site.desk("skills", "tess")
    # Nobody has "legal", nobody has both "billing" and "tech": these two wait.
    legal, both = await site.customer("skills"), await site.customer("skills")
    legal_token = await start(legal, topic="Legal")
    both_token = await start(both, topic="Both")
    tech, billing = await site.customer("skills"), await site.customer("skills")
    tech_token = await start(tech, topic="Tech")
    billing_token = await start(billing, topic="Billing")

    # Each agent's first offer is the one conversation of their skill.
    to_tess = await tess.recv()
    assert (to_tess["type"], to_tess["conversation"], to_tess["queue"]) == (
        "offer",
        tech_token,
        "Tech",
    )
    to_bill = await bill.recv()
    assert (to_bill["type"], to_bill["conversation"], to_bill["queue"]) == (
        "offer",
        billing_token,
        "Billing",
    )
    assert offers_of(site, legal_token) == []
    assert offers_of(site, both_token) == []
    assert conversation_row(site, legal_token)[:4] == ("waiting", None, None, "Legal")
    assert conversation_row(site, both_token)[:4] == ("waiting", None, None, "Both")
    assert offers_of(site, tech_token) == [(to_tess["offer"], "tess", "offered")]
    assert offers_of(site, billing_token) == [(to_bill["offer"], "bill", "offered")]
    for sock in (legal, both, tech, billing, bill, tess):
        await sock.close()


async def test_an_agent_never_carries_more_than_their_capacity(site):
    solo, _ = await site.desk("capacity", "solo")  # capacity 2
    chats = [await site.customer("capacity") for _ in range(3)]
    tokens = [await start(chat) for chat in chats]

    # Two offers (an open offer counts against capacity), the third conversation waits.
    first, second = await solo.recv(), await solo.recv()
    assert [(m["type"], m["conversation"]) for m in (first, second)] == [
        ("offer", tokens[0]),
        ("offer", tokens[1]),
    ]
    assert offers_of(site, tokens[2]) == []
    assert conversation_row(site, tokens[2])[0] == "waiting"

    await solo.send(type="accept", offer=first["offer"])
    assert (await solo.recv())["type"] == "accepted"
    assert (await chats[0].recv())["status"] == "active"
    await solo.send(type="accept", offer=second["offer"])
    assert (await solo.recv())["type"] == "accepted"
    assert (await chats[1].recv())["status"] == "active"
    assert offers_of(site, tokens[2]) == []

    # Ending one conversation frees a place: the waiting one is offered now.
    await solo.send(type="end", conversation=tokens[0])
    got = [await solo.recv(), await solo.recv()]
    got.sort(key=lambda m: m["type"])
    assert pick(got[0], {"type": "ended", "conversation": tokens[0]}) == {
        "type": "ended",
        "conversation": tokens[0],
    }
    assert (got[1]["type"], got[1]["conversation"]) == ("offer", tokens[2])
    status = await chats[0].recv()
    assert (status["type"], status["status"]) == ("status", "ended")
    assert offers_of(site, tokens[0]) == [(first["offer"], "solo", "accepted")]
    assert offers_of(site, tokens[2]) == [(got[1]["offer"], "solo", "offered")]
    assert [conversation_row(site, t)[:2] for t in tokens] == [
        ("ended", "solo"),
        ("active", "solo"),
        ("offered", None),
    ]
    for sock in (*chats, solo):
        await sock.close()


async def test_an_idle_desk_still_gets_offers(site):
    """A desk that hears nothing for longer than the channel layer's blocking read (5 s with
    channels_redis) stays connected and gets the next offer. (With redis-py 8's default 5 s
    socket timeout that read timed out first: the consumer died with
    redis.exceptions.TimeoutError and the socket was dropped.)"""
    desk, _ = await site.desk("idle", "ida")
    await asyncio.sleep(7)  # no offer, no message: nothing for the consumer to receive
    chat = await site.customer("idle")
    token = await start(chat)
    offer = await desk.recv()
    assert (offer["type"], offer["conversation"]) == ("offer", token)
    await chat.close()
    await desk.close()


async def test_messages_sent_while_the_agent_accepts_reach_the_agent_once(site):
    """The customer keeps writing while the agent accepts (on PostgreSQL + Redis from
    another process): every message reaches the agent exactly once, either in `accepted`'s
    history or live afterwards; none falls between the two."""
    desk, _ = await site.desk("race", "rae")
    chat = await site.customer("race")
    token = await start(chat)
    offer = await desk.recv()
    assert offer["type"] == "offer"

    async def write():
        # Pipelined, acks not awaited: the widget may send as fast as the customer types.
        for k in range(1, 101):
            await chat.send(type="message", client_id=f"c-{k}", body=f"m{k}")
            await asyncio.sleep(0.002)

    writer = asyncio.create_task(write())
    await asyncio.sleep(0.05)
    await desk.send(type="accept", offer=offer["offer"])
    accepted = await desk.recv()
    assert accepted["type"] == "accepted"
    await writer
    got = [m["client_id"] for m in accepted["messages"]]
    while "c-100" not in got:
        m = await desk.recv()
        if m["type"] == "message":
            got.append(m["client_id"])
    assert sorted(got, key=lambda c: int(c[2:])) == [f"c-{k}" for k in range(1, 101)]
    assert len(messages_of(site, token)) == 100
    await chat.close()
    await desk.close()
