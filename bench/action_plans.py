#!/usr/bin/env python
"""Action plans benchmark: a plan's impact at a million activities on PostgreSQL.

    .venv/bin/python bench/action_plans.py               # drop, create, load, measure
    .venv/bin/python bench/action_plans.py --reuse       # keep the loaded data, measure again
    .venv/bin/python bench/action_plans.py --activities 100000 --iterations 10

Loads the people of bench/quality.py (2 countries → 10 regions → 40 stores, 200 agents, their
managers), 10 queues (one per region), then by COPY (bench/insights.py's Table and copy, indexes
dropped during the load and rebuilt after) over the last 365 days: N/4 tickets and N activities
(chats, calls, emails; 60 % on a ticket, so in its store's segment), each with its start, end
and wait (the handle time's rows).

Then measures caredesk.action_plans.impact.impact(plan) — the figure since the start with its
previous period, and the series over both with its markers — p50 / p95 over --iterations after
a warm-up, for plans on:
  1. a big slice: Average handle time of a whole country, started 30 days ago;
  2. the same, started 180 days ago (a weekly series of a year);
  3. a small slice: Average handle time of one store's chats, started 30 days ago;
  4. the workspace's chats (no filter at all), started 30 days ago;
and, for the first, the page's whole payload (impact_present.payload: formatting, links).
"""

import argparse
import datetime as dt
import importlib.util
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = os.environ.get(
    "BENCH_ACTION_PLANS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/caredesk_bench_ap"
)
DAYS = 365


def _module(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bi = _module("insights")  # Table, copy; it loads bench/quality.py as bi.bq
bq = bi.bq


def load(n: int, seed: int = 11) -> None:
    from django.db import connection
    from django.utils import timezone

    from caredesk.care.models import Case
    from caredesk.journey.models import Activity
    from caredesk.routing.models import Queue
    from caredesk.workspaces.models import Membership

    rng = random.Random(seed)
    t0 = time.perf_counter()
    people = bq.setup_people()
    ws = people["workspace"]
    stores = people["stores"]
    store_agents = {s.pk: [] for s in stores}
    for user_id, seg in Membership.objects.filter(
        workspace=ws, user__in=people["agents"]
    ).values_list("user_id", "default_segment_id"):
        store_agents[seg].append(user_id)
    queues = {
        r.pk: Queue.objects.create(workspace=ws, name=f"Queue {r.name[7:]}", segment=r).name
        for r in people["regions"]
    }
    store_region = {s.pk: s.parent_id for s in stores}
    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=DAYS)
    span = DAYS * 86400
    writer = bq.Writer([Case._meta.db_table, Activity._meta.db_table])
    writer.drop_indexes()

    n_cases = max(1, n // 4)
    print(f"loading {n_cases:,} tickets and {n:,} activities", flush=True)
    tickets = []  # (id, store pk, owner)

    def case_rows():
        for i in range(n_cases):
            store = stores[rng.randrange(len(stores))]
            owner = rng.choice(store_agents[store.pk])
            reported = start + dt.timedelta(seconds=int(span * (i + rng.random()) / n_cases))
            tickets.append((i + 1, store.pk, owner))
            yield (
                i + 1,
                ws.pk,
                i + 1,
                f"Ticket {i + 1}",
                f"c{i % 100000}@bench.example",
                store.pk,
                store.pk,
                store.path,
                owner,
                "open",
                "chat",
                reported,
                reported,
                reported,
            )

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
        "status",
        "origin",
        "reported_at",
        "updated_at",
        "last_activity_at",
    ]
    bi.copy(writer, bi.Table(Case, case_cols), case_rows())
    media = ["chat"] * 5 + ["call"] * 3 + ["email"] * 2

    def act_rows():
        for i in range(n):
            m = media[i % 10]
            occurred = start + dt.timedelta(seconds=int(span * (i + rng.random()) / n))
            if rng.random() < 0.6:
                cid, store, agent = tickets[rng.randrange(n_cases)]
            else:
                store = stores[rng.randrange(len(stores))].pk
                cid, agent = None, rng.choice(store_agents[store])
            handle = int(rng.expovariate(1 / 420)) + 30
            wait = int(rng.expovariate(1 / 45))
            live = m != "email"
            yield (
                i + 1,
                ws.pk,
                m,
                "inbound",
                cid,
                agent,
                m,
                queues[store_region[store]],
                occurred - dt.timedelta(seconds=wait) if live else None,
                occurred if live else None,
                occurred + dt.timedelta(seconds=handle) if live else None,
                wait if live else None,
                occurred,
                occurred,
                occurred,
            )

    act_cols = [
        "id",
        "workspace_id",
        "media_type",
        "direction",
        "case_id",
        "agent_id",
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
    bi.copy(writer, bi.Table(Activity, act_cols), act_rows())
    t = time.perf_counter()
    rebuilt = writer.rebuild()
    print(f"  {rebuilt} indexes and constraints rebuilt in {time.perf_counter() - t:.1f}s")
    with connection.cursor() as cur:
        for table in writer.tables:
            cur.execute(f"VACUUM ANALYZE {table}")
    print(f"loaded in {time.perf_counter() - t0:.1f}s", flush=True)


def loaded(n: int) -> bool:
    from caredesk.journey.models import Activity

    return Activity.objects.count() >= n


def make_plans():
    """The benchmark's plans, made as the product makes them: the slice's baseline over the
    30 days before the start (caredesk.action_plans.slice.baseline)."""
    from django.utils import timezone

    from caredesk.action_plans.models import ActionPlan, PlanTask
    from caredesk.action_plans.slice import baseline
    from caredesk.workspaces.models import Segment, Workspace

    ws = Workspace.objects.get(organization__slug=bq.ORG_SLUG, slug=bq.WS_SLUG)
    ActionPlan.objects.filter(workspace=ws).delete()
    country = Segment.objects.filter(organization=ws.organization, name="Country 0").get()
    store = Segment.objects.filter(organization=ws.organization, name="Store 0.0.0").get()
    today = timezone.localdate()
    plans = {}
    for key, metric, filters, days in (
        ("big slice (a country), 30 days", "handle_time", {"segment": str(country.pk)}, 30),
        ("big slice (a country), 180 days", "handle_time", {"segment": str(country.pk)}, 180),
        (
            "small slice (a store's chats), 30 days",
            "handle_time",
            {"segment": str(store.pk), "channel": "chat"},
            30,
        ),
        ("the workspace's chats, 30 days", "chats", {}, 30),
    ):
        started = today - dt.timedelta(days=days)
        base = baseline(
            ws,
            metric,
            filters,
            date_from=started - dt.timedelta(days=30),
            date_to=started - dt.timedelta(days=1),
        )
        plan = ActionPlan.objects.create(
            workspace=ws,
            title=key,
            metric=metric,
            filters=filters,
            baseline_value=base.value,
            baseline_count=base.count,
            baseline_from=base.date_from,
            baseline_to=base.date_to,
            target_value=(base.value or 0) * 0.8,
            started_on=started,
        )
        for i in range(5):
            PlanTask.objects.create(
                plan=plan,
                title=f"Step {i + 1}",
                done=True,
                done_at=timezone.now() - dt.timedelta(days=days * i / 5),
            )
        plans[key] = plan
    return ws, plans


def measure(ws, plans, iterations):
    from caredesk.action_plans.impact import impact
    from caredesk.action_plans.impact_present import payload
    from caredesk.workspaces.access import Access

    print(f"impact(plan), ms over {iterations} runs after a warm-up:")
    for key, plan in plans.items():
        result = impact(plan)
        times = bq.timed(lambda p=plan: impact(p), iterations)
        print(
            f"  {key:42} p50 {statistics.median(times):7.1f}  p95 {bq.p95(times):7.1f}"
            f"   (since start: {result.since.count:,} rows, previous: {result.previous.count:,},"
            f" {len(result.points)} steps)",
            flush=True,
        )
    first = next(iter(plans.values()))
    access = Access.system(ws)
    times = bq.timed(lambda: payload(access, impact(first)), iterations)
    print(
        f"  {'page payload of the first (impact + present)':42} "
        f"p50 {statistics.median(times):7.1f}  p95 {bq.p95(times):7.1f}"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--activities", type=int, default=1_000_000)
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--iterations", type=int, default=20)
    args = ap.parse_args()
    bi.prepare(args.database_url, args.reuse, args.activities, loaded, load, "activities")
    ws, plans = make_plans()
    measure(ws, plans, args.iterations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
