#!/usr/bin/env python
"""Feedback ingestion benchmark: N survey responses through the bulk path with 20 active alert
rules on PostgreSQL, stored AND evaluated by huey workers.

    .venv/bin/python bench/feedback.py [--responses 1000000] [--senders 2] [--workers 3]
        [--database-url postgres://postgres@127.0.0.1:5432/caredesk_bench_feedback]

Drops and re-creates the bench database, migrates it, loads an organization (45 stores with
managers, 100,000 contacts), an NPS survey (its default detractor rule) and 19 more rules,
starts `caredesk run_huey` workers, then sends the responses in batches of 1,000 from
--senders processes (as several API processes would), each batch through
caredesk.feedback.services.responses_ingest (what POST …/responses/bulk calls), and waits
until every response has been evaluated. Reports the rates, and the CPU time per 1,000
responses of the senders, the workers and their PostgreSQL backends. See bench/README.md.
"""

import argparse
import datetime as dt
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/caredesk_bench_feedback"

COMMENTS = [
    "Fast and friendly, thank you.",
    "I waited more than twenty minutes at the till.",
    "The staff member was very helpful.",
    "My order arrived two days late and the box was damaged.",
    "I was charged twice, I want a refund.",
    "Não gostei do atendimento, muito lento.",
    "Servizio pessimo, nessuno mi ha risposto.",
    "Много лошо обслужване.",
    "Prices on the shelf and at the checkout were different.",
    "Great store, clean and quiet.",
]
COMMENT_SHARE = 0.35  # share of responses with a comment
CHANNELS = ["store", "web", "app", "phone"]


def configure(db_url: str, var_dir: str) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "caredesk.settings"
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ["CAREDESK_VAR_DIR"] = var_dir
    os.environ["CAREDESK_QUEUE_NAME"] = "bench-feedback"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ.pop("DEBUG", None)  # DEBUG would keep every query in memory


def ensure_database(db_url: str) -> None:
    import psycopg

    u = urlparse(db_url)
    name = u.path.lstrip("/")
    with psycopg.connect(u._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_data(n_contacts: int):
    """Organization, segments with managers, contacts (COPY), the survey and 20 rules."""
    from django.db import connection, transaction

    from caredesk.feedback.models import AlertRule
    from caredesk.feedback.services import rule_create, survey_create
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.permissions import UserKind

    org = ws.organization_create(name="Bench", slug="bench")
    support = ws.workspace_create(organization=org, slug="support", name="Support")
    stores, regions = [], []
    n = 0
    for c in range(3):
        country = ws.segment_create(organization=org, name=f"Country {c}")
        for r in range(3):
            region = ws.segment_create(organization=org, name=f"Region {c}.{r}", parent=country)
            regions.append(region)
            for s in range(5):
                store = ws.segment_create(
                    organization=org, name=f"Store {c}.{r}.{s}", parent=region
                )
                n += 1
                manager = ws.user_create(
                    organization=org,
                    username=f"mgr{n}",
                    password="bench-password",
                    email=f"mgr{n}@bench.example",
                )
                ws.membership_set(workspace=support, user=manager, kind=UserKind.MANAGER)
                ws.segment_set_managers(segment=store, managers=[manager])
                stores.append(store)
    admin = ws.user_create(
        organization=org, username="cx", password="bench-password", email="cx@bench.example"
    )
    ws.membership_set(workspace=support, user=admin, kind=UserKind.CX_ADMIN)

    with connection.cursor() as cur, transaction.atomic():
        raw = cur.connection
        now = dt.datetime.now(dt.UTC)
        with raw.cursor() as pc:
            with pc.copy(
                "COPY customers_contact (id, organization_id, account_id, name, created_at, "
                "updated_at) FROM STDIN"
            ) as cp:
                for i in range(1, n_contacts + 1):
                    cp.write_row((i, org.pk, None, f"Customer {i}", now, now))
            with pc.copy(
                "COPY customers_contactemail (id, organization_id, contact_id, email) FROM STDIN"
            ) as cp:
                for i in range(1, n_contacts + 1):
                    cp.write_row((i, org.pk, i, f"customer{i}@mail.example"))
        for table in ("customers_contact", "customers_contactemail"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )

    nps = survey_create(
        workspace=support,
        kind="nps",
        name="Store visit",
        questions=[
            {
                "key": "reason",
                "kind": "single",
                "label": "Main reason",
                "options": ["price", "staff", "waiting", "product"],
            }
        ],
    )
    notify = {"notify": {"users": [admin.pk]}}
    case = {"create_case": {"priority": "high", "status": "new"}}
    specs = [
        ("Refund asked", {"keywords": ["refund", "reembolso", "rimborso"]}, notify),
        ("Not happy (pt)", {"keywords": ["não gostei"], "nps_category": ["detractor"]}, notify),
        ("Pessimo (it)", {"keywords": ["pessimo"]}, notify),
        ("Лошо (bg)", {"keywords": ["лошо"]}, notify),
        ("Charged twice", {"keywords": ["charged twice"]}, notify),
        (
            "Store channel detractor",
            {
                "nps_category": ["detractor"],
                "transaction": [{"field": "channel", "op": "equals", "value": "store"}],
            },
            notify,
        ),
        (
            "VIP passive",
            {
                "nps_category": ["passive"],
                "transaction": [{"field": "tier", "op": "equals", "value": "vip"}],
            },
            case,
        ),
        (
            "Price complaints",
            {
                "answers": [{"question": "reason", "op": "equals", "value": "price"}],
                "scores": [{"kind": "nps", "min": 0, "max": 4}],
            },
            notify,
        ),
        (
            "Waiting complaints",
            {
                "answers": [{"question": "reason", "op": "equals", "value": "waiting"}],
                "scores": [{"kind": "nps", "min": 0, "max": 3}],
            },
            notify,
        ),
        ("Zero score", {"scores": [{"kind": "nps", "min": 0, "max": 0}]}, notify),
        (
            "App orders",
            {"transaction": [{"field": "order_id", "op": "contains", "value": "APP-9"}]},
            notify,
        ),
        (
            "Phone channel",
            {
                "transaction": [{"field": "channel", "op": "equals", "value": "phone"}],
                "scores": [{"kind": "nps", "min": 0, "max": 2}],
            },
            notify,
        ),
    ]
    for region in regions[:4]:
        specs.append(
            (
                f"Region {region.name} detractors",
                {"segment": region.pk, "scores": [{"kind": "nps", "min": 0, "max": 1}]},
                notify,
            )
        )
    for store in stores[-3:]:
        specs.append(
            (f"{store.name} damaged", {"segment": store.pk, "keywords": ["damaged"]}, case)
        )
    for name, criteria, actions in specs[:19]:
        rule_create(workspace=support, name=name, criteria=criteria, actions=actions)
    active = AlertRule.objects.filter(workspace=support, is_active=True).count()
    return nps, stores, active


def make_items(rng, n, start, n_contacts, stores, t0):
    items = []
    for k in range(start, start + n):
        roll = rng.random()
        score = (
            rng.randint(0, 6)
            if roll < 0.10
            else rng.randint(7, 8)
            if roll < 0.40
            else (rng.randint(9, 10))
        )
        who = rng.random()
        email = (
            f"customer{rng.randint(1, n_contacts)}@mail.example"
            if who < 0.7
            else f"new{k}@else.example"
            if who < 0.71
            else ""
        )
        items.append(
            {
                "external_id": f"b-{k}",
                "score": score,
                "comment": rng.choice(COMMENTS) if rng.random() < COMMENT_SHARE else "",
                "customer_email": email,
                "segment": stores[int(rng.paretovariate(1.2)) % len(stores)].pk,
                "answers": {"reason": rng.choice(["price", "staff", "waiting", "product"])},
                "transaction": {
                    "order_id": f"{rng.choice(['APP', 'WEB', 'POS'])}-{k}",
                    "channel": rng.choice(CHANNELS),
                    "agent": f"agent{rng.randint(1, 200)}",
                    "tier": "vip" if rng.random() < 0.05 else "std",
                },
                "responded_at": (t0 - dt.timedelta(seconds=k)).isoformat(),
            }
        )
    return items


def start_workers(n: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "caredesk",
            "run_huey",
            "--workers",
            str(n),
            "--worker-type",
            "process",
            "--no-periodic",
            "--quiet",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,
    )


def batch_items(seed, index, size, total, n_contacts, stores, t0):
    """The items of batch `index`: the same whatever process sends it (its own seed)."""
    start = index * size
    n = min(size, total - start)
    return make_items(random.Random(seed * 1_000_003 + index), n, start, n_contacts, stores, t0)


def sender(args, slot, survey_id, store_ids, t0_at, go, out, sampled):
    """One sender process: batches slot, slot + senders, slot + 2 × senders, …, each through
    responses_ingest (what POST …/responses/bulk calls)."""
    from django.db import connection

    from caredesk.feedback.models import Survey
    from caredesk.feedback.services import responses_ingest
    from caredesk.workspaces.models import Segment

    connection.close()  # never share the parent's connection
    survey = Survey.objects.select_related("workspace").get(pk=survey_id)
    stores = list(Segment.objects.filter(pk__in=store_ids).order_by("id"))
    batches = range(slot, -(-args.responses // args.batch), args.senders)
    created = errors = 0
    gen = ingest = 0.0
    cpu0 = time.process_time()
    go.wait()
    t_go = time.perf_counter()
    for k, index in enumerate(batches):
        g = time.perf_counter()
        items = batch_items(7, index, args.batch, args.responses, args.contacts, stores, t0_at)
        i = time.perf_counter()
        result = responses_ingest(survey=survey, items=items)
        ingest += time.perf_counter() - i
        gen += i - g
        created += result.count("created")
        errors += result.count("error")
        if slot == 0 and k % 50 == 49:
            done = (k + 1) * args.senders * args.batch
            took = time.perf_counter() - t_go
            print(f"  ~{done:,} sent in {took:.0f}s, load {os.getloadavg()[0]:.1f}", flush=True)
    backend = backend_pid()
    out.put(
        (
            slot,
            created,
            errors,
            gen,
            ingest,
            time.process_time() - cpu0,
            time.perf_counter(),
            backend,
        )
    )
    sampled.wait(30)  # keep the connection until the parent has read its backend's CPU
    connection.close()


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


class ProcessCPU(threading.Thread):
    """Samples, every second, the CPU time (user + system, from /proc: same host) of every
    PostgreSQL backend serving the bench database, and of the huey consumer and its worker
    processes; a process that ends between samples keeps its last sample."""

    def __init__(self, database: str, consumer: int):
        super().__init__(daemon=True)
        self.tag = f" {database} ".encode()
        self.consumer = consumer
        self.cpu: dict[int, float] = {}  # backends
        self.workers: dict[int, float] = {}
        self.others: set[int] = set()
        self.stop = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or (pid := int(entry.name)) in self.others:
                continue
            try:
                stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
                used = (int(stat[11]) + int(stat[12])) / self.tick
                if pid in self.cpu:
                    self.cpu[pid] = used
                elif pid in self.workers or self.consumer in (pid, int(stat[1])):
                    self.workers[pid] = used
                elif self.tag in (cmdline := Path(entry.path, "cmdline").read_bytes()):
                    self.cpu[pid] = used
                elif b"postgres" not in cmdline or cmdline.startswith(b"postgres: "):
                    # Not ours for good: another program, or a backend past its start (a
                    # backend just forked still shows the postmaster's command line).
                    self.others.add(pid)
            except OSError:
                continue

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.sample()

    def since(self, base: "ProcessCPU.Snapshot", pids=None) -> float:
        """Backend CPU used since the snapshot (of `pids` only, if given)."""
        return sum(
            v - base.cpu.get(pid, 0.0) for pid, v in self.cpu.items() if pids is None or pid in pids
        )

    def snapshot(self) -> "ProcessCPU.Snapshot":
        self.sample()
        return ProcessCPU.Snapshot(dict(self.cpu), dict(self.workers))

    class Snapshot:
        def __init__(self, cpu, workers):
            self.cpu, self.workers = cpu, workers

    def workers_since(self, base: "ProcessCPU.Snapshot") -> float:
        return sum(v - base.workers.get(pid, 0.0) for pid, v in self.workers.items())


def wait_evaluated(poll: float = 0.25) -> None:
    """Until no response is left with evaluated_at unset. A watermark walks the primary key
    (the lowest id still unevaluated), so each check reads only the rows after it instead of
    the whole table."""
    from django.db import connection

    low = 0
    while True:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT min(id) FROM feedback_response WHERE id >= %s AND evaluated_at IS NULL",
                [low],
            )
            (first,) = cur.fetchone()
        if first is None:
            return
        low = first
        time.sleep(poll)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--responses", type=int, default=1_000_000)
    p.add_argument("--contacts", type=int, default=100_000)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--workers", type=int, default=3, help="huey worker processes")
    p.add_argument(
        "--senders", type=int, default=2, help="sender processes (as several API processes)"
    )
    p.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = p.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("bench/feedback.py needs PostgreSQL (--database-url postgres://…)")
    var_dir = tempfile.mkdtemp(prefix="caredesk-bench-feedback-")
    configure(args.database_url, var_dir)
    redis = os.environ.get("REDIS_URL")
    print(f"database {args.database_url}; queue: {'Redis ' + redis if redis else var_dir}")
    ensure_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    t = time.perf_counter()
    nps, stores, active = setup_data(args.contacts)
    print(
        f"setup: {active} active rules, {len(stores)} stores, {args.contacts:,} contacts "
        f"({time.perf_counter() - t:.1f}s)"
    )
    connection.close()

    workers = start_workers(args.workers)
    time.sleep(2)  # let the consumer start before work arrives
    ctx = multiprocessing.get_context("fork")
    go, out, sampled = ctx.Event(), ctx.Queue(), ctx.Event()
    t0_at = dt.datetime.now(dt.UTC)
    procs = [
        ctx.Process(
            target=sender, args=(args, n, nps.pk, [s.pk for s in stores], t0_at, go, out, sampled)
        )
        for n in range(args.senders)
    ]
    for proc in procs:
        proc.start()
    time.sleep(1)  # let them connect and read the survey
    print(
        f"sending {args.responses:,} responses in batches of {args.batch} through "
        f"responses_ingest from {args.senders} sender processes; {args.workers} worker processes",
        flush=True,
    )
    procs_cpu = ProcessCPU(urlparse(args.database_url).path.lstrip("/"), workers.pid)
    base = procs_cpu.snapshot()
    procs_cpu.start()
    t_start = time.perf_counter()
    go.set()
    try:
        reports = [out.get() for _ in procs]
        procs_cpu.sample()
        sampled.set()
        for proc in procs:
            proc.join()
        t_stored = max(r[6] for r in reports) - t_start
        created = sum(r[1] for r in reports)
        errors = sum(r[2] for r in reports)
        gen = sum(r[3] for r in reports)
        ingest = sum(r[4] for r in reports)
        cpu = sum(r[5] for r in reports)
        batches = -(-args.responses // args.batch)
        print(
            f"stored {created:,} responses ({errors} errors) in {t_stored:.1f}s: "
            f"{created / t_stored:,.0f}/s; per batch in a sender: responses_ingest "
            f"{ingest / batches * 1000:.0f} ms wall, item generation {gen / batches * 1000:.0f}"
            f" ms, sender CPU {cpu / batches * 1000:.0f} ms (both included)"
        )
        wait_evaluated()
        t_all = time.perf_counter() - t_start
        procs_cpu.sample()
        procs_cpu.stop.set()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        os.killpg(workers.pid, signal.SIGINT)
        try:
            workers.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(workers.pid, signal.SIGKILL)
    from caredesk.care.models import Case
    from caredesk.feedback.models import AlertNotification, AlertRuleHit, Response

    cases = Case.objects.count()
    workers_cpu = procs_cpu.workers_since(base)  # from the start of the clock
    senders_backend = procs_cpu.since(base, {r[7] for r in reports})
    worker_backends = procs_cpu.since(base) - senders_backend
    per = 1000 / created
    print(
        f"CPU per 1,000 responses: senders {cpu * per:.2f} s (item generation included), "
        f"their PostgreSQL backends {senders_backend * per:.2f} s; workers "
        f"{workers_cpu * per:.2f} s, their backends {worker_backends * per:.2f} s; total "
        f"{(cpu + senders_backend + workers_cpu + worker_backends) * per:.2f} s "
        f"(the machine has {os.cpu_count()} CPUs)"
    )
    print(
        f"evaluated all in {t_all:.1f}s end to end: {created / t_all:,.0f} responses/s "
        f"(stored and evaluated; {args.senders} senders, {args.workers} worker processes)"
    )
    print(
        f"responses {Response.objects.count():,} (unevaluated "
        f"{Response.objects.filter(evaluated_at=None).count()}), rule hits "
        f"{AlertRuleHit.objects.count():,}, cases created {cases:,}, "
        f"notifications {AlertNotification.objects.count():,}"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
