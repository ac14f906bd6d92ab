#!/usr/bin/env python
"""Insights benchmark: a million tickets, activities and survey responses on PostgreSQL.

    .venv/bin/python bench/insights.py                # drop, create, load, measure
    .venv/bin/python bench/insights.py --reuse        # keep the loaded data, measure again
    .venv/bin/python bench/insights.py --rows 100000 --skip search,analysis

Loads (the people of bench/quality.py: 2 countries → 10 regions → 40 stores, 200 agents,
their managers, 10 coaches, a CX admin), 10 queues (one per region), an NPS and a CSAT
survey, then by COPY over the last 365 days: N tickets (with their CaseMeasure and one
ResponseEpisode each: the measures the product keeps), N activities (chats, calls, emails;
60 % on a ticket; each with its stored Analysis), N survey responses (NPS and CSAT with a
verbatim) and one search document per activity and response when the search app is there.
Every column a load does not name gets the model field's default, so the loader follows the
models as they change.

Then measures, each the median of --iterations after a warm-up, through the real views and
API (Django's test client, DEBUG off):
  1. the Insights dashboard (last 30 days) for the CX admin and for a country manager: warm,
     and cold — the first request of a new process (a restarted app server); targets 150 ms
     warm, 1.5 s cold; beside each, the same SQL the request ran, run bare (the database's
     share of the time);
  2. a drill-down page (the tickets behind the 30-day figure, first page) — target 50 ms;
  3. search: 40 queries of one or two words from the corpus, p50 / p95 — target 100 ms p95;
  4. analysis throughput: caredesk.analysis.engine.analyse over chat messages on one core —
     target 2,000 messages/s.
A step whose page or function does not exist prints "not available" and the others go on.
"""

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = os.environ.get(
    "BENCH_INSIGHTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/caredesk_bench_i"
)
DAYS = 365
CHUNK = 5000


def _bench_quality():
    """bench/quality.py: the people, the COPY writer and the timing helpers are shared."""
    spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bq = _bench_quality()
NULL = bq.NULL

WORDS = {
    "en": "refund delivery late invoice password login cancel subscription manager thanks "
    "great helpful broken charged twice waiting order tracking".split(),
    "pt": "reembolso entrega atrasada fatura senha cancelar assinatura gerente obrigado "
    "ótimo cobrado duas vezes pedido".split(),
    "it": "rimborso consegna ritardo fattura password annullare abbonamento responsabile "
    "grazie ottimo addebitato ordine".split(),
    "bg": "възстановяване доставка закъснение фактура парола откажа абонамент управител "
    "благодаря поръчка".split(),
}


# --------------------------------------------------------------------------- COPY rows


def _text(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")


def _default(field):
    from django.utils import timezone

    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    if field.has_default():
        return field.get_default()
    return None if field.null else field.get_default()


class Table:
    """COPY lines for one model: the columns a load names, every other concrete column at
    its field's default (computed once: no row of these tables has a per-row default)."""

    def __init__(self, model, given: list[str]):
        self.model = model
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        by_att = {f.attname: f for f in fields}
        unknown = [g for g in given if g not in by_att]
        if unknown:
            raise SystemExit(f"{self.table}: no columns {unknown}")
        self.given = given
        self.rest = [f for f in fields if f.attname not in given]
        self.rest_text = "".join("\t" + _text(_default(f)) for f in self.rest)
        self.cols = ", ".join([by_att[g].column for g in given] + [f.column for f in self.rest])

    def line(self, values) -> str:
        return "\t".join(_text(v) for v in values) + self.rest_text + "\n"


def copy(writer, table: Table, rows) -> int:
    n = 0

    def chunks():
        nonlocal n
        chunk = []
        for values in rows:
            chunk.append(table.line(values))
            if len(chunk) == CHUNK:
                n += len(chunk)
                yield chunk
                chunk = []
        if chunk:
            n += len(chunk)
            yield chunk

    t = time.perf_counter()
    writer.copy(table.table, table.cols, chunks())
    writer.set_sequence(table.table) if table.model._meta.pk.attname == "id" else None
    print(f"  {table.table}: {n:,} rows in {time.perf_counter() - t:.1f}s", flush=True)
    return n


# --------------------------------------------------------------------------- load


def load(n: int, seed: int = 7) -> None:
    from django.utils import timezone

    from caredesk.analysis.models import Analysis
    from caredesk.care.models import Case
    from caredesk.feedback.models import Response, Survey
    from caredesk.insights.models import CaseMeasure, ResponseEpisode
    from caredesk.journey.models import Activity
    from caredesk.routing.models import Queue

    rng = random.Random(seed)
    t0 = time.perf_counter()
    people = bq.setup_people()
    ws = people["workspace"]
    agents = people["agents"]
    stores = people["stores"]
    from caredesk.workspaces.models import Membership

    store_agents = {s.pk: [] for s in stores}
    for user_id, segment_id in Membership.objects.filter(workspace=ws, user__in=agents).values_list(
        "user_id", "default_segment_id"
    ):
        store_agents[segment_id].append(user_id)
    queues = [
        Queue.objects.create(workspace=ws, name=f"Queue {r.name[7:]}", segment=r)
        for r in people["regions"]
    ]
    region_queue = {q.segment_id: q.name for q in queues}
    store_region = {s.pk: s.parent_id for s in stores}
    nps = Survey.objects.create(workspace=ws, kind="nps", name="NPS after contact")
    csat = Survey.objects.create(workspace=ws, kind="csat", name="CSAT after chat")
    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=DAYS)
    span = DAYS * 86400
    langs = ["en", "pt", "it", "bg"]

    def when(i):
        # Increasing with i (rows arrive in time order, as in production), a little noise.
        return start + dt.timedelta(seconds=int(span * (i + rng.random()) / n))

    tables = [
        Case._meta.db_table,
        Activity._meta.db_table,
        Response._meta.db_table,
        CaseMeasure._meta.db_table,
        ResponseEpisode._meta.db_table,
        Analysis._meta.db_table,
    ]
    writer = bq.Writer(tables)
    writer.drop_indexes()

    # Tickets, with the measures the product keeps for each.
    print(f"loading {n:,} tickets, activities and responses", flush=True)
    case_cols = [
        "id",
        "workspace_id",
        "number",
        "title",
        "customer_email",
        "source_segment_id",
        "segment_id",
        "segment_path",
        "owner_id",
        "priority",
        "status",
        "origin",
        "reported_at",
        "customer_comment",
        "created_by_id",
        "updated_at",
        "last_activity_at",
        "closed_at",
        "resolution_reason",
    ]
    case_table = Table(Case, case_cols)
    tickets = []  # (id, store pk, path, owner, reported, resolved)
    origins = ["chat", "email", "call", "manual", "alert", "survey_response"]
    statuses_old = ["resolved"] * 6 + ["closed"] * 3 + ["open"]

    def case_rows():
        for i in range(n):
            store = stores[rng.randrange(len(stores))]
            owner = rng.choice(store_agents[store.pk]) if rng.random() < 0.85 else None
            reported = when(i)
            age_days = (now - reported).days
            status = (
                rng.choice(statuses_old)
                if age_days > 3
                else rng.choice(["new", "open", "open", "escalated", "resolved"])
            )
            resolved = (
                min(now, reported + dt.timedelta(hours=rng.expovariate(1 / 20)))
                if status in ("resolved", "closed")
                else None
            )
            tickets.append((i + 1, store.pk, store.path, owner, reported, resolved))
            yield (
                i + 1,
                ws.pk,
                i + 1,
                f"Ticket {i + 1}",
                f"c{i % 200000}@bench.example",
                store.pk,
                store.pk,
                store.path,
                owner,
                "medium",
                status,
                origins[i % len(origins)],
                reported,
                "",
                None,
                resolved or reported,
                resolved or reported,
                resolved,
                "resolved_contacted" if resolved else "",
            )

    copy(writer, case_table, case_rows())
    measure_table = Table(
        CaseMeasure,
        [
            "case_id",
            "workspace_id",
            "reported_at",
            "resolved_at",
            "resolution_business_seconds",
            "reopen_count",
            "sla_met",
            "first_contact_resolution",
            "segment_path",
        ],
    )
    copy(
        writer,
        measure_table,
        (
            (
                cid,
                ws.pk,
                rep,
                res,
                int((res - rep).total_seconds() * 0.4) if res else None,
                int(rng.random() < 0.06),
                (res - rep).total_seconds() < 86400 if res else None,
                (res is not None and rng.random() < 0.7) if res else None,
                path,
            )
            for cid, _s, path, _o, rep, res in tickets
        ),
    )
    episode_table = Table(
        ResponseEpisode,
        [
            "id",
            "workspace_id",
            "kind",
            "case_id",
            "started_at",
            "responded_at",
            "business_seconds",
            "sla_met",
            "segment_path",
            "channel",
            "agent_id",
        ],
    )

    def episodes():
        for cid, _s, path, owner, rep, _r in tickets:
            secs = int(rng.expovariate(1 / 2400))
            yield (
                cid,
                ws.pk,
                "ticket",
                cid,
                rep,
                rep + dt.timedelta(seconds=secs),
                secs,
                secs <= 3600,
                path,
                "email",
                owner,
            )

    copy(writer, episode_table, episodes())

    # Activities, each with its stored analysis.
    act_cols = [
        "id",
        "workspace_id",
        "media_type",
        "direction",
        "case_id",
        "agent_id",
        "subject",
        "body",
        "channel",
        "queue_name",
        "queued_at",
        "started_at",
        "ended_at",
        "wait_seconds",
        "occurred_at",
        "created_at",
        "updated_at",
    ]
    act_table = Table(Activity, act_cols)
    acts = []  # (id, media, case, path, queue, agent, occurred, lang, text)
    media = ["chat"] * 5 + ["call"] * 3 + ["email"] * 2

    def act_rows():
        for i in range(n):
            m = media[i % 10]
            occurred = when(i)
            if rng.random() < 0.6:
                cid, store, path, owner, _rep, _res = tickets[rng.randrange(n)]
            else:
                store = stores[rng.randrange(len(stores))].pk
                cid, path, owner = None, "", None
            agent = owner or rng.choice(store_agents[store])
            queue = region_queue[store_region[store]]
            lang = langs[i % 4]
            text = " ".join(rng.choice(WORDS[lang]) for _ in range(8))
            handle = int(rng.expovariate(1 / 420)) + 30
            wait = int(rng.expovariate(1 / 45))
            acts.append((i + 1, m, cid, path, queue, agent, occurred, lang, text))
            yield (
                i + 1,
                ws.pk,
                m,
                "inbound",
                cid,
                agent,
                "",
                text if m == "email" else "",
                m,
                queue,
                occurred - dt.timedelta(seconds=wait),
                occurred,
                occurred + dt.timedelta(seconds=handle),
                wait,
                occurred,
                occurred,
                occurred,
            )

    copy(writer, act_table, act_rows())
    analysis_table = Table(
        Analysis,
        [
            "id",
            "workspace_id",
            "source",
            "source_id",
            "media_type",
            "occurred_at",
            "case_id",
            "segment_path",
            "queue_name",
            "agent_id",
            "language",
            "sentiment",
            "label",
            "customer_sentiment",
            "agent_sentiment",
            "start_sentiment",
            "end_sentiment",
        ],
    )

    def analyses():
        for aid, m, cid, path, queue, agent, occurred, lang, _t in acts:
            s = max(-1.0, min(1.0, rng.gauss(0.1, 0.45)))
            label = "negative" if s < -0.05 else ("positive" if s > 0.05 else "neutral")
            yield (
                aid,
                ws.pk,
                "activity",
                aid,
                m,
                occurred,
                cid,
                path,
                queue,
                agent,
                lang,
                round(s, 3),
                label,
                round(s, 3),
                0.3,
                round(s - 0.1, 3),
                round(s + 0.1, 3),
            )

    copy(writer, analysis_table, analyses())

    # Survey responses.
    resp_cols = [
        "id",
        "workspace_id",
        "survey_id",
        "score",
        "comment",
        "customer_email",
        "segment_id",
        "segment_path",
        "language",
        "responded_at",
        "created_at",
    ]
    resp_table = Table(Response, resp_cols)
    resps = []

    def resp_rows():
        for i in range(n):
            store = stores[rng.randrange(len(stores))]
            is_nps = rng.random() < 0.6
            score = (
                min(10, max(0, round(rng.gauss(7.8, 2.2))))
                if is_nps
                else min(5, max(1, round(rng.gauss(4, 1))))
            )
            lang = langs[i % 4]
            text = " ".join(rng.choice(WORDS[lang]) for _ in range(10))
            at = when(i)
            resps.append((i + 1, store.path, at, text))
            yield (
                i + 1,
                ws.pk,
                (nps if is_nps else csat).pk,
                score,
                text,
                f"r{i % 300000}@bench.example",
                store.pk,
                store.path,
                lang,
                at,
                at,
            )

    copy(writer, resp_table, resp_rows())

    t = time.perf_counter()
    rebuilt = writer.rebuild()
    print(f"  {rebuilt} indexes and constraints rebuilt in {time.perf_counter() - t:.1f}s")
    from django.db import connection

    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"VACUUM ANALYZE {table}")
    print(f"loaded in {time.perf_counter() - t0:.1f}s", flush=True)


def ensure_search() -> None:
    """Search documents by the product's own rebuild (the load's COPY bypassed the triggers
    that keep them), timed: what re-indexing a database of this size costs."""
    from django.apps import apps
    from django.core.management import call_command

    if not apps.is_installed("caredesk.search"):
        return
    model = apps.get_model("search", "SearchDocument")
    if model.objects.exists():
        return
    t = time.perf_counter()
    call_command("search_rebuild", stdout=open(os.devnull, "w"))  # noqa: SIM115
    took = time.perf_counter() - t
    n = model.objects.count()
    print(f"  search_rebuild: {n:,} documents in {took:.1f}s ({n / took:,.0f}/s)", flush=True)


def loaded(n: int) -> bool:
    from caredesk.care.models import Case

    return Case.objects.count() == n


# --------------------------------------------------------------------------- measure


def client_for(username):
    from django.test import Client

    from caredesk.workspaces.models import User

    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def dashboard_url(days=30):
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    today = timezone.localdate()
    try:
        base = reverse("insights_dashboard", args=["support"])
    except NoReverseMatch:
        return None
    return f"{base}?from={today - dt.timedelta(days=days - 1)}&to={today}"


def get(client, url):
    r = client.get(url)
    if r.status_code != 200:
        raise SystemExit(f"{url}: {r.status_code} {r.content[:300]!r}")
    return r


def bare_sql(client, url) -> tuple[int, float]:
    """The queries a request ran, run again bare: (count, total ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        get(client, url)
    total = 0.0
    with connection.cursor() as cur:
        for q in ctx.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            t = time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            total += (time.perf_counter() - t) * 1000
    return len(ctx.captured_queries), total


def step_dashboard(iterations):
    url = dashboard_url()
    if url is None:
        print("dashboard: not available")
        return
    print("\nInsights dashboard, last 30 days (ms)")
    print(
        f"  {'user':22} {'cold':>8} {'warm p50':>9} {'warm p95':>9} {'queries':>8} {'bare SQL':>9}"
    )
    for who in ("cx.admin", "country0.manager", "store000.manager"):
        cold = cold_request(who, url)
        c = client_for(who)
        times = bq.timed(lambda c=c: get(c, url), iterations)
        n, bare = bare_sql(c, url)
        print(
            f"  {who:22} {cold:8.0f} {statistics.median(times):9.1f} {bq.p95(times):9.1f}"
            f" {n:8d} {bare:9.1f}",
            flush=True,
        )


def cold_request(who, url) -> float:
    """The first request of a new process (settings, URL resolvers, templates, connection:
    what a restarted app server pays), timed inside the child."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--cold-child",
            who,
            "--url",
            url,
            "--database-url",
            os.environ["DATABASE_URL"],
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def cold_child(who, url):
    c = client_for(who)
    t = time.perf_counter()
    get(c, url)
    print((time.perf_counter() - t) * 1000)


def step_drilldown(iterations):
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    try:
        base = reverse("insights_rows", args=["support", "tickets"])
    except NoReverseMatch:
        print("drill-down: not available")
        return
    today = timezone.localdate()
    url = f"{base}?from={today - dt.timedelta(days=29)}&to={today}"
    print("\nDrill-down: the tickets behind the 30-day figure, first page (ms)")
    for who in ("cx.admin", "country0.manager"):
        c = client_for(who)
        times = bq.timed(lambda c=c: get(c, url), iterations)
        n, bare = bare_sql(c, url)
        print(
            f"  {who:22} p50 {statistics.median(times):7.1f}  p95 {bq.p95(times):7.1f}"
            f"  queries {n}  bare SQL {bare:.1f}",
            flush=True,
        )


def step_search(iterations):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("search", args=["support"])
    except NoReverseMatch:
        print("search: not available")
        return
    rng = random.Random(3)
    words = [w for lang in WORDS.values() for w in lang]
    queries = [" ".join(rng.sample(words, rng.choice([1, 2]))) for _ in range(iterations)]
    print("\nSearch API (ms)")
    for who in ("cx.admin", "country0.manager"):
        c = client_for(who)
        get(c, f"/api/v1/workspaces/support/search?q={queries[0]}")
        times = []
        for q in queries:
            t = time.perf_counter()
            get(c, f"/api/v1/workspaces/support/search?q={q}")
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"  {who:22} p50 {statistics.median(times):7.1f}  p95 {bq.p95(times):7.1f}"
            f"  ({len(queries)} queries)",
            flush=True,
        )


def step_analysis(messages=20000):
    try:
        from caredesk.analysis.engine import Unit, analyse
    except ImportError:
        print("analysis: not available")
        return
    rng = random.Random(5)
    texts = []
    for i in range(messages):
        lang = ["en", "pt", "it", "bg"][i % 4]
        texts.append(" ".join(rng.choice(WORDS[lang]) for _ in range(rng.randint(5, 20))))
    analyse([Unit(texts[0])])
    # Per message: sentiment, language, topics, signals (keyphrases are per conversation).
    t = time.process_time()
    for text in texts:
        analyse([Unit(text)], top_keyphrases=0)
    cpu = time.process_time() - t
    print(
        f"\nAnalysis: {messages:,} messages in {cpu:.2f} s of CPU: "
        f"{messages / cpu:,.0f} messages/s on one core (without keyphrases)"
    )
    docs = texts[:2000]
    t = time.process_time()
    for i in range(0, len(docs), 8):
        analyse([Unit(x) for x in docs[i : i + 8]])
    cpu = time.process_time() - t
    print(f"  with keyphrases, conversations of 8 messages: {len(docs) / 8 / cpu:,.0f}/s")


def prepare(url: str, reuse: bool, count: int, loaded, load, what: str) -> None:
    """Create (or, with --reuse, keep) the bench database, migrate it, and load `count` rows
    with `load` unless `loaded(count)` says they are there (bench/action_plans.py too)."""
    bq.ensure_database(url, recreate=not reuse)
    bq.configure(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if reuse and loaded(count):
        print(f"reusing {count:,} {what}")
        return
    if reuse:
        print(f"--reuse: the database does not hold {count:,} {what}; loading again")
        from django.db import connection

        connection.close()
        bq.ensure_database(url, recreate=True)
        call_command("migrate", verbosity=0, interactive=False)
    load(count)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument(
        "--skip", default="", help="comma-separated: dashboard,drilldown,search,analysis"
    )
    ap.add_argument("--cold-child", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if args.cold_child:
        bq.configure(args.database_url)
        # What the app server loads before it takes its first request (caredesk.asgi).
        import caredesk.asgi  # noqa: F401

        cold_child(args.cold_child, args.url)
        return
    prepare(args.database_url, args.reuse, args.rows, loaded, load, "rows per table")
    if "search" not in skip:
        ensure_search()
    if "dashboard" not in skip:
        step_dashboard(args.iterations)
    if "drilldown" not in skip:
        step_drilldown(args.iterations)
    if "search" not in skip:
        step_search(max(args.iterations, 40))
    if "analysis" not in skip:
        step_analysis()


if __name__ == "__main__":
    main()
