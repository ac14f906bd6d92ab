#!/usr/bin/env python
"""Quality benchmark: a million evaluations over 200 agents on PostgreSQL.

    .venv/bin/python bench/quality.py                 # drop, create, load, measure
    .venv/bin/python bench/quality.py --reuse         # keep the loaded data, measure again
    .venv/bin/python bench/quality.py --evaluations 100000 --skip rescore,plans

Loads (see bench/README.md, "Quality benchmark"): organization `bench` with workspace
`support`, 2 countries → 5 regions → 4 stores (40 stores), 200 agents (5 per store, each with
their default segment), 52 managers (store, region, country, and one `head` over both
countries), 10 coaches (one per region, CoachAssignment on the region), a CX admin; a scorecard
of 8 criteria (every scale, N/A, auto-fail, a bonus) with two versions (v2 changed a weight 30
days ago); N evaluations over 90 days with their answers (~8 per evaluation) by COPY, with
indexes and unique constraints dropped during the load and rebuilt after. Scores are the
product's: every answer combination is scored by caredesk.quality.scoring.score (memoized per
combination), never by arithmetic of its own.

Then measures, each after one warm-up run:
  1. rescoring 100,000 evaluations after a weight change (v3):
     caredesk.quality.rescoring.rescore_evaluations(scorecard=, to_version=, evaluation_ids=)
     — target < 10 s;
  2. the Coaching tab's team overview for the 200 agents, warm:
     caredesk.coaching.selectors.team_overview(access, start=, end=) — median of 5, target
     < 300 ms;
  3. building all 200 coaching plans: caredesk.coaching.plans.plans_build(workspace) — target
     < 30 s;
  4. the evaluation reads that exist today, per kind of user (admin, head of both countries,
     country / region / store manager, coach, agent): the evaluation list (last 30 days,
     newest first, first page), one agent's failing evaluations, the list's counts, the
     per-agent quality score of the team (30 days), one agent's points lost per criterion
     (90 days, what a coaching plan reads) — median and p95 of --iterations runs.
A step whose function is not importable prints "not available" and the others go on.

Runs with DEBUG off (with DEBUG on Django keeps every query in memory).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = os.environ.get(
    "BENCH_QUALITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/caredesk_bench_q"
)
ORG_SLUG, WS_SLUG = "bench", "support"
DAYS = 90
# v2 of the scorecard (a weight changed) took effect this many days ago.
V2_DAYS_AGO = 30
COUNTRIES, REGIONS, STORES, AGENTS_PER_STORE = 2, 5, 4, 5

# The bench scorecard: 8 criteria covering every scale and rule of the score.
SECTIONS = [
    {
        "title": "Opening",
        "criteria": [
            {"question": "Greeted the customer by name", "weight": 1, "scale": "yes_no"},
            {"question": "Tone and empathy", "weight": 2, "scale": "1_5", "na_allowed": True},
        ],
    },
    {
        "title": "Handling",
        "criteria": [
            {
                "question": "Resolution",
                "weight": 4,
                "scale": "custom",
                "points": [
                    {"value": 0, "label": "Not resolved", "score": 0},
                    {"value": 1, "label": "Partly", "score": 50},
                    {"value": 2, "label": "Resolved", "score": 100},
                ],
                "recommendation": "Shadow a senior agent.",
            },
            {"question": "Product knowledge", "weight": 3, "scale": "0_10"},
            {"question": "Explained the next steps", "weight": 2, "scale": "yes_no"},
            {
                "question": "Asked before putting on hold",
                "weight": 1,
                "scale": "yes_no",
                "na_allowed": True,
            },
        ],
    },
    {
        "title": "Compliance",
        "criteria": [
            {
                "question": "Verified the customer's identity",
                "weight": 3,
                "scale": "yes_no",
                "auto_fail": True,
                "recommendation": "Data-protection refresher.",
            },
            {"question": "Went the extra mile", "weight": 2, "scale": "yes_no", "bonus": True},
        ],
    },
]
# Per criterion (in order): how an answer is drawn from the agent's skill s (0–1).
# Connections that COPY and build indexes at once.
WORKERS = min(4, os.cpu_count() or 1)
SKILL_BUCKETS = 12
COMBOS_PER_BUCKET = 2048


def configure(db_url: str) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "caredesk.settings"
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("CAREDESK_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.pop("DEBUG", None)


def ensure_database(db_url: str, *, recreate: bool) -> None:
    import psycopg

    u = urlparse(db_url)
    name = u.path.lstrip("/")
    with psycopg.connect(u._replace(path="/postgres").geturl(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            print(f"dropping database {name} (no --reuse)")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


# --------------------------------------------------------------------------- load


def _draw(rng, scale_kind, s):
    """One answer for a criterion from skill s: a value, "na", or None (bonus unanswered)."""
    if scale_kind == "greet":
        return int(rng.random() < s + 0.05)
    if scale_kind == "tone":
        return "na" if rng.random() < 0.03 else max(1, min(5, round(rng.gauss(1 + 4 * s, 0.8))))
    if scale_kind == "resolution":
        r = rng.random()
        return 2 if r < s else (1 if r < s + (1 - s) * 0.6 else 0)
    if scale_kind == "knowledge":
        return max(0, min(10, round(rng.gauss(10 * s, 1.5))))
    if scale_kind == "steps":
        return int(rng.random() < s + 0.05)
    if scale_kind == "hold":
        return "na" if rng.random() < 0.6 else int(rng.random() < s + 0.1)
    if scale_kind == "identity":
        return int(rng.random() >= (1 - s) * 0.12)
    if scale_kind == "bonus":
        return None if rng.random() < 0.5 else int(rng.random() < 0.3 * s)
    raise ValueError(scale_kind)


NULL = "\\N"  # COPY's text format for NULL
KINDS = ["greet", "tone", "resolution", "knowledge", "steps", "hold", "identity", "bonus"]


class Combos:
    """Answer combinations per skill bucket, each scored once per version by the product's
    scoring (caredesk.quality.scoring.score), with its answer rows as COPY text."""

    def __init__(self, rng, versions):
        from caredesk.quality import scoring

        self.criteria = {v.pk: scoring.criteria_of(v.sections) for v in versions}
        first = self.criteria[versions[0].pk]
        self.ids = [c.id for c in first]
        self.buckets = []  # per bucket: list of given tuples
        for b in range(SKILL_BUCKETS):
            s = (b + 0.5) / SKILL_BUCKETS
            self.buckets.append(
                [tuple(_draw(rng, k, s) for k in KINDS) for _ in range(COMBOS_PER_BUCKET)]
            )
        # (version pk, bucket, index) -> (score, passed, auto_failed, answer suffixes)
        self.scored = {}
        for v in versions:
            crit = self.criteria[v.pk]
            memo = {}
            for b, combos in enumerate(self.buckets):
                out = []
                for given in combos:
                    if given not in memo:
                        memo[given] = self._score(scoring, crit, given, v.pass_mark)
                    out.append(memo[given])
                self.scored[(v.pk, b)] = out

    @staticmethod
    def _score(scoring, crit, given, pass_mark):
        g = {}
        for c, value in zip(crit, given, strict=True):
            if value is None:
                continue
            g[c.id] = scoring.Given(na=True) if value == "na" else scoring.Given(value=value)
        result = scoring.score(crit, g, pass_mark)
        rows = []
        for a in result.answers:
            value = NULL if a.given.value is None else a.given.value
            frac = NULL if a.share is None else repr(a.share)
            na, bonus, failed = (
                "t" if flag else "f" for flag in (a.given.na, a.criterion.bonus, a.failed)
            )
            rows.append(
                f"{a.criterion.id}\t{value}\t{na}\t{frac}\t{a.criterion.weight!r}\t{bonus}"
                f"\t{failed}\t\t\n"
            )
        return (result.score, result.passed, result.auto_failed, rows)


ANSWER_COLS = (
    "id, evaluation_id, criterion_id, value, na, fraction, weight, bonus, failed, comment, "
    "message_ref"
)
EVAL_COLS = (
    "id, workspace_id, scorecard_id, version_id, agent_id, evaluator_id, segment_path, kind, "
    "source, external_id, score, passed, auto_failed, comment, occurred_at, created_at, "
    "updated_at, acknowledged_at"
)


def setup_people():
    """Organization, segments, users (one password hash for all), memberships with default
    segments, coach assignments. Returns a dict of who is who."""
    from django.contrib.auth.hashers import make_password

    from caredesk.quality.models import CoachAssignment
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.models import Membership, User, UserType
    from caredesk.workspaces.permissions import UserKind

    org = ws.organization_create(name="Bench", slug=ORG_SLUG)
    support = ws.workspace_create(organization=org, slug=WS_SLUG, name="Support")
    types = {t.kind: t for t in UserType.objects.filter(organization=org)}
    password = make_password("bench-password")
    users, members = [], []

    def user(username, kind, segment=None):
        u = User(
            username=username,
            password=password,
            organization=org,
            first_name=username.split(".")[0].title(),
            last_name=username.split(".")[-1],
            email=f"{username}@bench.example",
        )
        users.append(u)
        members.append((u, kind, segment))
        return u

    people = {"agents": [], "stores": [], "regions": [], "countries": [], "coaches": []}
    managed = []  # (segment, [users])
    coach_of_region = []
    head = user("head.manager", UserKind.MANAGER)
    for c in range(COUNTRIES):
        country = ws.segment_create(organization=org, name=f"Country {c}")
        people["countries"].append(country)
        cm = user(f"country{c}.manager", UserKind.MANAGER)
        managed.append((country, [head, cm]))
        for r in range(REGIONS):
            region = ws.segment_create(organization=org, name=f"Region {c}.{r}", parent=country)
            people["regions"].append(region)
            managed.append((region, [user(f"region{c}{r}.manager", UserKind.MANAGER)]))
            coach = user(f"coach{c}{r}.coach", UserKind.COACH)
            people["coaches"].append(coach)
            coach_of_region.append((coach, region))
            for s in range(STORES):
                store = ws.segment_create(
                    organization=org, name=f"Store {c}.{r}.{s}", parent=region
                )
                people["stores"].append(store)
                managed.append((store, [user(f"store{c}{r}{s}.manager", UserKind.MANAGER)]))
                for a in range(AGENTS_PER_STORE):
                    people["agents"].append(
                        user(f"agent{c}{r}{s}{a}.agent", UserKind.AGENT, segment=store)
                    )
    admin = user("cx.admin", UserKind.CX_ADMIN)
    User.objects.bulk_create(users, batch_size=500)
    Membership.objects.bulk_create(
        [
            Membership(workspace=support, user=u, user_type=types[kind], default_segment=seg)
            for u, kind, seg in members
        ],
        batch_size=500,
    )
    for segment, mgrs in managed:
        ws.segment_set_managers(segment=segment, managers=mgrs)
    CoachAssignment.objects.bulk_create(
        CoachAssignment(workspace=support, coach=coach, segment=region)
        for coach, region in coach_of_region
    )
    people.update(org=org, workspace=support, head=head, admin=admin)
    return people


def scorecard(workspace):
    """The scorecard with v1, and v2 (resolution weighted 5 instead of 4) made the way the
    product makes it: scorecard_update once v1 has an evaluation."""
    from caredesk.quality.scorecards import scorecard_create
    from caredesk.workspaces.access import Access

    return scorecard_create(
        access=Access.system(workspace),
        name="Bench chat quality",
        sections=SECTIONS,
        pass_mark=80,
        media_types=["chat"],
    )


def new_version(card, change):
    """A new version through scorecard_update with `change(sections)` applied."""
    import copy

    from caredesk.quality.scorecards import scorecard_update
    from caredesk.workspaces.access import Access

    card.refresh_from_db()
    sections = copy.deepcopy(card.current_version.sections)
    change(sections)
    card, made = scorecard_update(
        access=Access.system(card.workspace), scorecard=card, sections=sections
    )
    assert made, "the scorecard had no evaluation: no new version was made"
    card.refresh_from_db()
    return card.current_version


def _set_weight(question, weight):
    def change(sections):
        for s in sections:
            for c in s["criteria"]:
                if c["question"] == question:
                    c["weight"] = weight

    return change


class Writer:
    """Rows into a table: COPY on PostgreSQL (indexes and unique constraints dropped first and
    rebuilt by `finish`), executemany on SQLite (the smoke test)."""

    def __init__(self, tables):
        from django.db import connection

        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.tables = tables
        self.dropped = []

    def drop_indexes(self):
        if not self.pg:
            return
        with self.connection.cursor() as cur:
            for table in self.tables:
                cur.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'u'",
                    [table],
                )
                uniques = cur.fetchall()
                cur.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND "
                    "indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = "
                    "%s::regclass AND contype IN ('p', 'u'))",
                    [table, table],
                )
                indexes = cur.fetchall()
                for name, _ in uniques:
                    cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _ in indexes:
                    cur.execute(f'DROP INDEX "{name}"')
                self.dropped.append((table, uniques, indexes))

    def _connect(self):
        """A connection of its own (for work in parallel), replication triggers off."""
        import psycopg

        conn = psycopg.connect(**self.connection.get_connection_params())
        conn.execute("SET session_replication_role = replica")
        return conn

    def rebuild(self):
        """Every dropped index and unique constraint again, WORKERS at a time (a unique
        constraint is built as its unique index, then attached to its table)."""
        if not self.pg:
            return 0
        from concurrent.futures import ThreadPoolExecutor

        jobs, attach = [], []
        for table, uniques, indexes in self.dropped:
            jobs += [ddl for _, ddl in indexes]
            for name, ddl in uniques:
                cols = ddl[ddl.index("(") :]
                jobs.append(f'CREATE UNIQUE INDEX "{name}" ON {table} {cols}')
                attach.append(
                    f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"'
                )

        def build(ddl):
            with self._connect() as conn:
                conn.execute("SET maintenance_work_mem = '256MB'")
                conn.execute(ddl)

        # Longest first: the composite and multi-column indexes of the answers.
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(build, sorted(jobs, key=lambda d: ("quality_answer" not in d, d))))
        with self.connection.cursor() as cur:
            for ddl in attach:
                cur.execute(ddl)
        self.dropped = []
        return len(jobs)

    def next_id(self, table):
        with self.connection.cursor() as cur:
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            return cur.fetchone()[0] + 1

    def set_sequence(self, table):
        if self.pg:
            with self.connection.cursor() as cur:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )

    def copy(self, table, cols, chunks):
        """`chunks`: an iterator of lists of COPY text lines (tab-separated, \\N for NULL).
        On PostgreSQL WORKERS connections COPY at once, each its share of the chunks, and
        commit when all are done."""
        if self.pg:
            import queue
            import threading

            todo = queue.Queue(maxsize=WORKERS * 2)
            errors = []
            conns = [self._connect() for _ in range(WORKERS)]

            def work(conn):
                try:
                    with conn.cursor() as pc, pc.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                        while (data := todo.get()) is not None:
                            cp.write(data)
                except Exception as exc:  # noqa: BLE001 - reported by the caller
                    errors.append(exc)
                    while todo.get() is not None:
                        pass

            threads = [threading.Thread(target=work, args=(c,)) for c in conns]
            for th in threads:
                th.start()
            for chunk in chunks:
                todo.put("".join(chunk))
            for _ in threads:
                todo.put(None)
            for th in threads:
                th.join()
            for conn in conns:
                if errors:
                    conn.rollback()
                else:
                    conn.commit()
                conn.close()
            if errors:
                raise errors[0]
            return
        names = [c.strip() for c in cols.split(",")]
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(names))})"
        ops = self.connection.ops

        def value(name, v):
            if v == NULL:
                return None
            if v in ("t", "f"):
                return v == "t"
            if name.endswith("_at"):
                return ops.adapt_datetimefield_value(dt.datetime.fromisoformat(v))
            return v

        with self.connection.cursor() as cur:
            for chunk in chunks:
                cur.executemany(
                    sql,
                    [
                        [
                            value(n, v)
                            for n, v in zip(names, line.rstrip("\n").split("\t"), strict=True)
                        ]
                        for line in chunk
                    ],
                )


def load(n_evaluations: int, seed: int = 42, now: dt.datetime | None = None) -> dict:
    """Everything the bench reads. Returns who is who and what was loaded."""
    from caredesk.quality.models import Answer, Evaluation

    rng = random.Random(seed)
    now = now or dt.datetime.now(dt.UTC)
    t_all = time.perf_counter()
    t = time.perf_counter()
    people = setup_people()
    workspace = people["workspace"]
    card = scorecard(workspace)
    v1 = card.current_version
    print(
        f"people: {len(people['agents'])} agents, {len(people['coaches'])} coaches, "
        f"{len(people['stores'])} stores, scorecard: {time.perf_counter() - t:.1f}s"
    )

    # Who is evaluated when: occurred_at over 90 days (business hours, weekdays busier),
    # the agent, the evaluator; the agent's skill (some improve, some decline).
    t = time.perf_counter()
    agents = people["agents"]
    seg_path = {s.pk: s.path for s in people["stores"]}
    agent_path = {}
    from caredesk.workspaces.models import Membership

    for uid, sid in Membership.objects.filter(workspace=workspace, user__in=agents).values_list(
        "user_id", "default_segment_id"
    ):
        agent_path[uid] = seg_path[sid]
    coach_by_region = {}
    for coach, region in zip(people["coaches"], people["regions"], strict=True):
        coach_by_region[region.path] = coach.pk
    skill = {a.pk: (rng.uniform(0.62, 0.97), rng.uniform(-0.15, 0.2)) for a in agents}
    start = now - dt.timedelta(days=DAYS)
    v2_from = now - dt.timedelta(days=V2_DAYS_AGO)
    times = sorted(
        start + dt.timedelta(seconds=rng.randrange(DAYS * 86400)) for _ in range(n_evaluations)
    )
    gen_s = time.perf_counter() - t

    writer = Writer(["quality_evaluation", "quality_answer"])
    writer.drop_indexes()
    try:
        eval_id0 = writer.next_id("quality_evaluation")
        answer_id0 = writer.next_id("quality_answer")
        agent_ids = [a.pk for a in agents]
        ws_id, card_id = workspace.pk, card.pk
        # Which combination each evaluation got: (version pk, bucket, index), kept for answers.
        picks = []

        def phase(versions_of, combos, lo, hi):
            """COPY evaluations lo..hi-1 (indexes into `times`)."""

            def chunks():
                out = []
                for i in range(lo, hi):
                    at = times[i]
                    agent = rng.choice(agent_ids)
                    base, drift = skill[agent]
                    progress = (at - start).total_seconds() / (DAYS * 86400)
                    s = max(0.02, min(0.98, base + drift * progress))
                    b = min(SKILL_BUCKETS - 1, int(s * SKILL_BUCKETS))
                    k = rng.randrange(COMBOS_PER_BUCKET)
                    vpk = versions_of(at)
                    score, passed, auto_failed, _rows = combos.scored[(vpk, b)][k]
                    picks.append((vpk, b, k))
                    path = agent_path[agent]
                    region_path = "/".join(path.split("/")[:3]) + "/"
                    api = rng.random() < 0.08
                    evaluator = NULL if api else str(coach_by_region.get(region_path, NULL))
                    created = min(now, at + dt.timedelta(hours=rng.uniform(1, 48)))
                    ack = (
                        (created + dt.timedelta(hours=rng.uniform(1, 72))).isoformat()
                        if rng.random() < 0.6 and created < now - dt.timedelta(days=3)
                        else NULL
                    )
                    out.append(
                        f"{eval_id0 + i}\t{ws_id}\t{card_id}\t{vpk}\t{agent}\t{evaluator}\t{path}"
                        f"\tregular\t{'api' if api else 'manual'}\t\t{score!r}"
                        f"\t{'t' if passed else 'f'}\t{'t' if auto_failed else 'f'}\t"
                        f"\t{at.isoformat()}\t{created.isoformat()}\t{created.isoformat()}\t{ack}\n"
                    )
                    if len(out) >= 20000:
                        yield out
                        out = []
                if out:
                    yield out

            writer.copy("quality_evaluation", EVAL_COLS, chunks())

        # v1 evaluations first; then v2 through scorecard_update (v1 has evaluations now), then
        # the last 30 days' on v2.
        # (At least one evaluation on v1, so that scorecard_update makes v2.)
        split = max(1, next((i for i, at in enumerate(times) if at >= v2_from), len(times)))
        t = time.perf_counter()
        combos_v1 = Combos(random.Random(seed + 1), [v1])
        combo_s = time.perf_counter() - t
        t = time.perf_counter()
        phase(lambda at: v1.pk, combos_v1, 0, split)
        writer.set_sequence("quality_evaluation")
        v2 = new_version(card, _set_weight("Resolution", 5))
        # The same combinations (same seed), scored on both versions; answers read them.
        t2 = time.perf_counter()
        combos = Combos(random.Random(seed + 1), [v1, v2])
        combo_s += time.perf_counter() - t2
        phase(lambda at: v2.pk, combos, split, len(times))
        writer.set_sequence("quality_evaluation")
        eval_s = time.perf_counter() - t - combo_s

        t = time.perf_counter()
        n_answers = 0

        def answer_chunks():
            nonlocal n_answers
            out = []
            aid = answer_id0
            for i, key in enumerate(picks):
                vpk, b, k = key
                eid = eval_id0 + i
                for suffix in combos.scored[(vpk, b)][k][3]:
                    out.append(f"{aid}\t{eid}\t{suffix}")
                    aid += 1
                if len(out) >= 100000:
                    n_answers += len(out)
                    yield out
                    out = []
            if out:
                n_answers += len(out)
                yield out

        writer.copy("quality_answer", ANSWER_COLS, answer_chunks())
        writer.set_sequence("quality_answer")
        answer_s = time.perf_counter() - t
    except BaseException:
        writer.rebuild()  # never leave the tables without their indexes
        raise
    t = time.perf_counter()
    rebuilt = writer.rebuild()
    idx_s = time.perf_counter() - t
    t = time.perf_counter()
    if writer.pg:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE quality_evaluation")
            cur.execute("VACUUM ANALYZE quality_answer")
    vac_s = time.perf_counter() - t
    total = time.perf_counter() - t_all
    print(
        f"{n_evaluations:,} evaluations (times {gen_s:.1f}s, answer combinations scored "
        f"{combo_s:.1f}s, COPY {eval_s:.1f}s), "
        f"{n_answers:,} answers (COPY {answer_s:.1f}s), {rebuilt} indexes and constraints "
        f"{idx_s:.1f}s, VACUUM ANALYZE {vac_s:.1f}s"
    )
    print(f"LOAD TOTAL: {total:.1f}s")
    assert Evaluation.objects.filter(workspace=workspace).count() == n_evaluations
    people.update(card=card, versions=[v1, v2], answers=n_answers)
    if writer.pg is False:
        assert Answer.objects.filter(evaluation__workspace=workspace).count() == n_answers
    return people


def loaded(n_evaluations: int) -> dict | None:
    """The loaded bench when it holds exactly n evaluations (for --reuse), else None."""
    from caredesk.quality.models import Evaluation, Scorecard
    from caredesk.workspaces.models import Segment, User, Workspace

    workspace = Workspace.objects.filter(organization__slug=ORG_SLUG, slug=WS_SLUG).first()
    if workspace is None or Evaluation.objects.filter(workspace=workspace).count() != (
        n_evaluations
    ):
        return None
    org = workspace.organization
    card = Scorecard.objects.get(workspace=workspace)
    segs = Segment.objects.filter(organization=org)
    return {
        "org": org,
        "workspace": workspace,
        "card": card,
        "versions": list(card.versions.order_by("number")),
        "agents": list(User.objects.filter(organization=org, username__endswith=".agent")),
        "coaches": list(User.objects.filter(organization=org, username__endswith=".coach")),
        "stores": list(segs.filter(name__startswith="Store")),
        "regions": list(segs.filter(name__startswith="Region")),
        "countries": list(segs.filter(name__startswith="Country")),
        "head": User.objects.get(username="head.manager"),
        "admin": User.objects.get(username="cx.admin"),
    }


# --------------------------------------------------------------------------- measure


def timed(fn, iterations):
    fn()  # warm-up
    out = []
    for _ in range(iterations):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(values):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def step_rescore(people, n=100_000):
    try:
        from caredesk.quality.rescoring import rescore_evaluations
    except ImportError:
        print("1. rescoring: not available (caredesk.quality.rescoring.rescore_evaluations)")
        return
    from caredesk.quality.models import Evaluation

    card = people["card"]
    v1 = people["versions"][0]
    ids = list(
        Evaluation.objects.filter(scorecard=card, version=v1)
        .order_by("-occurred_at")
        .values_list("pk", flat=True)[:n]
    )
    # A weight the current version does not have (a run with --reuse finds the last run's).
    card.refresh_from_db()
    weight = next(
        c["weight"]
        for s in card.current_version.sections
        for c in s["criteria"]
        if c["question"] == "Tone and empathy"
    )
    to = new_version(card, _set_weight("Tone and empathy", weight + 1))
    t = time.perf_counter()
    result = rescore_evaluations(scorecard=card, to_version=to, evaluation_ids=ids)
    s = time.perf_counter() - t
    moved = Evaluation.objects.filter(pk__in=ids[:1000], version=to).count()
    print(
        f"1. rescoring {len(ids):,} evaluations to v{to.number}: {s:.2f}s "
        f"(target < 10 s; {moved}/1000 sampled now on v{to.number}; returned {result!r:.80})"
    )


def step_team_overview(people, iterations=5):
    try:
        from caredesk.coaching.selectors import team_overview
    except ImportError:
        print("2. team overview: not available (caredesk.coaching.selectors.team_overview)")
        return
    from caredesk.workspaces.access import get_access

    access = get_access(people["head"], WS_SLUG)
    end = dt.datetime.now(dt.UTC)
    start = end - dt.timedelta(days=30)
    times = timed(lambda: team_overview(access, start=start, end=end), iterations)
    rows = team_overview(access, start=start, end=end)
    size = len(rows) if hasattr(rows, "__len__") else "?"
    print(
        f"2. team overview, {size} rows, 30 days, warm: median {statistics.median(times):.0f} ms"
        f" over {iterations} (target < 300 ms; all: {', '.join(f'{x:.0f}' for x in times)})"
    )


def step_plans(people):
    try:
        from caredesk.coaching.plans import plans_build
    except ImportError:
        print("3. coaching plans: not available (caredesk.coaching.plans.plans_build)")
        return
    from caredesk.coaching.models import CoachingPlan

    t = time.perf_counter()
    plans_build(people["workspace"])
    s = time.perf_counter() - t
    n = CoachingPlan.objects.filter(workspace=people["workspace"]).count()
    print(f"3. building {n} coaching plans: {s:.1f}s (target < 30 s)")


def readers(people):
    """(label, user, an agent they see) for each kind of reader."""
    agents = people["agents"]
    store = people["stores"][0]
    region = people["regions"][0]
    country = people["countries"][0]

    def manager_of(segment):
        return segment.managers.exclude(username="head.manager").first()

    return [
        ("admin (whole workspace)", people["admin"], agents[0]),
        ("head (both countries, 200 agents)", people["head"], agents[0]),
        ("country manager (100 agents)", manager_of(country), agents[0]),
        ("region manager (20 agents)", manager_of(region), agents[0]),
        ("store manager (5 agents)", manager_of(store), agents[0]),
        ("coach (20 agents)", people["coaches"][0], agents[0]),
        ("agent (own)", agents[0], agents[0]),
    ]


def step_reads(people, iterations, explain=False):
    from django.db.models import Avg, Count, F, Q, Sum

    from caredesk.quality.models import Answer
    from caredesk.quality.selectors import evaluations_visible
    from caredesk.workspaces.access import get_access

    now = dt.datetime.now(dt.UTC)
    d30, d90 = now - dt.timedelta(days=30), now - dt.timedelta(days=DAYS)
    print(
        f"4. evaluation reads ({iterations} runs after a warm-up; median / p95 ms; rows)",
        flush=True,
    )
    print(f"   {'reader':<36} {'query':<34} {'median':>8} {'p95':>8} {'rows':>7}")
    for label, user, agent in readers(people):
        access = get_access(user, WS_SLUG)
        visible = evaluations_visible(access)
        queries = {
            "list: 30 days, first 50": lambda v=visible: list(
                v.filter(occurred_at__gte=d30)
                .select_related("agent", "evaluator", "scorecard")
                .order_by("-occurred_at", "-id")[:50]
            ),
            "list: one agent failing, first 50": lambda v=visible, agent=agent: list(
                v.filter(agent=agent, passed=False).order_by("-occurred_at", "-id")[:50]
            ),
            "counts: 30 days (all / failing)": lambda v=visible: [
                v.filter(occurred_at__gte=d30).aggregate(
                    n=Count("id"), failing=Count("id", filter=Q(passed=False))
                )
            ],
            "team scores: per agent, 30 days": lambda v=visible: list(
                v.filter(occurred_at__gte=d30)
                .values("agent")
                .annotate(
                    n=Count("id"),
                    score=Avg("score"),
                    passed=Count("id", filter=Q(passed=True)),
                )
            ),
            "points lost per criterion, 90 d": lambda a=access, agent=agent: list(
                Answer.objects.visible_to(a)
                .filter(
                    evaluation__agent=agent,
                    evaluation__kind="regular",
                    evaluation__occurred_at__gte=d90,
                    fraction__isnull=False,
                    bonus=False,
                )
                .values("criterion")
                .annotate(
                    lost=Sum(F("weight") * (1 - F("fraction"))),
                    n=Count("id"),
                    failures=Count("id", filter=Q(failed=True)),
                )
            ),
        }
        for name, fn in queries.items():
            times = timed(fn, iterations)
            rows = len(fn())
            print(
                f"   {label:<36} {name:<34} {statistics.median(times):8.1f} "
                f"{p95(times):8.1f} {rows:7}",
                flush=True,
            )
            if explain:
                _explain(fn)


def _explain(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    for q in ctx.captured_queries[-1:]:
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            for (line,) in cur.fetchall():
                print("      " + line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--evaluations", type=int, default=1_000_000)
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--reuse", action="store_true", help="keep the data when it has N already")
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--rescore", type=int, default=100_000, help="evaluations to rescore")
    ap.add_argument("--skip", default="", help="comma-separated: rescore,overview,plans,reads")
    ap.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE every read")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    ensure_database(args.database_url, recreate=not args.reuse)
    configure(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrate: {time.perf_counter() - t:.1f}s")
    people = loaded(args.evaluations) if args.reuse else None
    if people is None:
        if args.reuse:
            print("--reuse: the database does not hold exactly that many; loading again")
            ensure_database(args.database_url, recreate=True)
            from django.db import connection

            connection.close()
            call_command("migrate", verbosity=0, interactive=False)
        people = load(args.evaluations)
    else:
        print(f"reusing {args.evaluations:,} evaluations")
    # The reads first: rescoring and plan building change the data they read.
    if "reads" not in skip:
        step_reads(people, args.iterations, explain=args.explain)
    if "overview" not in skip:
        step_team_overview(people)
    if "plans" not in skip:
        step_plans(people)
    if "rescore" not in skip:
        step_rescore(people, args.rescore)


if __name__ == "__main__":
    main()
