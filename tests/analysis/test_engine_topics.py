"""The taxonomy matcher: lemmatised, accent-insensitive, on word boundaries, per language,
hierarchical (a child's hit counts for its ancestors), inactive branches skipped; with the
workspace's real Topic rows."""

import pytest

from caredesk.analysis.engine import Taxonomy, Unit, analyse
from caredesk.analysis.models import Topic
from caredesk.analysis.starter import starter_topics


@pytest.fixture
def topics(world):
    billing = Topic.objects.create(
        workspace=world.support,
        name="Billing",
        phrases={"en": ["invoice"], "pt": ["fatura"], "it": ["fattura"], "bg": ["фактура"]},
    )
    refund = Topic.objects.create(
        workspace=world.support,
        name="Refund",
        parent=billing,
        phrases={
            "en": ["refund", "charged twice"],
            "pt-br": ["reembolso", "cobrado duas vezes"],
            "it": ["rimborso"],
            "bg": ["възстановяване на сума"],
        },
    )
    cancel = Topic.objects.create(
        workspace=world.support,
        name="Cancellation",
        phrases={"en": ["close my account"], "pt": ["cancelar assinatura"]},
    )
    brand = Topic.objects.create(workspace=world.support, name="Brand", phrases={"*": ["Acme"]})
    return {"billing": billing, "refund": refund, "cancel": cancel, "brand": brand}


def found(result):
    return {topic_id: evidence for topic_id, evidence in result.topics}


def test_a_phrase_matches_inflected_and_unaccented_forms(topics):
    taxonomy = Taxonomy.from_topics(Topic.objects.all())
    text = "Fui COBRADA duas vezes e as faturas estão erradas, quero o reembolso"
    result = analyse([Unit(text)], taxonomy, language="pt")
    hits = found(result)
    assert set(hits) == {topics["refund"].id, topics["billing"].id}
    phrases = {(text[e["start"] : e["end"]], e["phrase"]) for e in hits[topics["refund"].id]}
    assert phrases == {("COBRADA duas vezes", "cobrado duas vezes"), ("reembolso", "reembolso")}
    # The parent has its own phrase's hit and the child's, each once.
    parent = [(e["unit"], e["start"], e["end"]) for e in hits[topics["billing"].id]]
    spans = [
        (0, text.index(w), text.index(w) + len(w))
        for w in ("COBRADA duas vezes", "faturas", "reembolso")
    ]
    assert sorted(parent) == spans


def test_accents_typed_or_not(topics):
    taxonomy = Taxonomy.from_topics(Topic.objects.all())
    # The phrase has no accent, the text has one; and the other way round.
    result = analyse([Unit("Quero cancelar a assinatura")], taxonomy, language="pt")
    assert found(result) == {}  # "a" between the words: a phrase is contiguous
    result = analyse([Unit("Quero cancelár assinatura já")], taxonomy, language="pt")
    assert set(found(result)) == {topics["cancel"].id}


def test_word_boundaries(topics):
    taxonomy = Taxonomy.from_topics(Topic.objects.all())
    result = analyse([Unit("The refunding department sent an invoicex")], taxonomy, "en")
    # "refunding" lemmatises to "refund"; "invoicex" is another word.
    assert set(found(result)) == {topics["refund"].id, topics["billing"].id}
    evidence = found(result)[topics["billing"].id]
    assert [e["phrase"] for e in evidence] == ["refund"]


def test_english_inflections(topics):
    taxonomy = Taxonomy.from_topics(Topic.objects.all())
    result = analyse([Unit("I closed my accounts yesterday")], taxonomy, "en")
    (evidence,) = found(result).values()
    assert evidence == [{"unit": 0, "start": 2, "end": 20, "phrase": "close my account"}]


def test_italian_and_bulgarian(topics):
    taxonomy = Taxonomy.from_topics(Topic.objects.all())
    result = analyse([Unit("Aspetto ancora i rimborsi delle fatture")], taxonomy, "it")
    assert set(found(result)) == {topics["refund"].id, topics["billing"].id}
    text = "Искам възстановяване на сумата за фактурата"
    result = analyse([Unit(text)], taxonomy, "bg")
    hits = found(result)
    assert [text[e["start"] : e["end"]] for e in hits[topics["refund"].id]] == [
        "възстановяване на сумата"
    ]


def test_phrases_apply_to_their_language_and_star_to_all(topics):
    taxonomy = Taxonomy.from_topics(Topic.objects.all())
    # An English phrase does not fire in an Italian text; "*" phrases fire everywhere.
    result = analyse([Unit("Il rimborso di Acme non è arrivato, mi serve il refund")], taxonomy)
    assert result.language == "it"
    hits = found(result)
    assert [e["phrase"] for e in hits[topics["refund"].id]] == ["rimborso"]
    assert [e["phrase"] for e in hits[topics["brand"].id]] == ["Acme"]


def test_evidence_names_the_unit(topics):
    taxonomy = Taxonomy.from_topics(Topic.objects.all())
    units = [Unit("Hello"), Unit("Let me check your invoice", "agent"), Unit("Refund please")]
    hits = found(analyse(units, taxonomy, "en"))
    assert hits[topics["refund"].id] == [{"unit": 2, "start": 0, "end": 6, "phrase": "refund"}]
    assert [e["unit"] for e in hits[topics["billing"].id]] == [1, 2]


def test_inactive_topics_and_their_children_are_skipped(topics):
    Topic.objects.filter(pk=topics["billing"].pk).update(is_active=False)
    taxonomy = Taxonomy.from_topics(Topic.objects.all())
    result = analyse([Unit("I want a refund for this invoice")], taxonomy, "en")
    assert found(result) == {}
    assert set(taxonomy.topic_ids) == {topics["cancel"].id, topics["brand"].id}


def test_the_compiled_taxonomy_is_reused_until_a_topic_changes(topics):
    first = Taxonomy.from_topics(Topic.objects.all())
    assert Taxonomy.from_topics(Topic.objects.all()) is first
    topic = topics["cancel"]
    topic.phrases = {"en": ["close my account", "terminate"]}
    topic.save()
    second = Taxonomy.from_topics(Topic.objects.all())
    assert second is not first and second.stamp != first.stamp
    result = analyse([Unit("Please terminate the contract")], second, "en")
    assert set(found(result)) == {topic.id}


def test_odd_phrase_values_are_ignored():
    class T:
        def __init__(self, id, phrases):
            self.id, self.parent_id, self.is_active, self.phrases = id, None, True, phrases

    taxonomy = Taxonomy.from_topics(
        [T(1, {"en": "refund"}), T(2, {"xx": ["foo"]}), T(3, None), T(4, {"en": [None, "", 5]})]
    )
    assert found(analyse([Unit("refund foo")], taxonomy, "en")) == {
        1: [{"unit": 0, "start": 0, "end": 6, "phrase": "refund"}]
    }


def test_the_starter_taxonomy_compiles_and_matches_in_each_language():
    taxonomy = Taxonomy.from_topics(starter_topics())
    by_name = {t.id: t.name for t in starter_topics()}
    for text, expected in [
        ("I was charged twice on my invoice", {"Billing", "Double charge"}),
        ("Fui cobrado duas vezes na fatura", {"Billing", "Double charge"}),
        ("Mi avete addebitato due volte", {"Billing", "Double charge"}),
        ("Бях таксуван два пъти", {"Billing", "Double charge"}),
    ]:
        names = {by_name[topic_id] for topic_id, _ in analyse([Unit(text)], taxonomy).topics}
        assert names == expected, text
