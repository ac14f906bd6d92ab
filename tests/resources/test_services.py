"""Versions, translations, restore, slugs and the audit, through the services."""

import pytest

from caredesk.audit.models import AuditEntry
from caredesk.core.errors import FieldErrors
from caredesk.resources import services
from caredesk.resources.models import Article, ArticleTranslation, ArticleVersion

from .helpers import article, writer


def _versions(translation):
    return [
        (v.number, v.title, v.body, v.author.username, v.restored_from, v.note)
        for v in translation.versions.order_by("number")
    ]


def test_each_edit_is_a_version_and_a_restore_copies_an_older_one(world):
    coach, manager = writer(world), writer(world, world.manager)
    a = article(world, note="first")
    t = a.translations.get()
    services.translation_save(
        access=manager, article=a, language="en", body="Open **My orders**.", note="renamed menu"
    )
    # Nothing changed: no version.
    services.translation_save(
        access=manager,
        article=a,
        language="en",
        title="How to return an order",
        body="Open **My orders**.",
    )
    v1 = t.versions.get(number=1)
    services.version_restore(access=coach, translation=t, version=v1.pk)
    t.refresh_from_db()
    assert (t.title, t.body, t.version) == ("How to return an order", "Open **Orders**.", 3)
    assert _versions(t) == [
        (1, "How to return an order", "Open **Orders**.", "coach", None, "first"),
        (2, "How to return an order", "Open **My orders**.", "manager", None, "renamed menu"),
        (3, "How to return an order", "Open **Orders**.", "coach", 1, "Restored version 1"),
    ]


def test_restoring_a_version_of_another_article_is_refused(world):
    a, b = article(world), article(world, title="Delivery times")
    tb = b.translations.get()
    with pytest.raises(FieldErrors) as e:
        services.version_restore(
            access=writer(world), translation=a.translations.get(), version=tb.versions.get().pk
        )
    assert list(e.value.errors) == ["version"]
    assert ArticleVersion.objects.count() == 2


def test_translations_in_four_languages_and_unicode_slugs(world):
    a = article(world, title="Returns")
    for lang, title in (("pt", "Devoluções"), ("it", "Resi"), ("bg", "Връщане на поръчка")):
        services.translation_save(
            access=writer(world), article=a, language=lang, title=title, body="x", new=True
        )
    slugs = dict(ArticleTranslation.objects.values_list("language", "slug"))
    assert slugs == {
        "en": "returns",
        "pt-br": "devoluções",
        "it": "resi",
        "bg": "връщане-на-поръчка",
    }
    with pytest.raises(FieldErrors) as e:
        services.translation_save(access=writer(world), article=a, language="fr", title="Retours")
    assert list(e.value.errors) == ["language"]
    with pytest.raises(FieldErrors) as e:
        services.translation_save(
            access=writer(world), article=a, language="it", title="Resi 2", new=True
        )
    assert list(e.value.errors) == ["language"]
    assert a.translations.count() == 4


def test_slug_is_unique_and_stable_unless_asked(world):
    a = article(world, title="Returns")
    b = article(world, title="Returns")
    ta, tb = a.translations.get(), b.translations.get()
    assert (ta.slug, tb.slug) == ("returns", "returns-2")
    services.translation_save(access=writer(world), article=b, language="en", title="Refunds")
    tb.refresh_from_db()
    assert tb.slug == "returns-2"
    services.translation_save(access=writer(world), article=b, language="en", renew_slug=True)
    tb.refresh_from_db()
    assert tb.slug == "refunds"


def test_status_audience_and_category_changes_are_audited(world):
    w = writer(world)
    cat = services.category_create(access=w, name="Orders")
    a = article(world)
    services.article_update(
        access=w,
        article=a,
        status="published",
        audience="public",
        category=cat.pk,
        tags=["returns"],
    )
    a.refresh_from_db()
    assert a.published_at is not None
    rows = list(
        AuditEntry.objects.filter(
            object_type="article", object_id=a.pk, action="updated"
        ).values_list("field", "old_value", "new_value")
    )
    assert sorted(rows) == [
        ("audience", "internal", "public"),
        ("category", "", "Orders"),
        ("status", "draft", "published"),
        ("tags", "", "returns"),
    ]


def test_bad_input_changes_nothing(world):
    w = writer(world)
    other_cat = services.category_create(
        access=writer(world, world.admin, world.sales), name="Sales"
    )
    for kw, field in (
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "language": "fr"}, "language"),
        ({"title": "ok", "category": 999999}, "category"),
        ({"title": "ok", "category": other_cat.pk}, "category"),
        ({"title": "ok", "status": "live"}, "status"),
        ({"title": "ok", "audience": "everyone"}, "audience"),
    ):
        with pytest.raises(FieldErrors) as e:
            services.article_create(access=w, **kw)
        assert list(e.value.errors) == [field]
    assert Article.objects.count() == 0
