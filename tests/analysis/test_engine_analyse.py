"""analyse(): the Result's fields as Analysis stores them, per-side averages, the customer's
course from start to end, keyphrases and topic suggestions; and it never raises."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caredesk.analysis.engine import Result, Taxonomy, Unit, analyse, suggest_topics
from caredesk.analysis.models import Analysis
from caredesk.analysis.starter import starter_topics


def test_the_result_mirrors_the_analysis_model():
    result = analyse([Unit("Thanks, great help")], language="en")
    model_fields = {f.name for f in Analysis._meta.get_fields()}
    assert set(result.fields()) <= model_fields
    assert set(result.fields()) == {
        "language",
        "sentiment",
        "label",
        "customer_sentiment",
        "agent_sentiment",
        "start_sentiment",
        "end_sentiment",
        "units",
        "signals",
        "keyphrases",
    }
    json.dumps(result.fields())  # stored as JSON as it is


def test_units_sides_and_averages():
    units = [
        Unit("My order arrived broken, this is terrible"),
        Unit("I'm sorry, I will send a replacement today", "agent"),
        Unit("Nothing happened yet"),
        Unit("Thank you, the replacement works perfectly!"),
    ]
    result = analyse(units, language="en", top_keyphrases=0)
    assert [u["side"] for u in result.units] == ["customer", "agent", "customer", "customer"]
    assert [u["text"] for u in result.units] == [u.text for u in units]
    scores = [u["sentiment"] for u in result.units]
    assert [u["label"] for u in result.units] == ["negative", "negative", "neutral", "positive"]
    customer = [scores[0], scores[2], scores[3]]
    assert result.customer_sentiment == round(sum(customer) / 3, 4)
    assert result.agent_sentiment == scores[1]
    # Overall is the customer's; start and end are the first and last third of their units.
    assert result.sentiment == result.customer_sentiment
    assert result.start_sentiment == scores[0]
    assert result.end_sentiment == scores[3]
    assert result.start_sentiment < 0 < result.end_sentiment
    assert result.keyphrases == []


def test_thirds_round_up():
    texts = ["Terrible", "Bad", "Fine", "Okay", "Good", "Great", "Excellent"]
    result = analyse([Unit(t) for t in texts], language="en", top_keyphrases=0)
    scores = [u["sentiment"] for u in result.units]
    assert result.start_sentiment == round(sum(scores[:3]) / 3, 4)
    assert result.end_sentiment == round(sum(scores[-3:]) / 3, 4)


def test_without_customer_units_the_overall_is_everyone_else():
    result = analyse([Unit("Glad I could help", "agent"), Unit("Call ended", "other")], language="")
    assert result.customer_sentiment is None
    assert result.start_sentiment is None and result.end_sentiment is None
    assert result.sentiment == round(sum(u["sentiment"] for u in result.units) / 2, 4)


def test_nothing_to_analyse():
    assert analyse([]) == Result()
    result = analyse([Unit("   "), Unit("")], language="it")
    assert result.sentiment is None and result.label == ""
    assert [u["label"] for u in result.units] == ["neutral", "neutral"]


def test_unknown_sides_are_other_and_plain_strings_are_customer_units():
    result = analyse([Unit("hello", side="bot"), "I love it"], language="en")
    assert [u["side"] for u in result.units] == ["other", "customer"]


def test_keyphrases_per_document():
    units = [
        Unit("The delivery of my washing machine is late again."),
        Unit("Where is my washing machine? The delivery was promised for Monday."),
    ]
    result = analyse(units, language="en", top_keyphrases=3)
    assert len(result.keyphrases) == 3
    assert "washing machine" in result.keyphrases


def test_suggest_topics_counts_documents_and_skips_covered_phrases():
    texts = [
        "The loyalty points disappeared from my account",
        "Where are my loyalty points? They vanished",
        "My loyalty points are gone after the update",
        "The invoice is wrong",
    ]
    suggestions = suggest_topics(texts, "en", existing_phrases=["invoice"], min_count=2)
    assert suggestions[0] == ("loyalty points", 3)
    assert all("invoice" not in phrase for phrase, _ in suggestions)
    covered = suggest_topics(texts, "en", existing_phrases=["loyalty points"], min_count=2)
    assert all("loyalty" not in phrase for phrase, _ in covered)


TAXONOMY = Taxonomy.from_topics(starter_topics())
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(
    ["", " ", "!!!", "NOT BAD!!!", "dell'", "'", "-", "😡😡", ":(", "ñ", "İstanbul", "ﬁx"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    units=st.lists(
        st.tuples(texts, st.sampled_from(["customer", "agent", "other", "x"])), max_size=6
    ),
    language=st.sampled_from(["", "en", "pt", "it", "bg", "pt-br", "xx"]),
)
def test_analyse_never_raises_and_offsets_stay_in_the_text(units, language):
    result = analyse([Unit(t, s) for t, s in units], TAXONOMY, language, top_keyphrases=3)
    assert result.language in ("", "en", "pt", "it", "bg")
    assert len(result.units) == len(units)
    for unit in result.units:
        assert -1 <= unit["sentiment"] <= 1
        for item in unit["evidence"]:
            assert 0 <= item["start"] < item["end"] <= len(unit["text"])
            assert unit["text"][item["start"] : item["end"]] == item["word"]
    for signal in result.signals:
        text = result.units[signal["unit"]]["text"]
        assert 0 <= signal["start"] <= signal["end"] <= len(text)
    for _topic_id, evidence in result.topics:
        for item in evidence:
            text = result.units[item["unit"]]["text"]
            assert 0 <= item["start"] < item["end"] <= len(text)
    json.dumps(result.fields())
