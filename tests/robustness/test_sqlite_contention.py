"""Writes wait for SQLite's lock, never fail (issue 10, defect 2): the real `caredesk serve`
(uvicorn and the task worker) on a fresh demo database, the worker writing all along — it
evaluates the demo's responses at start, then the detractors of a stream of survey responses
ingested through the API — while pages are read, tickets are created and changed through the
API, and agents' desks and customers' chat widgets connect and send. Not one answer may be a
server error, and "database is locked" may appear nowhere in the server's output.

SQLite only: on PostgreSQL writers wait for row locks, there is no database-wide one. The
cause this guards against, the worker holding the lock for seconds with one transaction per
evaluated batch (up to 1,000 responses), is tested on both databases by counting the worker's
transactions."""

import asyncio
import json
import os
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field

import pytest
import requests
import websockets
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.feedback import evaluation, tasks
from caredesk.feedback.models import AlertRuleCase, Response
from caredesk.feedback.services import responses_ingest, survey_create
from caredesk.insights import tasks as insights_tasks
from tests.e2e_chat.servers import CAREDESK, ROOT, Database, Server, free_port

sqlite_only = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="about SQLite's database-wide write lock"
)

# Survey responses ingested through the API, in batches; every one a detractor (score 0–6),
# so the worker opens a ticket for each.
BATCHES, BATCH_SIZE = 8, 200
# Each kind of client goes on until the worker has evaluated every response, and does at
# least this many rounds.
MIN_ROUNDS = 5
DEADLINE = 120  # seconds for the traffic and the worker's backlog, from the first request


SETUP = """
from django.core.management import call_command
from caredesk.workspaces.models import User
from caredesk.workspaces.services import api_token_create
call_command("migrate", verbosity=0)
call_command("seed_demo", tickets=200, stdout=open("/dev/null", "w"))
print("TOKEN", api_token_create(user=User.objects.get(username="admin")))
"""


class ServeWithWorker(Server):
    """`caredesk serve --port N`: uvicorn and the task worker, both writing to the database."""

    def launch(self) -> None:
        log = open(self.log_path, "w")  # noqa: SIM115 - the child writes to it until stop()
        self.proc = subprocess.Popen(
            [CAREDESK, "serve", "--port", str(self.port)],
            env=self.db.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()


@dataclass
class Tally:
    """Every answer the clients got, by what was asked."""

    answers: dict[str, list] = field(default_factory=dict)

    def add(self, what: str, answer) -> None:
        self.answers.setdefault(what, []).append(answer)

    def server_errors(self) -> dict[str, list]:
        return {
            what: [a for a in answers if isinstance(a, int) and a >= 500]
            for what, answers in self.answers.items()
            if any(isinstance(a, int) and a >= 500 for a in answers)
        }


@pytest.fixture
def demo(tmp_path, django_db_setup, django_db_blocker):
    db = Database(
        tmp_path,
        name="contention",
        # Tests start and log in fast (MD5 passwords); the chat-start limit per address is
        # for the public, and every widget here comes from 127.0.0.1.
        extra_env={"CAREDESK_CHAT_STARTS_PER_MINUTE": "100000", "LOG_LEVEL": "INFO"},
    )
    t = time.monotonic()
    # The schema: a copy of the test database pytest-django migrated (a `migrate` of its own
    # takes 10–30 s on a busy machine), unless that one holds rows.
    with django_db_blocker.unblock():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM workspaces_organization")
            empty = cur.fetchone()[0] == 0
        if empty:
            source = sqlite3.connect(connection.settings_dict["NAME"])
            target = sqlite3.connect(db.path)
            source.backup(target)
            source.close()
            target.close()
    # One process (each start of Django costs seconds on a busy machine): migrate (what is
    # left), the demo, an API token of the demo's admin.
    out = db.run("shell", "-c", SETUP)
    token = out.strip().splitlines()[-1].removeprefix("TOKEN ")
    print(f"\nsetup {time.monotonic() - t:.1f}s")
    t = time.monotonic()
    # Started on the fresh demo database, the worker begins with its 240 survey responses.
    server = ServeWithWorker(db, free_port(), label="serve").start(timeout=60)
    print(f"serve {time.monotonic() - t:.1f}s")
    yield db, server, token
    server.stop()


def login(server: Server, username: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{server.http}/login/", timeout=60)
    r = s.post(
        f"{server.http}/login/",
        data={
            "username": username,
            "password": "demo",
            "csrfmiddlewaretoken": s.cookies["csrftoken"],
        },
        headers={"Referer": f"{server.http}/login/"},
        timeout=60,
    )
    assert r.status_code == 200 and "sessionid" in s.cookies, r.status_code
    return s


def unevaluated(db: Database) -> int:
    with sqlite3.connect(f"file:{db.path}?mode=ro", uri=True, timeout=20) as conn:
        return conn.execute(
            "SELECT count(*) FROM feedback_response WHERE evaluated_at IS NULL"
        ).fetchone()[0]


@sqlite_only
def test_writes_from_pages_api_and_sockets_wait_for_the_worker_and_never_fail(demo):
    db, server, token = demo
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    base = f"{server.http}/api/v1/workspaces/support"
    nps = next(s for s in api.get(f"{base}/surveys", timeout=60).json() if s["kind"] == "nps")
    admin, agent = login(server, "admin"), login(server, "agent")
    agent_cookie = "; ".join(f"{k}={v}" for k, v in agent.cookies.items())
    tally = Tally()
    created: list[int] = []  # per ingested batch
    ingested = asyncio.Event()
    start = time.monotonic()

    def finished(rounds: int) -> bool:
        if time.monotonic() - start > DEADLINE:
            raise AssertionError(f"not done after {DEADLINE}s: {tally.answers.keys()}")
        return rounds >= MIN_ROUNDS and ingested.is_set() and unevaluated(db) == 0

    async def ingest():
        for batch in range(BATCHES):
            items = [
                {
                    "score": n % 7,
                    "comment": "Waited too long",
                    "customer_email": f"c{batch}.{n}@example.com",
                    "external_id": f"load-{batch}-{n}",
                }
                for n in range(BATCH_SIZE)
            ]
            r = await asyncio.to_thread(
                api.post, f"{base}/surveys/{nps['id']}/responses/bulk", json=items, timeout=60
            )
            tally.add("bulk", r.status_code)
            if r.status_code == 200:
                created.append(r.json()["created"])
        ingested.set()

    async def api_writes():
        rounds = 0
        while not finished(rounds):
            r = await asyncio.to_thread(
                api.post,
                f"{base}/tickets",
                json={"customer_email": f"w{rounds}@example.com", "comment": "By the API"},
                timeout=60,
            )
            tally.add("POST tickets", r.status_code)
            if r.status_code == 201:
                r = await asyncio.to_thread(
                    api.patch,
                    f"{base}/tickets/{r.json()['number']}",
                    json={"comment": "Urgent after all", "priority": "high"},
                    timeout=60,
                )
                tally.add("PATCH ticket", r.status_code)
            rounds += 1

    async def pages():
        rounds = 0
        while not finished(rounds):
            for session, path in (
                (admin, "/"),
                (admin, "/w/support/tickets/"),
                (admin, "/w/support/feedback/responses/"),
                (agent, "/w/support/desk/"),
            ):
                r = await asyncio.to_thread(session.get, f"{server.http}{path}", timeout=60)
                tally.add(f"GET {path}", r.status_code)
            rounds += 1

    async def desks():
        rounds = 0
        while not finished(rounds):
            async with websockets.connect(
                server.ws("/ws/v1/desk/support/"),
                additional_headers={"Origin": server.http, "Cookie": agent_cookie},
                open_timeout=60,
            ) as ws:
                tally.add("desk", json.loads(await asyncio.wait_for(ws.recv(), 60))["type"])
                for presence in ("available", "away"):
                    await ws.send(json.dumps({"type": "presence", "presence": presence}))
                    # (Offers of the widgets' chats may come first while available.)
                    tally.add("desk presence", await _next(ws, ("presence",)))
            rounds += 1

    async def widgets():
        rounds = 0
        while not finished(rounds):
            async with websockets.connect(
                server.ws("/ws/v1/chat/acme.support/"),
                additional_headers={"Origin": "https://shop.example.com"},
                open_timeout=60,
            ) as ws:
                tally.add("chat", json.loads(await asyncio.wait_for(ws.recv(), 60))["type"])
                pre_chat = {"name": f"Rita {rounds}", "topic": "General"}
                await ws.send(json.dumps({"type": "start", "pre_chat": pre_chat, "visitor": {}}))
                tally.add("chat start", await _next(ws, ("started", "error")))
                await ws.send(json.dumps({"type": "message", "client_id": "m1", "body": "Hi"}))
                tally.add("chat message", await _next(ws, ("ack", "error")))
            rounds += 1

    async def load():
        await asyncio.gather(ingest(), api_writes(), pages(), desks(), widgets())

    asyncio.run(load())
    took = time.monotonic() - start
    log = server.log()

    assert tally.server_errors() == {}
    assert "database is locked" not in log
    assert "Traceback" not in log
    # Every request did what it was asked.
    assert set(tally.answers["bulk"]) == {200}
    assert created == [BATCH_SIZE] * BATCHES
    assert set(tally.answers["POST tickets"]) == {201}
    assert set(tally.answers["PATCH ticket"]) == {200}
    for path in ("/", "/w/support/tickets/", "/w/support/feedback/responses/", "/w/support/desk/"):
        assert set(tally.answers[f"GET {path}"]) == {200}, path
    assert set(tally.answers["desk"]) == {"hello"}
    assert set(tally.answers["desk presence"]) == {"presence"}
    assert set(tally.answers["chat"]) == {"hello"}
    assert set(tally.answers["chat start"]) == {"started"}
    assert set(tally.answers["chat message"]) == {"ack"}
    # The worker wrote throughout: one ticket per detractor it evaluated, none lost.
    with sqlite3.connect(f"file:{db.path}?mode=ro", uri=True, timeout=20) as conn:
        opened = conn.execute(
            "SELECT count(DISTINCT r.id) FROM feedback_response r"
            " JOIN feedback_alertrulecase l ON l.response_id = r.id"
            " WHERE r.external_id LIKE 'load-%'"
        ).fetchone()[0]
    assert opened == BATCHES * BATCH_SIZE
    requests_made = sum(len(v) for v in tally.answers.values())
    print(f"\n{requests_made} requests and socket exchanges in {took:.1f}s")


async def _next(ws, types: tuple[str, ...]):
    """The type of the next message of one of `types` (the chat also sends e.g. typing); an
    error with its text."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if message["type"] == "error":
            return ("error", json.dumps(message))
        if message["type"] in types:
            return message["type"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_evaluates_a_large_batch_in_transactions_of_bounded_size(world, monkeypatch):
    survey = survey_create(workspace=world.support, kind="nps", name="Visit")
    # Stored now, evaluated below: the evaluation task queued at commit does nothing.
    monkeypatch.setattr(tasks, "evaluate_responses", lambda ids: None)
    # The measures of the tickets it opens are the worker's work too (in tests huey runs a
    # queued task at once, in a transaction of its own): not the evaluation's transactions.
    monkeypatch.setattr(insights_tasks, "measure_cases_task", lambda ids: None)
    n = 2 * evaluation.TRANSACTION_RESPONSES + 50
    result = responses_ingest(
        survey=survey,
        items=[{"score": 3, "customer_email": f"c{i}@example.com"} for i in range(n)],
    )
    ids = [item["id"] for item in result.results]
    assert len(ids) == n

    with CaptureQueriesContext(connection) as queries:
        outcome = evaluation.evaluate(ids)
    assert len(outcome.cases) == n
    commits = [q for q in queries.captured_queries if q["sql"] == "COMMIT"]
    assert len(commits) == 3  # 100, 100 and 50 responses
    # The tickets are numbered as evaluating one response at a time would number them.
    opened = list(
        AlertRuleCase.objects.filter(response_id__in=ids)
        .order_by("response_id")
        .values_list("case__number", flat=True)
    )
    assert opened == list(range(opened[0], opened[0] + n))
    assert not Response.objects.filter(pk__in=ids, evaluated_at=None).exists()
