"""End-to-end chat against running servers: one `caredesk serve --no-worker` on SQLite (the
in-process channel layer cannot span processes), two on PostgreSQL + Redis (when
DATABASE_URL and REDIS_URL are set), customers on the first and agents on the last.

The servers use a database of their own (created, migrated and seeded once per test session)
and each test uses its own workspace, so the tests do not see each other's conversations."""

import os
import re

import pytest

from .servers import Database, Server, Socket, login, stop_all

# Every offer the servers make expires after this long, and the tests that accept one race
# it: 5 s was lost on a busy machine (20 offers at once to one agent, each accepted through a
# database write; a handoff test doing four round trips and two queries before accepting).
# The timeout test waits this long once.
OFFER_TIMEOUT_SECONDS = 20

SPEC = {
    "organization": "acme",
    "workspaces": [
        {
            "slug": "basic",
            "queues": [{"name": "Billing"}],
            "agents": [{"username": "ana", "capacity": 2}],
        },
        {"slug": "resume", "agents": [{"username": "rui", "capacity": 2}]},
        {
            "slug": "handoff",
            "agents": [{"username": u, "capacity": 1} for u in ("xavier", "yara", "zoe")],
        },
        {
            "slug": "skills",
            "queues": [
                {"name": "Billing", "skills": ["billing"]},
                {"name": "Tech", "skills": ["tech"]},
                {"name": "Legal", "skills": ["legal"]},
                {"name": "Both", "skills": ["billing", "tech"]},
            ],
            "agents": [
                {"username": "bill", "skills": {"billing": 3}},
                {"username": "tess", "skills": {"tech": 4}},
            ],
        },
        {"slug": "capacity", "agents": [{"username": "solo", "capacity": 2}]},
        {"slug": "race", "agents": [{"username": "rae", "capacity": 1}]},
        {"slug": "idle", "agents": [{"username": "ida", "capacity": 1}]},
        {"slug": "room", "agents": [{"username": "roomy", "capacity": 20}]},
        {
            "slug": "crowd",
            "agents": [{"username": f"crowd{i}", "capacity": 2} for i in range(10)],
        },
    ],
}


class Site:
    """The running servers: customers connect to `customer_server`, agents to `agent_server`
    (the same one on SQLite)."""

    def __init__(self, db: Database, servers: list[Server]):
        self.db = db
        self.servers = servers
        self.customer_server = servers[0]
        self.agent_server = servers[-1]
        self.cookies: dict[str, str] = {}

    async def customer(self, workspace: str, server: Server | None = None) -> Socket:
        """A connected chat widget, past its hello."""
        sock = await Socket.open(server or self.customer_server, f"/ws/v1/chat/acme.{workspace}/")
        assert await sock.recv() == {"type": "hello", "version": 1}
        return sock

    async def desk(
        self, workspace: str, username: str, presence="available", server: Server | None = None
    ) -> tuple[Socket, dict]:
        """A logged-in agent's desk, past its hello (returned) and with `presence` set."""
        server = server or self.agent_server
        if username not in self.cookies:
            self.cookies[username] = login(server, username)
        sock = await Socket.open(server, f"/ws/v1/desk/{workspace}/", self.cookies[username])
        hello = await sock.recv()
        assert hello["type"] == "hello"
        if presence:
            await sock.send(type="presence", presence=presence)
            assert await sock.recv() == {"type": "presence", "presence": presence}
        return sock, hello

    def query(self, sql: str, params=()) -> list[tuple]:
        return self.db.query(sql, params)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        database_url = ""
    db = Database(
        tmp_path_factory.mktemp("e2e_chat"),
        name=f"caredesk_e2e_{os.getpid()}",
        database_url=database_url,
        redis_url=os.environ.get("REDIS_URL", ""),
        extra_env={"CAREDESK_OFFER_TIMEOUT_SECONDS": str(OFFER_TIMEOUT_SECONDS)},
    )
    db.create()
    servers: list[Server] = []
    try:
        servers = [Server(db, label=label) for label in ("a", "b")[: 2 if db.multi_process else 1]]
        for server in servers:
            server.launch()  # they start while the database is seeded
        db.seed(SPEC)
        for server in servers:
            server.wait_ready()
        yield Site(db, servers)
    finally:
        stop_all(servers)
        db.drop()


@pytest.fixture(autouse=True)
def no_server_errors(site):
    """Fail a test during which a server logged an exception (the log says where)."""
    sizes = [len(s.log()) for s in site.servers]
    yield
    for server, size in zip(site.servers, sizes, strict=True):
        new = server.log()[size:]
        assert not re.search(r"Traceback|ERROR", new), f"{server.log_path}:\n{new}"
