"""Many customers at once against 10 agents of capacity 2, split over the app processes (two
on PostgreSQL + Redis, one on SQLite): while it runs, the database is sampled and never shows
a conversation with two open offers nor an agent carrying more than their capacity; in the
end every customer was served exactly once."""

import asyncio
import threading

from .servers import Socket

CUSTOMERS = 40
AGENTS = [f"crowd{i}" for i in range(10)]
CAPACITY = 2

# One statement each, so each is one consistent snapshot of the database.
TWO_OPEN_OFFERS = (
    "SELECT conversation_id FROM routing_offer WHERE status = 'offered'"
    " GROUP BY conversation_id HAVING COUNT(*) > 1"
)
OVER_CAPACITY = (
    "SELECT a.id, a.capacity,"
    " (SELECT COUNT(*) FROM routing_conversation c WHERE c.agent_id = a.id AND c.status = 'active')"
    " + (SELECT COUNT(*) FROM routing_offer o WHERE o.agent_id = a.id AND o.status = 'offered')"
    " FROM routing_agentprofile a JOIN workspaces_workspace w ON w.id = a.workspace_id"
    " WHERE w.slug = 'crowd'"
)


class Sampler(threading.Thread):
    """Reads the database over and over until stopped; keeps every violation it saw."""

    def __init__(self, site):
        super().__init__(daemon=True)
        self.site = site
        self.stopped = threading.Event()
        self.violations: list = []
        self.samples = 0

    def run(self):
        while not self.stopped.is_set():
            self.violations += [("two open offers", r) for r in self.site.query(TWO_OPEN_OFFERS)]
            self.violations += [
                ("over capacity", r) for r in self.site.query(OVER_CAPACITY) if r[2] > r[1]
            ]
            self.samples += 1
            self.stopped.wait(0.01)


async def run_agent(sock: Socket, served: dict, everyone_served: asyncio.Event, log: list):
    """Accept every offer, greet, and end the conversation once the customer answered."""
    while not everyone_served.is_set():
        try:
            m = await sock.recv(timeout=0.5)
        except TimeoutError:
            continue
        log.append(m)
        if m["type"] == "offer":
            await sock.send(type="accept", offer=m["offer"])
        elif m["type"] == "accepted":
            token = m["conversation"]
            await sock.send(type="message", conversation=token, client_id="a-1", body="Hello")
        elif m["type"] == "message" and m["sender"] == "customer":
            await sock.send(type="end", conversation=m["conversation"])
        elif m["type"] == "ended":
            served[m["conversation"]] = served.get(m["conversation"], 0) + 1
            if len(served) == CUSTOMERS:
                everyone_served.set()


async def run_customer(sock: Socket, go: asyncio.Event) -> tuple[str, list[dict]]:
    """Start when told, answer the agent's greeting, wait for the end."""
    await go.wait()
    await sock.send(type="start", pre_chat={"name": "Crowd"}, visitor={})
    got = [await sock.recv()]
    token = got[0]["conversation"]
    while True:
        m = await sock.recv(timeout=60)
        got.append(m)
        if m["type"] == "message" and m["sender"] == "agent":
            await sock.send(type="message", client_id="c-1", body="Thanks")
        elif m["type"] == "status" and m["status"] == "ended":
            return token, got


async def test_crowd_is_served_once_each_never_offered_twice_nor_beyond_capacity(site):
    servers = site.servers
    desks = [
        (await site.desk("crowd", name, server=servers[i % len(servers)]))[0]
        for i, name in enumerate(AGENTS)
    ]
    # Customers on the other process than the agent they will probably get; half on each.
    chats = [
        await site.customer("crowd", server=servers[(i + 1) % len(servers)])
        for i in range(CUSTOMERS)
    ]
    sampler = Sampler(site)
    sampler.start()
    served: dict[str, int] = {}
    everyone_served, go = asyncio.Event(), asyncio.Event()
    logs: list[list[dict]] = [[] for _ in desks]
    agents = [
        asyncio.create_task(run_agent(d, served, everyone_served, log))
        for d, log in zip(desks, logs, strict=True)
    ]
    customers = [asyncio.create_task(run_customer(c, go)) for c in chats]
    go.set()  # every customer starts at the same moment
    try:
        results = await asyncio.wait_for(asyncio.gather(*customers), 120)
        await asyncio.wait_for(everyone_served.wait(), 30)
        await asyncio.gather(*agents)
    finally:
        sampler.stopped.set()
        sampler.join()
        for t in [*agents, *customers]:
            t.cancel()
        for sock in [*desks, *chats]:
            await sock.close()

    assert sampler.violations == []
    assert sampler.samples > 0
    tokens = [token for token, _ in results]
    assert len(set(tokens)) == CUSTOMERS
    # Every customer saw one agent take the conversation, the greeting, and the end.
    for _, got in results:
        assert [m["type"] for m in got] == ["started", "status", "message", "ack", "status"], got
        assert got[1]["status"] == "active" and got[1]["agent"].startswith("Crowd")
    assert served == dict.fromkeys(tokens, 1)
    rows = site.query(
        "SELECT c.public_token, c.status, COUNT(o.id),"
        " SUM(CASE WHEN o.status = 'accepted' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN o.status = 'offered' THEN 1 ELSE 0 END)"
        " FROM routing_conversation c JOIN workspaces_workspace w ON w.id = c.workspace_id"
        " JOIN routing_offer o ON o.conversation_id = c.id"
        " WHERE w.slug = 'crowd' GROUP BY c.public_token, c.status"
    )
    assert len(rows) == CUSTOMERS
    assert {(token, status, accepted, offered) for token, status, _, accepted, offered in rows} == {
        (token, "ended", 1, 0) for token in tokens
    }
    # An offer that expired on a busy machine went to someone else; none is ever lost.
    offers_received = sum(1 for log in logs for m in log if m["type"] == "offer")
    assert offers_received == sum(n for _, _, n, _, _ in rows)


async def test_an_agent_with_room_is_offered_every_conversation_started_at_once(site):
    """20 customers start at the same moment (half on each process) while one agent with
    capacity 20 accepts everything: each one is offered and accepted. A conversation whose
    routing found the agent row locked by the other process must not be left waiting."""
    desk, _ = await site.desk("room", "roomy")
    servers = site.servers
    chats = [await site.customer("room", server=servers[i % len(servers)]) for i in range(20)]
    go = asyncio.Event()

    async def customer(sock):
        await go.wait()
        await sock.send(type="start", pre_chat={}, visitor={})
        started = await sock.recv()
        try:
            status = await sock.recv(timeout=30)
        except TimeoutError:  # left waiting: the assertions below say how many
            status = {"type": "timeout", "status": None, "agent": None}
        return started["conversation"], status

    async def agent():
        accepted = set()
        while len(accepted) < 20:
            try:
                m = await desk.recv(timeout=30)
            except TimeoutError:
                return accepted
            if m["type"] == "offer":
                await desk.send(type="accept", offer=m["offer"])
            elif m["type"] == "accepted":
                accepted.add(m["conversation"])
        return accepted

    tasks = [asyncio.create_task(customer(c)) for c in chats]
    agent_task = asyncio.create_task(agent())
    go.set()
    try:
        results = await asyncio.gather(*tasks)
        accepted = await agent_task
    finally:
        waiting = site.query(
            "SELECT c.status, COUNT(*) FROM routing_conversation c"
            " JOIN workspaces_workspace w ON w.id = c.workspace_id WHERE w.slug = 'room'"
            " GROUP BY c.status ORDER BY c.status"
        )
        offers = site.query(
            "SELECT o.status, COUNT(*) FROM routing_offer o"
            " JOIN routing_conversation c ON c.id = o.conversation_id"
            " JOIN workspaces_workspace w ON w.id = c.workspace_id WHERE w.slug = 'room'"
            " GROUP BY o.status ORDER BY o.status"
        )
        for t in [*tasks, agent_task]:
            t.cancel()
        for sock in [*chats, desk]:
            await sock.close()
    assert (waiting, offers) == ([("active", 20)], [("accepted", 20)])
    assert {token for token, _ in results} == accepted
    assert {(s["type"], s["status"], s["agent"]) for _, s in results} == {
        ("status", "active", "Roomy")
    }
