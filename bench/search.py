#!/usr/bin/env python
"""Full-text search benchmark on PostgreSQL: a generated corpus of tickets and activities
(emails, call transcripts, chats, web forms) in four languages, indexed by the triggers as it
is loaded, then the search (count + one page of hits with snippets) timed for an admin and for
a country manager, with the bare SQL of the same match for comparison.

    .venv/bin/python bench/search.py [--documents 200000] [--reuse] [--runs 30]
        [--database-url postgres://postgres@127.0.0.1:5432/caredesk_search_bench]

Prints p50/p95 in milliseconds per query. Without --reuse the database is re-created.
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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/caredesk_search_bench"

# Common words, with the weights of a small natural vocabulary; plus rare ones below.
WORDS = {
    "en": "the customer order delivery refund broken screen please thanks help account payment "
    "card late package return week still waiting call again manager invoice store app error",
    "pt": "não pedido entrega reembolso cliente obrigado ajuda conta pagamento cartão atraso "
    "encomenda devolução semana ainda esperando ligação gerente fatura loja aplicativo erro",
    "it": "ordine consegna rimborso cliente grazie aiuto conto pagamento carta ritardo pacco "
    "reso settimana ancora aspetto chiamata responsabile fattura negozio applicazione errore",
    "bg": "поръчка доставка възстановяване клиент благодаря помощ сметка плащане карта "
    "закъснение пратка връщане седмица още чакам обаждане управител фактура магазин грешка",
}
RARE = ["blender", "açaí", "zebracorn", "dishwasher", "перална", "lavastoviglie"]


def configure(db_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "caredesk.settings"
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("CAREDESK_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.pop("DEBUG", None)


def ensure_database(db_url: str, *, recreate: bool) -> bool:
    import psycopg

    u = urlparse(db_url)
    name = u.path.lstrip("/")
    with psycopg.connect(u._replace(path="/postgres").geturl(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def text(rng: random.Random, n: int) -> str:
    lang = rng.choice(list(WORDS))
    vocab = WORDS[lang].split()
    # Filler words make every text distinct and the vocabulary large (~50k terms).
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.55:
            out.append(vocab[min(int(rng.paretovariate(1.2)) - 1, len(vocab) - 1)])
        elif r < 0.999:
            out.append(f"w{lang}{int(rng.paretovariate(0.9)) % 50000}")
        else:
            out.append(rng.choice(RARE))
    return " ".join(out)


def load(total: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from caredesk.care.models import Case
    from caredesk.journey.models import Activity
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.models import Workspace
    from caredesk.workspaces.permissions import UserKind

    rng = random.Random(14)
    org = ws.organization_create(name="Bench", slug="bench")
    workspace = ws.workspace_create(organization=org, slug="support", name="Support")
    countries = []
    for c in ("Portugal", "Italy", "Bulgaria", "Spain", "France"):
        country = ws.segment_create(organization=org, name=c)
        stores = [
            ws.segment_create(organization=org, name=f"{c} {i}", parent=country) for i in range(8)
        ]
        countries.append((country, stores))
    admin = ws.user_create(organization=org, username="admin", password="pw-12345678")
    ws.membership_set(workspace=workspace, user=admin, kind=UserKind.CX_ADMIN)
    manager = ws.user_create(organization=org, username="italy", password="pw-12345678")
    ws.membership_set(workspace=workspace, user=manager, kind=UserKind.MANAGER)
    ws.segment_set_managers(segment=countries[1][0], managers=[manager])
    now = timezone.now()
    n_cases = total // 4
    t = time.perf_counter()
    batch = []
    for i in range(n_cases):
        seg = rng.choice(rng.choice(countries)[1])
        at = now - dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        batch.append(
            Case(
                workspace=workspace,
                number=i + 1,
                title=text(rng, rng.randint(3, 8)),
                customer_comment=text(rng, rng.randint(5, 60)),
                segment=seg,
                source_segment=seg,
                segment_path=seg.path,
                reported_at=at,
                last_activity_at=at,
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
            print(f"\rcases {i + 1}/{n_cases}", end="", flush=True)
    Case.objects.bulk_create(batch)
    Workspace.objects.filter(pk=workspace.pk).update(next_case_number=n_cases + 1)
    case_ids = list(Case.objects.filter(workspace=workspace).values_list("id", flat=True))
    print(f"\rcases {n_cases}: {time.perf_counter() - t:.1f}s")
    t = time.perf_counter()
    n_acts = total - n_cases
    batch = []
    for i in range(n_acts):
        kind = rng.choice(["email", "call", "chat", "web_form", "email", "call"])
        at = now - dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        batch.append(
            Activity(
                workspace=workspace,
                media_type=kind,
                case_id=rng.choice(case_ids) if rng.random() < 0.7 else None,
                subject=text(rng, 4) if kind == "email" else "",
                body=text(rng, rng.randint(20, 250)),
                occurred_at=at,
            )
        )
        if len(batch) == 5000:
            Activity.objects.bulk_create(batch)
            batch = []
            print(f"\ractivities {i + 1}/{n_acts}", end="", flush=True)
    Activity.objects.bulk_create(batch)
    print(f"\ractivities {n_acts}: {time.perf_counter() - t:.1f}s (indexed by the triggers)")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE search_searchdocument")


QUERIES = [
    ("rare word", "blender"),
    ("common word", "refund"),
    ("two words", "refund card"),
    ("phrase", '"still waiting"'),
    ("prefix", "reemb"),
    ("accent-folded", "acai"),
    ("cyrillic", "благодаря поръчка"),
]


def measure(runs: int) -> None:
    from django.db import connection

    from caredesk.search.selectors import parse_search, search
    from caredesk.workspaces.access import get_access
    from caredesk.workspaces.models import User

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('search_searchdocument'))"
            " FROM search_searchdocument"
        )
        n, size = cur.fetchone()
        cur.execute("SELECT pg_size_pretty(pg_relation_size('search_doc_tsv'))")
        gin = cur.fetchone()[0]
    print(f"{n} documents, table {size}, GIN index {gin}")
    print(f"{'who':8} {'query':16} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8} {'bare count p50':>15}")
    for who in ("admin", "italy"):
        access = get_access(User.objects.get(username=who), "support", require="use_care")
        for label, q in QUERIES:
            for extra in ({}, {"page": "5"}) if label == "common word" else ({},):
                query, filters, page = parse_search({"q": q, **extra}, access)
                times = []
                for _ in range(runs + 2):
                    t = time.perf_counter()
                    result = search(access, query, filters, page)
                    times.append((time.perf_counter() - t) * 1000)
                times = sorted(times[2:])
                bare = []
                with connection.cursor() as cur:
                    for _ in range(5):
                        t = time.perf_counter()
                        cur.execute(
                            "SELECT count(*) FROM search_searchdocument WHERE workspace_id = %s"
                            " AND tsv @@ to_tsquery('simple', %s)",
                            [access.workspace.pk, query.tsquery()],
                        )
                        cur.fetchone()
                        bare.append((time.perf_counter() - t) * 1000)
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                name = label + (" p5" if extra else "")
                print(
                    f"{who:8} {name:16} {result.total:>7} {statistics.median(times):>8.1f}"
                    f" {p95:>8.1f} {statistics.median(bare):>15.1f}"
                )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--documents", type=int, default=200_000)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--reuse", action="store_true")
    p.add_argument("--database-url", default=DEFAULT_URL)
    a = p.parse_args()
    created = ensure_database(a.database_url, recreate=not a.reuse)
    configure(a.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if created:
        load(a.documents)
    measure(a.runs)


if __name__ == "__main__":
    main()
