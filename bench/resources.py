#!/usr/bin/env python
"""Knowledge article search benchmark (caredesk.resources.search.article_search) on
PostgreSQL and on SQLite: 10,000 articles generated from word lists in en/pt-br/it/bg (a
third of them translated into the other three languages), loaded through bulk_create (the
index's triggers see them), then one/two-word queries, prefixes, phrases and typos timed as
the resource center's search runs them (count + page of 20 + snippets).

    .venv/bin/python bench/resources.py [--articles 10000] [--runs 20] [--db both|postgresql|sqlite]
        [--database-url postgres://postgres@127.0.0.1:5432/caredesk_bench_res]

Prints p50/p95 in milliseconds per kind of query and overall, and the number of SQL
statements per search. The PostgreSQL database is re-created; SQLite uses a temporary file.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/caredesk_bench_res"

# Title words (what an article is about) and body words, per language.
TOPICS = {
    "en": "refund order delivery address password account payment invoice return exchange "
    "shipping tracking parcel courier warranty repair subscription cancellation voucher "
    "discount card login email phone store pickup stock size damaged missing late coupon "
    "gift receipt billing transfer verification profile notification privacy loyalty points",
    "pt-br": "reembolso pedido entrega endereço senha conta pagamento fatura devolução troca "
    "frete rastreamento encomenda transportadora garantia conserto assinatura cancelamento "
    "cupom desconto cartão login email telefone loja retirada estoque tamanho danificado "
    "atrasado presente recibo cobrança transferência verificação perfil notificação pontos",
    "it": "rimborso ordine consegna indirizzo password account pagamento fattura reso cambio "
    "spedizione tracciamento pacco corriere garanzia riparazione abbonamento cancellazione "
    "buono sconto carta accesso email telefono negozio ritiro magazzino taglia danneggiato "
    "ritardo regalo ricevuta addebito bonifico verifica profilo notifica punti fedeltà",
    "bg": "възстановяване поръчка доставка адрес парола профил плащане фактура връщане замяна "
    "пратка проследяване куриер гаранция ремонт абонамент анулиране ваучер отстъпка карта "
    "вход имейл телефон магазин получаване наличност размер повреден липсващ закъснение "
    "подарък касова бележка таксуване превод потвърждение известие поверителност точки",
}
HEADS = {
    "en": ["How to", "What to do when", "Why", "When", "Checking", "Changing", "Fixing"],
    "pt-br": ["Como", "O que fazer quando", "Por que", "Quando", "Verificar", "Alterar"],
    "it": ["Come", "Cosa fare quando", "Perché", "Quando", "Verificare", "Modificare"],
    "bg": ["Как да", "Какво да направим, когато", "Защо", "Кога", "Проверка на", "Промяна на"],
}
FILLER = {
    "en": "the customer can a an in on for with within days after before ask agent please "
    "check confirm send our team usually business hours open the app website select then "
    "click button page number copy form policy rules new old first last working free",
    "pt-br": "o a cliente pode um uma em no na para com dentro dias depois antes peça agente "
    "por favor confira confirme envie nossa equipe geralmente horário comercial abra "
    "aplicativo site selecione depois clique botão página número cópia formulário regras",
    "it": "il la cliente può un una in nel per con entro giorni dopo prima chieda operatore "
    "per favore controlli confermi invii nostro team di solito orari lavorativi apra app "
    "sito selezioni poi clicchi pulsante pagina numero copia modulo regole nuovo vecchio",
    "bg": "клиентът може един една в на за с до дни след преди попитайте агент моля "
    "проверете потвърдете изпратете нашият екип обикновено работно време отворете "
    "приложението сайта изберете после натиснете бутона страница номер копие формуляр",
}
LANGS = list(TOPICS)
QUERIES = {
    "one word": [
        "refund",
        "delivery",
        "password",
        "invoice",
        "reembolso",
        "consegna",
        "доставка",
        "warranty",
        "courier",
        "пратка",
    ],
    "two words": [
        "refund card",
        "delivery address",
        "password login",
        "order late",
        "pagamento cartão",
        "rimborso ordine",
        "поръчка доставка",
        "gift voucher",
        "return parcel",
        "account email",
    ],
    "prefix": [
        "refu",
        "deliv",
        "passw",
        "subscri",
        "reembol",
        "spediz",
        "достав",
        "garan",
        "cancel",
        "notif",
    ],
    "phrase": [
        '"the customer"',
        '"business hours"',
        '"моля проверете"',
        '"nostro team"',
        '"our team"',
        '"horário comercial"',
        '"work hours"',
        '"open the app"',
        '"di solito"',
        '"нашият екип"',
    ],
    "typo": [
        "refnd",
        "delivry",
        "pasword",
        "invioce",
        "reembloso",
        "consgena",
        "доствка",
        "warrenty",
        "curier",
        "subscripton",
    ],
    "typo two words": [
        "refnd card",
        "delivry adress",
        "pasword logn",
        "trackng parcel",
        "rimborzo ordine",
        "поръка доствка",
        "gift vouchr",
        "retrun parcel",
        "acount email",
        "invoce billing",
    ],
}


def configure(db: str, url: str, var_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "caredesk.settings"
    os.environ["SECRET_KEY"] = "bench-only-not-a-secret"
    os.environ["CAREDESK_VAR_DIR"] = var_dir
    os.environ.pop("DEBUG", None)
    if db == "postgresql":
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)


def recreate(url: str) -> None:
    import psycopg

    u = urlparse(url)
    name = u.path.lstrip("/")
    with psycopg.connect(u._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def words(rng, lang, n, topic_share=0.3):
    topics, filler = TOPICS[lang].split(), FILLER[lang].split()
    return [
        rng.choice(topics) if rng.random() < topic_share else rng.choice(filler) for _ in range(n)
    ]


def title(rng, lang):
    return (
        f"{rng.choice(HEADS[lang])} {' '.join(rng.sample(TOPICS[lang].split(), rng.randint(2, 3)))}"
    )


def body(rng, lang):
    paragraphs = []
    for _ in range(rng.randint(2, 5)):
        sentence = [
            " ".join(words(rng, lang, rng.randint(8, 18))).capitalize() + "."
            for _ in range(rng.randint(2, 4))
        ]
        paragraphs.append(" ".join(sentence))
    if rng.random() < 0.3:
        image = f"https://example.com/i/{rng.randint(1, 999)}.png"
        paragraphs.append(f"![{rng.choice(TOPICS[lang].split())}]({image})")
    return "\n\n".join(paragraphs)


def load(n: int) -> int:
    from caredesk.resources.models import Article, ArticleTranslation, Category
    from caredesk.workspaces import services as ws

    rng = random.Random(15)
    org = ws.organization_create(name="Bench", slug="bench")
    workspace = ws.workspace_create(organization=org, slug="support", name="Support")
    roots = [
        Category.objects.create(workspace=workspace, name=n)
        for n in ("Orders", "Refunds", "Deliveries", "Accounts")
    ]
    cats = roots + [
        Category.objects.create(workspace=workspace, name=f"{r.name} {i}", parent=r)
        for r in roots
        for i in range(3)
    ]
    statuses = ["published"] * 8 + ["draft", "archived"]
    made = 0
    for start in range(0, n, 1000):
        arts = Article.objects.bulk_create(
            [
                Article(
                    workspace=workspace,
                    language=rng.choice(LANGS),
                    status=rng.choice(statuses),
                    audience=rng.choice(["internal", "public"]),
                    category=rng.choice(cats),
                )
                for _ in range(min(1000, n - start))
            ]
        )
        rows = []
        for a in arts:
            langs = LANGS if rng.random() < 0.33 else [a.language]
            rows += [
                ArticleTranslation(
                    article=a,
                    workspace=workspace,
                    language=lang,
                    title=title(rng, lang),
                    body=body(rng, lang),
                    slug=f"a{a.pk}-{lang}",
                )
                for lang in langs
            ]
        ArticleTranslation.objects.bulk_create(rows)
        made += len(rows)
    return workspace.pk


def measure(ws_id: int, runs: int) -> None:
    from django.db import connection

    from caredesk.resources.search import search_articles
    from caredesk.search.query import parse_query

    statements = []

    def count(execute, sql, params, many, context):
        statements[-1] += 1
        return execute(sql, params, many, context)

    def once(q, **kw):
        statements.append(0)
        with connection.execute_wrapper(count):
            t = time.perf_counter()
            r = search_articles(
                workspace_id=ws_id, query=parse_query(q), public=kw.pop("public", False), **kw
            )
            return (time.perf_counter() - t) * 1000, r

    every = []
    print(f"{'queries':<16} {'hits (median)':>13} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, qs in QUERIES.items():
        for q in qs:
            once(q)  # warm-up
        times, totals = [], []
        for _ in range(runs):
            for q in qs:
                ms, r = once(q)
                times.append(ms)
                totals.append(r.total)
        every += times
        hits = statistics.median(totals)
        print(f"{kind:<16} {hits:>13,.0f} {pct(times, 50):>8.1f} {pct(times, 95):>8.1f}")
    print(f"{'all':<16} {'':>13} {pct(every, 50):>8.1f} {pct(every, 95):>8.1f}")
    typical = statistics.median(statements)
    print(f"SQL statements per search: max {max(statements)}, typical {typical:.0f}")
    for label, kw in (
        ("public, pt-br", {"public": True, "language": "pt-br"}),
        ("writer (drafts)", {"include_drafts": True}),
    ):
        times = [once(q, **dict(kw))[0] for _ in range(runs) for q in QUERIES["one word"]]
        print(f"{label:<16} {'':>13} {pct(times, 50):>8.1f} {pct(times, 95):>8.1f}")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run_one(db: str, args) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        if db == "postgresql":
            recreate(args.database_url)
        configure(db, args.database_url, var_dir)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0, interactive=False)
        t = time.perf_counter()
        ws_id = load(args.articles)
        if db == "postgresql":
            with connection.cursor() as c:
                c.execute("ANALYZE")
        from caredesk.resources.models import ArticleTranslation

        n = ArticleTranslation.objects.count()
        print(
            f"== {db}: {args.articles:,} articles, {n:,} translations, loaded and indexed in"
            f" {time.perf_counter() - t:.1f} s"
        )
        measure(ws_id, args.runs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--articles", type=int, default=10000)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--db", choices=["both", "postgresql", "sqlite"], default="both")
    p.add_argument("--database-url", default=os.environ.get("BENCH_RES_DATABASE_URL", DEFAULT_URL))
    args = p.parse_args()
    if args.db == "both":
        # One process per database: Django's settings are read once.
        for db in ("postgresql", "sqlite"):
            subprocess.run([sys.executable, __file__, *sys.argv[1:], "--db", db], check=True)
        return
    run_one(args.db, args)


if __name__ == "__main__":
    main()
