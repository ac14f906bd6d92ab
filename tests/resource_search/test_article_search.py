"""article_search: what matches, in which order, for whom; the index follows every write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caredesk.resources.models import Article, ArticleTranslation
from caredesk.resources.search import article_search, search_articles
from caredesk.search.query import parse_query

pytestmark = pytest.mark.django_db


def titles(ws, q, **kw):
    kw.setdefault("public", False)
    return [h.title for h in article_search(workspace_id=ws.pk, query=q, **kw)]


def test_title_matches_rank_first(world, make_article):
    ws = world.support
    make_article(ws, "Delivery times", "When we pay a refund after the return.")
    make_article(ws, "Refund policy", "What we pay back.")
    make_article(ws, "Changing an address", "Before the parcel ships; no refund needed.")
    make_article(ws, "Refund to a gift card", "Store credit.")
    found = titles(ws, "refund")
    # Title matches first, then body matches.
    assert sorted(found[:2]) == ["Refund policy", "Refund to a gift card"]
    assert sorted(found[2:]) == ["Changing an address", "Delivery times"]
    hits = article_search(workspace_id=ws.pk, query="refund", public=False)
    assert [h.score >= 1 for h in hits] == [True, True, False, False]


def test_every_word_must_match_and_the_last_is_a_prefix(world, make_article):
    ws = world.support
    make_article(ws, "Refund policy", "Money back within 30 days.")
    make_article(ws, "Refunds for gift cards", "Store credit only.")
    make_article(ws, "Gift wrapping", "Paper and ribbon.")
    assert sorted(titles(ws, "refun")) == ["Refund policy", "Refunds for gift cards"]
    assert titles(ws, "gift refun") == ["Refunds for gift cards"]
    # A quoted word is whole: "refund" is not "refunds".
    assert titles(ws, '"refund"') == ["Refund policy"]
    assert titles(ws, "r") == []


def test_quoted_phrases(world, make_article):
    ws = world.support
    make_article(ws, "Returns", "Send the parcel back with the label.")
    make_article(ws, "Labels", "The back of the parcel has a label.")
    assert titles(ws, '"parcel back"') == ["Returns"]
    assert sorted(titles(ws, "parcel back")) == ["Labels", "Returns"]


def test_accents_are_folded_and_cyrillic_kept(world, make_article):
    ws = world.support
    make_article(
        ws, "Reembolso rápido", "O cliente recebe o reembolso em até três dias.", language="pt-br"
    )
    make_article(ws, "Spedizione", "La consegna è gratuita; perché il corriere…", language="it")
    make_article(ws, "Доставка до адрес", "Куриерът звъни преди доставката.", language="bg")
    assert titles(ws, "rapido") == ["Reembolso rápido"]
    assert titles(ws, "tres") == ["Reembolso rápido"]
    assert titles(ws, "perche") == ["Spedizione"]
    assert titles(ws, "perchè") == ["Spedizione"]
    assert titles(ws, "ДОСТАВКА") == ["Доставка до адрес"]
    assert titles(ws, "достав") == ["Доставка до адрес"]
    (hit,) = article_search(workspace_id=ws.pk, query="куриер", public=False)
    assert hit.snippet_html == "<mark>Куриерът</mark> звъни преди доставката."
    assert hit.language == "bg"


def test_typos_find_the_closest_words(world, make_article):
    ws = world.support
    make_article(ws, "Refund policy", "Money back within 30 days.")
    make_article(ws, "Delivery times", "Parcels arrive in two days.")
    make_article(ws, "Доставка до адрес", "Куриерът звъни.", language="bg")
    assert titles(ws, "refnd") == ["Refund policy"]
    assert titles(ws, "delivry") == ["Delivery times"]
    assert titles(ws, "policy refnud") == ["Refund policy"]
    assert titles(ws, "доствка") == ["Доставка до адрес"]
    result = search_articles(workspace_id=ws.pk, query=parse_query("refnd"), public=False)
    assert result.total == 1 and result.corrected == ("refund",)
    assert result.hits[0].title_html == "<mark>Refund</mark> policy"
    # Nothing close: nothing.
    assert titles(ws, "zzyzx") == []
    # An exact match wins over close words: no fallback then.
    make_article(ws, "Refnd is a typo", "")
    assert titles(ws, "refnd") == ["Refnd is a typo"]


def test_one_query_per_search(world, make_article):
    ws = world.support
    make_article(ws, "Refund policy", "Money back.")
    with CaptureQueriesContext(connection) as ctx:
        result = search_articles(workspace_id=ws.pk, query=parse_query("refund"), public=False)
    assert result.total == 1
    assert len(ctx) == 1
    if connection.vendor == "postgresql":
        # The typo fallback is in the same statement there.
        with CaptureQueriesContext(connection) as ctx:
            result = search_articles(workspace_id=ws.pk, query=parse_query("refnd"), public=False)
        assert result.total == 1 and len(ctx) == 1


def test_public_never_returns_internal_or_drafts(world, make_article):
    ws = world.support
    make_article(ws, "Refund public", audience="public")
    make_article(ws, "Refund internal", audience="internal")
    make_article(ws, "Refund public draft", audience="public", status="draft")
    make_article(ws, "Refund public archived", audience="public", status="archived")
    assert titles(ws, "refund", public=True) == ["Refund public"]
    # Even when a caller asks for drafts too.
    assert titles(ws, "refund", public=True, include_drafts=True) == ["Refund public"]
    assert sorted(titles(ws, "refund")) == ["Refund internal", "Refund public"]
    assert sorted(titles(ws, "refund", include_drafts=True)) == [
        "Refund internal",
        "Refund public",
        "Refund public archived",
        "Refund public draft",
    ]
    # The typo fallback follows the same rule.
    assert titles(ws, "refnd", public=True) == ["Refund public"]


def test_language_category_and_workspace_filters(world, make_article, category):
    ws = world.support
    orders = category(ws, "Orders")
    returns = category(ws, "Returns", parent=orders)
    other = category(ws, "Accounts")
    make_article(
        ws,
        "Refund policy",
        category=returns,
        translations=[("pt-br", "Política de reembolso refund", ""), ("bg", "Refund връщане", "")],
    )
    make_article(ws, "Refund to an account", category=other)
    make_article(world.sales, "Refund in sales", "")
    assert titles(ws, "refund", language="bg") == ["Refund връщане"]
    assert len(titles(ws, "refund")) == 4
    # A category and those under it.
    assert len(titles(ws, "refund", category_id=orders.pk)) == 3
    assert titles(ws, "refund", category_id=other.pk) == ["Refund to an account"]
    assert titles(world.sales, "refund") == ["Refund in sales"]


def test_empty_or_unsearchable_queries_find_nothing(world, make_article):
    ws = world.support
    make_article(ws, "Refund policy", "")
    for q in ["", "   ", "!!!", '"', "x" * 300, " ".join(f"refund{i}" for i in range(17))]:
        assert titles(ws, q) == [], q


def test_index_follows_updates_and_deletes(world, make_article):
    ws = world.support
    a = make_article(ws, "Refund policy", "Money back.")
    t = a.translations.get()
    t.title = "Exchange policy"
    t.save()
    assert titles(ws, "refund") == []
    assert titles(ws, "exchange") == ["Exchange policy"]
    # A queryset update, which no signal sees.
    ArticleTranslation.objects.filter(pk=t.pk).update(body="Swap the size for free.")
    assert titles(ws, "swap") == ["Exchange policy"]
    assert titles(ws, "money") == []
    # The article's status is read at search time.
    Article.objects.filter(pk=a.pk).update(status="draft")
    assert titles(ws, "swap") == []
    # bulk_create.
    b = Article.objects.create(workspace=ws, language="en", status="published")
    ArticleTranslation.objects.bulk_create(
        [
            ArticleTranslation(article=b, workspace=ws, language="en", title="Bulk one", slug="b1"),
            ArticleTranslation(article=b, workspace=ws, language="it", title="Bulk due", slug="b2"),
        ]
    )
    assert sorted(titles(ws, "bulk")) == ["Bulk due", "Bulk one"]
    # The typo fallback knows the words written by an update and by bulk_create.
    assert titles(ws, "bulj") == ["Bulk due", "Bulk one"] or sorted(titles(ws, "bulj")) == [
        "Bulk due",
        "Bulk one",
    ]
    ArticleTranslation.objects.filter(article=b).delete()
    assert titles(ws, "bulk") == []
    Article.objects.filter(pk=a.pk).update(status="published")
    a.delete()
    assert titles(ws, "swap") == []


def test_highlighting_is_escaped(world, make_article):
    ws = world.support
    make_article(
        ws, "<script>alert(1)</script> refund", "Refund & <img src=x onerror=alert(1)> rules"
    )
    (hit,) = article_search(workspace_id=ws.pk, query="refund", public=False)
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>refund</mark>"
    assert "<script>" not in hit.snippet_html and "<img" not in hit.snippet_html
    assert hit.snippet_html.startswith("<mark>Refund</mark> &amp;")


def test_pagination_and_total(world, make_article):
    ws = world.support
    for i in range(25):
        make_article(ws, f"Refund case {i}", "")
    q = parse_query("refund")
    first = search_articles(workspace_id=ws.pk, query=q, public=False, limit=20)
    second = search_articles(workspace_id=ws.pk, query=q, public=False, limit=20, offset=20)
    beyond = search_articles(workspace_id=ws.pk, query=q, public=False, limit=20, offset=40)
    assert (first.total, len(first.hits)) == (25, 20)
    assert (second.total, len(second.hits)) == (25, 5)
    assert (beyond.total, beyond.hits) == (25, [])
    ids = [h.translation_id for h in first.hits + second.hits]
    assert len(set(ids)) == 25


def test_equal_matches_newest_first(world, make_article):
    ws = world.support
    old = make_article(ws, "Refund policy", "")
    make_article(ws, "Refund policy", "")
    ArticleTranslation.objects.filter(article=old).update(updated_at=timezone.now())
    hits = article_search(workspace_id=ws.pk, query="refund policy", public=False)
    assert hits[0].article_id == old.pk
