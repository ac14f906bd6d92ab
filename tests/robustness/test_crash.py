"""Nothing is lost when a process dies (docs: DESIGN.md §4): the real app (uvicorn) and the
real task worker (`caredesk run_huey`), each its own process, are SIGKILLed in the middle of
ingesting survey responses with detractors and of a chat, then started again; every response
must be stored once and evaluated, every detractor must have exactly one ticket, and every
chat message must be stored once.

Runs on the embedded default (SQLite, SQLite queue, in-process channel layer), or on
PostgreSQL + Redis when DATABASE_URL and REDIS_URL are set. The clients behave as the
documented ones do: an integration retries a request until it gets an answer (a retried
response carries the same external_id), and the chat widget resumes its conversation on a
new socket and resends, with the same client_id, every message it never saw acknowledged."""

import asyncio
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets

from tests.e2e_chat.servers import ROOT, Database, Socket, free_port

CAREDESK = str(Path(sys.executable).with_name("caredesk"))
DEADLINE = 80  # seconds for the whole scenario, from the first request
BULK_BATCHES, BULK_SIZE = 24, 100
SINGLES = 120
CHAT_BEFORE, CHAT_PIPELINED, CHAT_AFTER = 5, 8, 7

SETUP = """
from caredesk.feedback.services import survey_create
from caredesk.workspaces import services as ws
from caredesk.workspaces.models import Workspace
from caredesk.workspaces.permissions import UserKind
from tests.e2e_chat.seed import seed

seed({"organization": "acme", "password": "-", "workspaces": [{"slug": "crash"}]})
workspace = Workspace.objects.get(organization__slug="acme", slug="crash")
user = ws.user_create(organization=workspace.organization, username="cx", password="pw-cx-12345678")
ws.membership_set(workspace=workspace, user=user, kind=UserKind.CX_ADMIN)
survey = survey_create(workspace=workspace, kind="nps", name="Visit")
print("SETUP", survey.pk, ws.api_token_create(user=user))
"""


class Process:
    """A child process (`argv`) with its output in `log_path`; killed, it can start again."""

    def __init__(self, db: Database, argv: list[str], log_path: Path):
        self.db, self.argv, self.log_path = db, argv, log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                self.argv, env=self.db.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def wait_ready(app: Process, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.proc.poll() is not None:
            raise RuntimeError(f"the app exited:\n{app.log()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the app did not start in {timeout}s:\n{app.log()}")


class Integration:
    """Sends survey responses like an integration that retries until it gets an answer:
    a dropped connection or a 5xx (the app was killed, or restarting) is sent again, with
    the same external_ids. Records the id answered for each external_id."""

    def __init__(self, port: int, survey: int, token: str):
        self.base = f"http://127.0.0.1:{port}/api/v1/workspaces/crash/surveys/{survey}/responses"
        self.token = token
        self.ids: dict[str, int] = {}
        self.mismatches: list[str] = []
        self.failures: list[str] = []
        self.retried = 0
        self.sent = 0  # items answered
        self.lock = threading.Lock()

    def post(self, path: str, body) -> tuple[int, object]:
        deadline = time.monotonic() + DEADLINE
        while True:
            request = urllib.request.Request(
                self.base + path,
                data=json.dumps(body).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as reply:
                    return reply.status, json.loads(reply.read())
            except urllib.error.HTTPError as e:
                if e.code < 500:
                    return e.code, e.read().decode(errors="replace")
            except (OSError, http.client.HTTPException):
                pass
            with self.lock:
                self.retried += 1
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer from {path or '/'} in {DEADLINE}s")
            time.sleep(0.05)  # a client's retry interval while the app restarts

    def record(self, external_id: str, pk: int) -> None:
        with self.lock:
            first = self.ids.setdefault(external_id, pk)
            if first != pk:
                self.mismatches.append(f"{external_id}: {first} then {pk}")
            self.sent += 1

    def bulk(self, items: list[dict]) -> None:
        status, body = self.post("/bulk", items)
        if status != 200 or body["error"]:
            self.failures.append(f"bulk: {status} {body}")
            return
        for item, result in zip(items, body["results"], strict=True):
            self.record(item["external_id"], result["id"])

    def single(self, item: dict) -> None:
        status, body = self.post("", item)
        if status not in (200, 201):
            self.failures.append(f"single {item['external_id']}: {status} {body}")
            return
        self.record(item["external_id"], body["id"])


def score(n: int) -> int:
    return n % 11  # 0–6 of every 11 are detractors


def send_bulk(integration: Integration) -> None:
    batches = [
        [{"external_id": f"b-{k}-{i}", "score": score(k * BULK_SIZE + i)} for i in range(BULK_SIZE)]
        for k in range(BULK_BATCHES)
    ]
    for batch in batches:
        integration.bulk(batch)
    # Sent again as a whole, as after a lost answer: every item a duplicate.
    for batch in batches[:3]:
        integration.bulk(batch)


def send_singles(integration: Integration) -> None:
    items = [
        {"external_id": f"s-{j}", "score": score(j), "comment": f"s{j}"} for j in range(SINGLES)
    ]
    for j, item in enumerate(items):
        integration.single(item)
        if j % 10 == 0:
            integration.single(item)


class Widget:
    """The chat widget's part: messages with client_ids, acknowledged by the server."""

    def __init__(self, port: int):
        self.port = port
        self.acked: dict[str, int] = {}
        self.sent: list[str] = []
        self.sock: Socket | None = None
        self.token = ""

    async def connect(self) -> None:
        conn = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/ws/v1/chat/acme.crash/",
            additional_headers={"Origin": f"http://127.0.0.1:{self.port}"},
            open_timeout=20,
        )
        self.sock = Socket(conn)
        assert await self.sock.recv() == {"type": "hello", "version": 1}

    async def start(self) -> None:
        await self.sock.send(type="start", pre_chat={"name": "Rita"}, visitor={})
        started = await self.recv_until("started")
        self.token = started["conversation"]

    async def resume(self) -> dict:
        await self.sock.send(type="resume", conversation=self.token)
        return await self.recv_until("history")

    async def send(self, client_id: str) -> None:
        if client_id not in self.sent:
            self.sent.append(client_id)
        await self.sock.send(type="message", client_id=client_id, body=f"body of {client_id}")

    async def recv_until(self, kind: str, client_id: str | None = None) -> dict:
        while True:
            message = await self.sock.recv()
            assert message["type"] != "error", message
            if message["type"] == "ack":
                first = self.acked.setdefault(message["client_id"], message["id"])
                assert first == message["id"], message
            if message["type"] == kind and client_id in (None, message.get("client_id")):
                return message

    async def drain(self) -> None:
        """Whatever the dead app had sent before it died."""
        try:
            while True:
                await self.recv_until("none")
        except (TimeoutError, websockets.ConnectionClosed, OSError):
            pass


def copy_test_database(db: Database, blocker) -> bool:
    """Make the servers' database a copy of the one pytest-django migrated for this session
    (a `migrate` of its own takes 10–30 s on a busy machine). False when it cannot: that one
    holds rows, or (PostgreSQL) another session is connected to it."""
    from django.db import connection

    with blocker.unblock():
        if connection.vendor != db.vendor:
            return False
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM workspaces_organization")
            if cur.fetchone()[0]:
                return False
        if db.vendor == "sqlite":
            source = sqlite3.connect(connection.settings_dict["NAME"])
            target = sqlite3.connect(db.path)
            source.backup(target)
            source.close()
            target.close()
            return True
        import psycopg

        template = connection.settings_dict["NAME"]
        connection.close()
        try:
            with psycopg.connect(db.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{db.name}" TEMPLATE "{template}"')
        except psycopg.Error:
            return False
        return True


@pytest.fixture
def site(tmp_path, django_db_setup, django_db_blocker):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        database_url = ""
    prefix = f"crash{os.getpid()}"
    db = Database(
        tmp_path,
        name=f"caredesk_crash_{os.getpid()}",
        database_url=database_url,
        redis_url=os.environ.get("REDIS_URL", "") if database_url else "",
        extra_env={
            "CAREDESK_E2E_PREFIX": prefix,
            "CAREDESK_QUEUE_NAME": prefix,
            "CAREDESK_CHAT_STARTS_PER_MINUTE": "1000",
        },
    )
    copied = copy_test_database(db, django_db_blocker)
    if not copied:
        db.create()
    print("servers' database:", "copied from the test database" if copied else "migrated")
    port = free_port()
    app = Process(
        db,
        [
            sys.executable,
            "-m",
            "uvicorn",
            "caredesk.asgi:application",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--ws-per-message-deflate",
            "false",
        ],
        tmp_path / "app.log",
    )
    worker = Process(db, [CAREDESK, "run_huey"], tmp_path / "worker.log")
    try:
        # Both start while the database is seeded: their imports take a while.
        app.start()
        worker.start()
        out = db.run("shell", "-c", SETUP)
        _, survey, token = out.strip().splitlines()[-1].split()
        wait_ready(app, port)
        yield db, app, worker, port, int(survey), token
    finally:
        app.stop()
        worker.stop()
        if db.redis_url:
            import redis

            client = redis.Redis.from_url(db.redis_url)
            for key in client.scan_iter(f"huey.*{prefix}*"):
                client.delete(key)
        db.drop()


def counts(db: Database) -> tuple[int, int, int]:
    """(responses, of them evaluated, pending rows)."""
    [(total, evaluated)] = db.query("SELECT count(*), count(evaluated_at) FROM feedback_response")
    [(pending,)] = db.query("SELECT count(*) FROM feedback_pendingevaluation")
    return total, evaluated, pending


async def until(condition, what: str, deadline: float) -> None:
    """Poll `condition` (run in a thread: it may query the database) until it holds."""
    while not await asyncio.to_thread(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


# Only so that pytest-django sets the test database up: the servers' database is its copy.
@pytest.mark.django_db(transaction=True)
def test_killed_worker_and_app_lose_no_response_ticket_or_chat_message(site):
    db, app, worker, port, survey, token = site
    integration = Integration(port, survey, token)
    total_items = BULK_BATCHES * BULK_SIZE + SINGLES
    seen: dict = {}

    async def scenario():
        deadline = time.monotonic() + DEADLINE

        def elapsed():
            return round(time.monotonic() - deadline + DEADLINE, 1)

        widget = Widget(port)
        await widget.connect()
        await widget.start()
        for n in range(CHAT_BEFORE):
            await widget.send(f"m-{n}")
            await widget.recv_until("ack", f"m-{n}")

        senders = [
            asyncio.create_task(asyncio.to_thread(send_bulk, integration)),
            asyncio.create_task(asyncio.to_thread(send_singles, integration)),
        ]

        # The worker dies while it has work: responses evaluated, others waiting, a whole
        # batch of them if that is seen before the senders are far along.
        def evaluating():
            total, evaluated, pending = counts(db)
            backlog = BULK_SIZE if integration.sent < total_items * 0.4 else 1
            return evaluated >= 300 and pending >= backlog

        await until(evaluating, "the worker to be evaluating", deadline)
        worker.kill()
        seen["at worker kill"] = (*counts(db), elapsed())

        # The app dies in the middle of both: requests in flight, chat messages unanswered.
        await until(lambda: integration.sent >= total_items // 2, "half the items", deadline)
        pipelined = [f"m-{n}" for n in range(CHAT_BEFORE, CHAT_BEFORE + CHAT_PIPELINED)]
        for client_id in pipelined:
            await widget.send(client_id)
        app.kill()
        seen["at app kill"] = (*counts(db), elapsed())
        await widget.drain()
        seen["chat acked before the kill"] = len(widget.acked)

        app.start()
        worker.start()
        await asyncio.to_thread(wait_ready, app, port)
        seen["app back"] = elapsed()
        await widget.connect()
        history = await widget.resume()
        stored = {m["client_id"]: m["id"] for m in history["messages"]}
        assert {k: stored[k] for k in widget.acked} == widget.acked
        # The widget resends what it never saw acknowledged; one acknowledged message is
        # sent again as well, as a widget that lost its state would.
        for client_id in [c for c in widget.sent if c not in widget.acked] + ["m-0"]:
            await widget.send(client_id)
            ack = await widget.recv_until("ack", client_id)
            assert ack["id"] == stored.get(client_id, ack["id"])
        for n in range(CHAT_BEFORE + CHAT_PIPELINED, CHAT_BEFORE + CHAT_PIPELINED + CHAT_AFTER):
            await widget.send(f"m-{n}")
            await widget.recv_until("ack", f"m-{n}")
        await widget.sock.close()

        seen["chat done"] = elapsed()
        await asyncio.gather(*senders)
        seen["sent"] = (*counts(db), elapsed())

        def all_evaluated():
            total, evaluated, pending = counts(db)
            return total == total_items and evaluated == total and pending == 0

        await until(all_evaluated, "every response to be evaluated", deadline)
        return widget

    started = time.monotonic()
    widget = asyncio.run(scenario())
    seen["seconds"] = round(time.monotonic() - started, 1)
    print("crash test:", seen, "client retries:", integration.retried)

    assert integration.failures == [] and integration.mismatches == []
    assert integration.retried > 0  # the app's death was felt
    expected = {f"b-{k}-{i}" for k in range(BULK_BATCHES) for i in range(BULK_SIZE)}
    expected |= {f"s-{j}" for j in range(SINGLES)}
    assert set(integration.ids) == expected
    # Every response stored once, under the id its sender was given.
    rows = db.query("SELECT external_id, id, score FROM feedback_response")
    assert len(rows) == len(expected)
    assert {e: pk for e, pk, _ in rows} == integration.ids
    # Every detractor with exactly one ticket, nobody else with one.
    links = db.query(
        "SELECT r.external_id, count(l.id), count(DISTINCT l.case_id) FROM feedback_response r "
        "LEFT JOIN feedback_alertrulecase l ON l.response_id = r.id GROUP BY r.external_id"
    )
    detractors = {e for e, _, s in rows if s <= 6}
    assert {e for e, n, _ in links if n} == detractors
    assert {(n, c) for e, n, c in links if n} == {(1, 1)}
    [(cases,)] = db.query("SELECT count(*) FROM care_case WHERE origin = 'survey_response'")
    assert cases == len(detractors)
    # Every chat message stored once.
    messages = db.query(
        "SELECT m.client_id, m.body FROM routing_message m JOIN routing_conversation c "
        "ON c.id = m.conversation_id WHERE c.public_token = %s",
        (widget.token,),
    )
    assert sorted(messages) == sorted((c, f"body of {c}") for c in widget.sent)
    assert len(widget.sent) == CHAT_BEFORE + CHAT_PIPELINED + CHAT_AFTER
