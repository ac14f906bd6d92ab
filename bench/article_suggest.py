#!/usr/bin/env python
"""The desk's article suggestions, timed per customer message at 10,000 articles.

Loads a workspace with the 15 articles of tests/article_desk/relevance.json (in their
languages) and --articles generated ones (four languages, a contact-center vocabulary), then,
for each of the labelled set's 20 customer messages, a chat where the customer wrote it, and
times `caredesk.resources.suggest.suggest` (query building, one search per keyword and topic,
merging) --runs times per message. Prints p50/p95 in milliseconds, and the relevance (the
expected article in the top 3) at that size.

    .venv/bin/python bench/article_suggest.py [--articles 10000] [--runs 5] [--reuse]
        [--database-url postgres://postgres@127.0.0.1:5432/caredesk_article_bench]

Without --database-url: a SQLite file under var/bench. Without --reuse the database is
re-created. The search is whatever caredesk.resources.search.article_search is on the branch
(the core's substring match, or the search part's full-text index).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATA = json.loads((ROOT / "tests/article_desk/relevance.json").read_text())
WORDS = {
    "en": "customer order delivery refund broken screen account payment card late package "
    "return week store app error invoice warranty size exchange address courier label shop",
    "pt-br": "pedido entrega reembolso cliente conta pagamento cartão atraso encomenda devolução "
    "semana loja aplicativo erro nota garantia tamanho troca endereço etiqueta",
    "it": "ordine consegna rimborso cliente conto pagamento carta ritardo pacco reso settimana "
    "negozio applicazione errore fattura garanzia taglia cambio indirizzo etichetta",
    "bg": "поръчка доставка възстановяване клиент сметка плащане карта закъснение пратка "
    "връщане седмица магазин грешка фактура гаранция размер замяна адрес етикет",
}


def configure(db_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "caredesk.settings"
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("CAREDESK_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.pop("DEBUG", None)


def ensure_database(db_url: str, *, recreate: bool) -> None:
    u = urlparse(db_url)
    if u.scheme.startswith("sqlite"):
        path = Path(u.path)
        if recreate and path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = u.path.lstrip("/")
    with psycopg.connect(u._replace(path="/postgres").geturl(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load(n: int):
    from django.db import transaction

    from caredesk.resources.models import Article, ArticleTranslation
    from caredesk.workspaces import services as ws

    org = ws.organization_create(name="Bench", slug="bench")
    workspace = ws.workspace_create(organization=org, slug="support", name="Support")
    rng = random.Random(15)
    keys = {}
    with transaction.atomic():
        for key, spec in DATA["articles"].items():
            first = next(iter(spec["t"]))
            a = Article.objects.create(
                workspace=workspace, audience=spec["audience"], status="published", language=first
            )
            keys[a.pk] = key
            for lang, (title, body) in spec["t"].items():
                ArticleTranslation.objects.create(
                    article=a,
                    workspace=workspace,
                    language=lang,
                    title=title,
                    body=body,
                    slug=f"{key}-{lang}",
                )
        languages = list(WORDS)
        batch = 1000
        for start in range(0, n - len(keys), batch):
            size = min(batch, n - len(keys) - start)
            articles = Article.objects.bulk_create(
                Article(
                    workspace=workspace,
                    audience=rng.choice(["public", "internal"]),
                    status=rng.choice(["published"] * 8 + ["draft", "archived"]),
                    language=rng.choice(languages),
                )
                for _ in range(size)
            )
            rows = []
            for a in articles:
                vocab = WORDS[a.language].split()
                title = " ".join(rng.choices(vocab, k=rng.randint(3, 6))).capitalize()
                body = " ".join(rng.choices(vocab, k=rng.randint(60, 140))) + "."
                rows.append(
                    ArticleTranslation(
                        article=a,
                        workspace=workspace,
                        language=a.language,
                        title=title,
                        body=body,
                        slug=f"gen-{a.pk}",
                    )
                )
            ArticleTranslation.objects.bulk_create(rows)
    return workspace, keys


def chats(workspace):
    from caredesk.journey.services import conversation_activity
    from caredesk.routing.models import Conversation, Message, Queue

    queue = Queue.objects.create(workspace=workspace, name="Orders", is_default=True)
    out = []
    for i, case in enumerate(DATA["cases"]):
        c = Conversation.objects.create(
            workspace=workspace, queue=queue, status="active", language=case["language"]
        )
        for j, body in enumerate(case["messages"]):
            Message.objects.create(
                conversation=c, sender="customer", client_id=f"{i}-{j}", body=body
            )
        conversation_activity(c)
        out.append((c, case["expected"]))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench' / 'article_suggest.db'}"
    )
    args = parser.parse_args()
    configure(args.database_url)
    ensure_database(args.database_url, recreate=not args.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from caredesk.resources.models import Article
    from caredesk.resources.suggest import suggest
    from caredesk.workspaces.models import Workspace

    call_command("migrate", verbosity=0)
    if args.reuse and Workspace.objects.filter(slug="support").exists():
        workspace = Workspace.objects.get(slug="support")
        keys = {
            a.pk: t.slug.rsplit("-", 1)[0]
            for a in Article.objects.filter(workspace=workspace)
            for t in a.translations.all()[:1]
            if not t.slug.startswith("gen-")
        }
    else:
        t0 = time.perf_counter()
        workspace, keys = load(args.articles)
        print(f"loaded {args.articles} articles in {time.perf_counter() - t0:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    conversations = chats(workspace)
    for c, _ in conversations:  # warm caches (lemmas, stop-words, the taxonomy)
        suggest(c)
    times, hits = [], 0
    for c, expected in conversations:
        for _ in range(args.runs):
            t0 = time.perf_counter()
            _query, found = suggest(c, top=3)
            times.append((time.perf_counter() - t0) * 1000)
        hits += expected in [keys.get(s.article_id) for s in found]
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(
        f"{connection.vendor}, {Article.objects.filter(workspace=workspace).count()} articles, "
        f"{len(conversations)} messages × {args.runs}: suggestion p50 "
        f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms; "
        f"relevance {hits}/{len(conversations)} in the top 3"
    )


if __name__ == "__main__":
    main()
