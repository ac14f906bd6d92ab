#!/usr/bin/env python
"""Live chat benchmark: N concurrent customer conversations with agents over real websockets,
against several `caredesk serve --no-worker` processes on PostgreSQL + Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/chat.py [--conversations 500] [--agents N] [--messages 10]
        [--processes 2] [--think 5.0] [--ramp 60]

Phase 1 (end to end): creates and migrates its own database `caredesk_bench_chat` (on the
server of DATABASE_URL), seeds agents, starts the app processes, connects the agents and the
customers, starts the conversations (spread over --ramp seconds; 0 = all at the same moment),
and lets each one exchange --messages messages both ways, each side answering after about
--think seconds. The defaults are a busy but human pace: 500 chats under way at once, each
side writing every ~5 s (~100 messages/s in all), 500 chats beginning within a minute.
`--think 1 --ramp 0` is the stress case (~500 messages/s, 500 starts at once).
Every customer is routed to an agent connected to ANOTHER app process (queue skills do it),
so every message crosses processes through Redis.
Phase 2 (in process): the server-side routing decision, `routing.services.offer_next`,
timed directly against the same database with N waiting conversations.
See bench/README.md.
"""

import argparse
import asyncio
import math
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e_chat.servers import Database, Server, Socket, stop_all  # noqa: E402

# Another name (CAREDESK_BENCH_CHAT_DB) lets two checkouts run it on one server.
DB_NAME = os.environ.get("CAREDESK_BENCH_CHAT_DB", "caredesk_bench_chat")
WORKSPACE = "support"
TARGETS_MS = {"delivery": 50.0, "routing": 10.0}


# --------------------------------------------------------------------------- figures


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def row(name: str, seconds: list[float], target_ms: float | None = None) -> str:
    if not seconds:
        return f"  {name:<44} (no samples)"
    ms = [s * 1000 for s in seconds]
    line = (
        f"  {name:<44} n={len(ms):<6} p50 {pct(ms, 50):8.2f}  p95 {pct(ms, 95):8.2f}"
        f"  p99 {pct(ms, 99):8.2f}  max {max(ms):8.2f} ms"
    )
    if target_ms is not None:
        ok = pct(ms, 99) < target_ms
        line += f"   p99 < {target_ms:g} ms: {'PASS' if ok else 'FAIL'}"
    return line


# --------------------------------------------------------------------------- CPU accounting

TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int, *, reaped: bool = False) -> float:
    """CPU seconds (user + system) one process has used, from /proc; with `reaped`, those of
    its children that have exited and been waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    first = 13 if reaped else 11
    return (int(fields[first]) + int(fields[first + 1])) / TICK


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out.append((int(d.name), ppid, cmd))
    return out


def cpu_snapshot(server_pids: list[int]) -> dict[str, float]:
    """CPU seconds used so far by: the app processes (with their uvicorn children), this
    client, the PostgreSQL backends of the bench database, Redis, and the whole machine.
    Differences of two snapshots give each part's share of a run, whatever else the machine
    is doing (the machine total is the only figure other work can inflate)."""
    procs = _processes()
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in procs:
        children.setdefault(ppid, []).append(pid)

    def tree(pid):
        return [pid] + [c for k in children.get(pid, []) for c in tree(k)]

    usage = resource.getrusage(resource.RUSAGE_SELF)
    busy = Path("/proc/stat").read_text().split("\n")[0].split()[1:]
    return {
        "app": sum(_proc_cpu(p) for s in server_pids for p in tree(s)),
        "client": usage.ru_utime + usage.ru_stime,
        # The bench database's live backends, plus every backend that has exited (a
        # postmaster's reaped children: any database's, so other work on the server counts).
        "postgres": sum(_proc_cpu(p) for p, _, c in procs if f" {DB_NAME} " in c + " ")
        + sum(
            _proc_cpu(p, reaped=True)
            for p, _, c in procs
            if c.split(" ")[0].endswith("/bin/postgres")
        ),
        "redis": sum(_proc_cpu(p) for p, _, c in procs if c.startswith("redis-server")),
        "machine": (sum(map(int, busy)) - int(busy[3]) - int(busy[4])) / TICK,
    }


# --------------------------------------------------------------------------- setup


def django_setup(db: Database) -> None:
    os.environ.update(db.env)
    import django

    django.setup()


def seed(*, agents: int, capacity: int, processes: int) -> list[tuple[str, str, int]]:
    """One workspace; per app process p a queue `to-p` that needs skill `at-p`, which only the
    agents connected to process p have. Returns (username, session cookie, process) per agent.
    Sessions are written the way Django's login does (Argon2 logins would only slow setup)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from caredesk.routing import services as routing
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.models import User
    from caredesk.workspaces.permissions import UserKind

    org = ws.organization_create(name="Bench", slug="bench")
    workspace = ws.workspace_create(organization=org, slug=WORKSPACE, name="Support")
    for p in range(processes):
        routing.queue_create(workspace=workspace, name=f"to-{p}", required_skills=[f"at-{p}"])
    out = []
    for i in range(agents):
        process = i % processes
        user = User.objects.create_user(
            username=f"agent{i:04d}", password=None, organization=org, first_name=f"Agent {i}"
        )
        ws.membership_set(workspace=workspace, user=user, kind=UserKind.AGENT)
        routing.agent_profile_set(
            workspace=workspace, user=user, capacity=capacity, skills={f"at-{process}": 3}
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        out.append((user.username, f"sessionid={session.session_key}", process))
    return out


# --------------------------------------------------------------------------- phase 1


class Run:
    def __init__(self, conversations: int, messages: int, think: float):
        self.n = conversations
        self.messages = messages
        self.think = think
        self.sent_at: dict[tuple[str, str], float] = {}
        self.c2a: list[float] = []  # customer message: send → agent receives it
        self.a2c: list[float] = []  # agent message: send → customer receives it
        self.ack_customer: list[float] = []  # send → ack (stored and committed)
        self.ack_agent: list[float] = []
        self.start_to_started: list[float] = []
        self.started_to_offer: list[float] = []  # `started` at the customer → offer at agent
        self.start_to_offer: list[float] = []  # `start` sent → offer at agent
        self.accept_to_accepted: list[float] = []
        self.started_at: dict[str, float] = {}
        self.start_sent_at: dict[str, float] = {}
        self.accept_sent_at: dict[int, float] = {}
        self.received: Counter = Counter()  # (token, client_id) → times received
        self.errors: list[str] = []
        self.counts: Counter = Counter()
        self.done = asyncio.Event()
        self.finished = 0
        self.loop_lag: list[float] = []
        # (seconds into the run when sent, latency) of deliveries over the target: whether they
        # are spread out or one stall of the whole system (then they share a second).
        self.slow: list[tuple[float, float]] = []
        self.t0 = 0.0  # set when the conversations start

    async def pause(self):
        if self.think:
            await asyncio.sleep(self.think * random.uniform(0.5, 1.5))

    def got(self, token: str, client_id: str, into: list[float]) -> None:
        now = time.perf_counter()
        key = (token, client_id)
        self.received[key] += 1
        if self.received[key] > 1:
            self.errors.append(f"duplicate delivery {key}")
        sent = self.sent_at.get(key)
        if sent is None:
            self.errors.append(f"received unknown message {key}")
        else:
            into.append(now - sent)
            if now - sent > TARGETS_MS["delivery"] / 1000:
                self.slow.append((sent - self.t0, now - sent))


async def agent_loop(run: Run, sock: Socket):
    async def reply(token, k):
        await run.pause()
        cid = f"a-{k}"
        run.sent_at[(token, cid)] = time.perf_counter()
        await sock.send(type="message", conversation=token, client_id=cid, body=f"answer {k}")

    tasks = set()
    while not run.done.is_set():
        try:
            m = await sock.recv(timeout=1)
        except TimeoutError:
            continue
        now = time.perf_counter()
        kind = m.get("type")
        run.counts[f"agent {kind}"] += 1
        if kind == "offer":
            token = m["conversation"]
            if token in run.start_sent_at:
                run.start_to_offer.append(now - run.start_sent_at[token])
            if token in run.started_at:
                run.started_to_offer.append(now - run.started_at[token])
            run.accept_sent_at[m["offer"]] = time.perf_counter()
            await sock.send(type="accept", offer=m["offer"])
        elif kind == "accepted":
            run.accept_to_accepted.append(now - run.accept_sent_at[m["offer"]])
            # The agent greets first; the customer writes after the greeting.
            t = asyncio.create_task(reply(m["conversation"], 0))
            tasks.add(t)
            t.add_done_callback(tasks.discard)
        elif kind == "message":
            run.got(m["conversation"], m["client_id"], run.c2a)
            k = int(m["client_id"].split("-")[1])
            t = asyncio.create_task(reply(m["conversation"], k))
            tasks.add(t)
            t.add_done_callback(tasks.discard)
        elif kind == "ack":
            sent = run.sent_at.get((m["conversation"], m["client_id"]))
            if sent is not None:
                run.ack_agent.append(now - sent)
        elif kind in ("error", "offer_expired"):
            run.errors.append(f"agent got {m}")


async def customer_loop(run: Run, sock: Socket, queue: str, go: asyncio.Event, delay: float):
    await go.wait()
    if delay:
        await asyncio.sleep(delay)
    sent_start = time.perf_counter()
    await sock.send(type="start", pre_chat={"name": "Bench", "topic": queue}, visitor={})
    started = await sock.recv(timeout=120)
    now = time.perf_counter()
    if started.get("type") != "started":
        run.errors.append(f"customer got {started}")
        return
    token = started["conversation"]
    run.start_to_started.append(now - sent_start)
    run.start_sent_at[token] = sent_start
    run.started_at[token] = now

    async def send(k):
        await run.pause()
        cid = f"c-{k}"
        run.sent_at[(token, cid)] = time.perf_counter()
        await sock.send(type="message", client_id=cid, body=f"question {k}")

    while True:
        m = await sock.recv(timeout=300)
        now = time.perf_counter()
        kind = m.get("type")
        run.counts[f"customer {kind}"] += 1
        if kind == "status" and m["status"] == "active":
            pass  # the agent's greeting comes next
        elif kind == "ack":
            run.ack_customer.append(now - run.sent_at[(token, m["client_id"])])
        elif kind == "message":
            run.got(token, m["client_id"], run.a2c)
            k = int(m["client_id"].split("-")[1])  # a-0 is the greeting
            if k < run.messages:
                await send(k + 1)
            else:
                await sock.send(type="end")
        elif kind == "ended":
            run.finished += 1
            if run.finished == run.n:
                run.done.set()
            return
        else:
            run.errors.append(f"customer got {m}")


async def lag_monitor(run: Run):
    """How late the bench's own event loop wakes up: client-side delay in every figure."""
    while not run.done.is_set():
        t = time.perf_counter()
        await asyncio.sleep(0.05)
        run.loop_lag.append(time.perf_counter() - t - 0.05)


async def connect_all(factories, batch=50):
    out = []
    for i in range(0, len(factories), batch):
        out += await asyncio.gather(*(f() for f in factories[i : i + batch]))
    return out


async def phase1(args, servers: list[Server], agents) -> tuple[Run, float]:
    run = Run(args.conversations, args.messages, args.think)
    P = len(servers)

    async def open_desk(cookie, process):
        sock = await Socket.open(servers[process], f"/ws/v1/desk/{WORKSPACE}/", cookie)
        assert (await sock.recv())["type"] == "hello"
        await sock.send(type="presence", presence="available")
        assert (await sock.recv())["type"] == "presence"
        return sock

    async def open_chat(process):
        sock = await Socket.open(servers[process], f"/ws/v1/chat/bench.{WORKSPACE}/")
        assert (await sock.recv())["type"] == "hello"
        return sock

    t = time.perf_counter()
    desks = await connect_all([lambda c=c, p=p: open_desk(c, p) for _, c, p in agents])
    # Customer i is on process i % P and waits in the queue of the agents of the next one.
    placement = [(i % P, f"to-{(i % P + 1) % P}") for i in range(args.conversations)]
    chats = await connect_all([lambda p=p: open_chat(p) for p, _ in placement])
    print(
        f"connected {len(desks)} desks and {len(chats)} customers in {time.perf_counter() - t:.1f}s"
    )

    go = asyncio.Event()
    agent_tasks = [asyncio.create_task(agent_loop(run, d)) for d in desks]
    n = args.conversations
    customer_tasks = [
        asyncio.create_task(customer_loop(run, c, q, go, args.ramp * i / n))
        for i, (c, (_, q)) in enumerate(zip(chats, placement, strict=True))
    ]
    lag = asyncio.create_task(lag_monitor(run))
    run.cpu_before = cpu_snapshot([s.proc.pid for s in servers])
    t0 = run.t0 = time.perf_counter()
    go.set()
    results = await asyncio.wait_for(
        asyncio.gather(*customer_tasks, return_exceptions=True), args.timeout
    )
    elapsed = time.perf_counter() - t0
    run.cpu_after = cpu_snapshot([s.proc.pid for s in servers])
    run.done.set()
    for r in results:
        if isinstance(r, BaseException):
            run.errors.append(f"customer failed: {r!r}")
    await asyncio.gather(*agent_tasks, lag, return_exceptions=True)
    await asyncio.gather(*(s.close() for s in [*chats, *desks]), return_exceptions=True)
    return run, elapsed


# --------------------------------------------------------------------------- phase 2


def phase2(n: int, processes: int) -> tuple[list[float], ...]:
    """Time `offer_next` in this process: N waiting conversations, every agent available
    (their capacity covers N). Then the same call for conversations nobody can take, and
    `offer_waiting` (what a desk runs when its agent becomes free) over them."""
    from django.db import connection

    from caredesk import events
    from caredesk.routing import services as routing
    from caredesk.routing.models import AgentProfile, Presence
    from caredesk.workspaces.models import Workspace

    # Phase 1 changed most rows; do what autovacuum would have done by now (this machine's
    # PostgreSQL runs with autovacuum off): clear the dead rows, refresh the statistics.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    workspace = Workspace.objects.get(slug=WORKSPACE, organization__slug="bench")
    AgentProfile.objects.filter(workspace=workspace).update(presence=Presence.OFFLINE)
    for agent in AgentProfile.objects.filter(workspace=workspace).order_by("pk"):
        routing.agent_presence_set(agent=agent, presence=Presence.AVAILABLE)
    conversations = [
        routing.conversation_start(
            workspace=workspace, pre_chat={"topic": f"to-{i % processes}"}, visitor={}
        ).pk
        for i in range(n)
    ]
    hits, cpu = [], []
    for pk in conversations:
        # As in the app server (routing.db.run_db): the offer is published by the caller after
        # the decision, on its event loop; here it is kept and dropped.
        with events.collecting():
            t, c = time.perf_counter(), time.process_time()
            offer = routing.offer_next(pk)
            hits.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        if offer is None:
            print(f"  phase 2: conversation {pk} found no agent")
    extra = [
        routing.conversation_start(
            workspace=workspace, pre_chat={"topic": f"to-{i % processes}"}, visitor={}
        ).pk
        for i in range(100)
    ]
    misses = []
    for pk in extra:
        with events.collecting():
            t = time.perf_counter()
            routing.offer_next(pk)
            misses.append(time.perf_counter() - t)
    waiting = []
    for _ in range(20):
        t = time.perf_counter()
        routing.offer_waiting(workspace=workspace)
        waiting.append(time.perf_counter() - t)
    return hits, cpu, misses, waiting


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--conversations", type=int, default=500)
    ap.add_argument("--agents", type=int, default=0, help="default: conversations / capacity")
    ap.add_argument("--capacity", type=int, default=5)
    ap.add_argument("--messages", type=int, default=10, help="messages each way, per conversation")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean seconds before each reply (uniform 0.5x-1.5x); 0 = as fast as possible",
    )
    ap.add_argument(
        "--ramp",
        type=float,
        default=60.0,
        help="start the conversations spread evenly over S seconds (0 = all at once)",
    )
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--skip-phase2", action="store_true")
    args = ap.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        print("bench/chat.py needs DATABASE_URL (PostgreSQL) and REDIS_URL", file=sys.stderr)
        return 2
    P = args.processes
    agents_n = args.agents or math.ceil(args.conversations / args.capacity)
    agents_n = math.ceil(agents_n / P) * P

    db = Database(
        ROOT / "var" / "bench_chat",
        name=DB_NAME,
        database_url=database_url,
        redis_url=redis_url,
        settings="caredesk.settings",
        extra_env={"LOG_LEVEL": "WARNING"},
    )
    u = urlparse(db.url)
    print(
        f"database {u.hostname}:{u.port}/{DB_NAME}, redis {redis_url}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    t = time.perf_counter()
    db.create()
    print(f"created and migrated in {time.perf_counter() - t:.1f}s")
    django_setup(db)
    servers = [Server(db, label=f"app{p}") for p in range(P)]
    for s in servers:
        s.launch()
    t = time.perf_counter()
    agents = seed(agents=agents_n, capacity=args.capacity, processes=P)
    print(
        f"seeded {len(agents)} agents (capacity {args.capacity}) in {time.perf_counter() - t:.1f}s"
    )
    try:
        for s in servers:
            s.wait_ready()
        print(f"{P} app processes: " + ", ".join(s.http for s in servers))
        load_before = os.getloadavg()[0]
        run, elapsed = asyncio.run(phase1(args, servers, agents))
    finally:
        stop_all(servers)

    delivered = len(run.c2a) + len(run.a2c)
    expected = args.conversations * (2 * args.messages + 1)
    print()
    print(
        f"phase 1: {args.conversations} conversations x {args.messages} messages each way "
        "(+ the agent's greeting), "
        f"{len(agents)} agents, {P} app processes, think {args.think}s, ramp {args.ramp}s"
    )
    print(
        f"  finished {run.finished}/{args.conversations} conversations in {elapsed:.1f}s; "
        f"{delivered}/{expected} messages delivered ({delivered / elapsed:.0f}/s); "
        f"load average {load_before:.2f} → {os.getloadavg()[0]:.2f}"
    )
    print(row("delivery customer → agent", run.c2a, TARGETS_MS["delivery"]))
    print(row("delivery agent → customer", run.a2c, TARGETS_MS["delivery"]))
    print(row("delivery both directions", run.c2a + run.a2c, TARGETS_MS["delivery"]))
    if run.slow:
        by_second = Counter(int(at) for at, _ in run.slow)
        longest = {}
        for at, latency in run.slow:
            longest[int(at)] = max(longest.get(int(at), 0), latency)
        worst = ", ".join(
            f"{second}s: {n} (max {longest[second] * 1000:.0f} ms)"
            for second, n in by_second.most_common(5)
        )
        print(
            f"  deliveries over {TARGETS_MS['delivery']:.0f} ms: {len(run.slow)}, sent in"
            f" {len(by_second)} different seconds of the run; the most: {worst}"
        )
    print(row("ack customer (send → stored → ack)", run.ack_customer))
    print(row("ack agent", run.ack_agent))
    print(row("start → started", run.start_to_started))
    print(
        # The server stores and routes the conversation, then sends `started`, then publishes
        # the offer: this is the publication's delay, not the routing decision (phase 2).
        row("started at customer → offer at agent", run.started_to_offer)
    )
    print(row("start sent → offer at agent (stored + routed + sent)", run.start_to_offer))
    print(row("accept → accepted", run.accept_to_accepted))
    print(row("bench event loop lag (client-side delay)", run.loop_lag))
    errors = Counter(e.split(" {")[0].split(":")[0] for e in run.errors)
    print(f"  errors: {sum(errors.values())} {dict(errors) if errors else ''}")
    for e in run.errors[:5]:
        print(f"    {e[:200]}")
    print(f"  agents got: {dict(sorted((k, v) for k, v in run.counts.items() if 'agent' in k))}")
    used = {k: run.cpu_after[k] - run.cpu_before[k] for k in run.cpu_before}
    per = 1000 / max(1, delivered)
    print(
        f"  CPU seconds over the run ({os.cpu_count()} CPUs x {elapsed:.0f}s = "
        f"{os.cpu_count() * elapsed:.0f}s available): "
        + ", ".join(f"{k} {v:.1f}" for k, v in used.items())
    )
    print(
        "  CPU per delivered message: "
        + ", ".join(f"{k} {v * per:.2f} ms" for k, v in used.items() if k != "machine")
        + f" (machine, all processes: {used['machine'] * per:.2f} ms)"
    )

    if not args.skip_phase2:
        hits, cpu, misses, waiting = phase2(args.conversations, P)
        print()
        print(
            f"phase 2 (server-side, in process, {args.conversations} waiting conversations, "
            f"{len(agents)} available agents):"
        )
        print(row("offer_next → offer made", hits, TARGETS_MS["routing"]))
        print(row("  of which Python CPU time in this process", cpu))
        print(row("offer_next → nobody fits (keeps waiting)", misses, TARGETS_MS["routing"]))
        print(row("offer_waiting over 100 waiting, none fits", waiting))
    return 0 if not run.errors and run.finished == args.conversations else 1


if __name__ == "__main__":
    sys.exit(main())
