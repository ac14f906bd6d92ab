"""Sentiment per language: the sign of clear cases, negation, boosters, contrast, and the
evidence (which words, where, with what weight)."""

import pytest

from caredesk.analysis.engine import sentiment_of

CLEAR = [
    ("en", "The technician was wonderful and fixed everything, thank you!", "positive"),
    ("en", "Awful experience, the courier lost my parcel and nobody cares.", "negative"),
    ("pt", "Adorei o atendimento, vocês foram excelentes!", "positive"),
    ("pt", "Serviço horrível, estou muito decepcionado com a loja.", "negative"),
    ("it", "Servizio eccellente, operatore gentilissimo e molto competente.", "positive"),
    ("it", "Esperienza orribile, il pacco è arrivato rotto e nessuno risponde.", "negative"),
    ("bg", "Прекрасно обслужване, много съм доволна от помощта!", "positive"),
    ("bg", "Ужасно отношение, много съм разочарован от фирмата.", "negative"),
]


@pytest.mark.parametrize(("language", "text", "label"), CLEAR)
def test_clear_cases_get_the_right_sign(language, text, label):
    score, found, evidence = sentiment_of(text, language)
    assert found == label
    assert (score > 0.05) if label == "positive" else (score < -0.05)
    assert evidence


@pytest.mark.parametrize(
    ("language", "plain", "negated"),
    [
        ("en", "I am happy with the service", "I am not happy with the service"),
        ("pt", "Estou satisfeito com o serviço", "Não estou satisfeito com o serviço"),
        ("it", "Sono soddisfatto del servizio", "Non sono soddisfatto del servizio"),
        ("bg", "Доволен съм от услугата", "Не съм доволен от услугата"),
    ],
)
def test_a_negation_flips_the_sign(language, plain, negated):
    assert sentiment_of(plain, language)[1] == "positive"
    assert sentiment_of(negated, language)[1] == "negative"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("pt", "Não tenho nada a reclamar, não foi nada mal"),
        ("it", "Niente male, davvero"),
        ("bg", "Никак не е зле"),
    ],
)
def test_negative_concord_is_one_negation(language, text):
    # "não… nada", "niente", "никак не": a negated negative word reads positive.
    assert sentiment_of(text, language)[1] == "positive"


def test_a_negation_stops_at_the_end_of_its_clause():
    score, label, evidence = sentiment_of("Not today, the agent was great", "en")
    assert label == "positive"
    assert [e["word"] for e in evidence] == ["great"]
    assert evidence[0]["weight"] > 0


def test_a_booster_strengthens_and_caps_add_emphasis():
    plain = sentiment_of("The agent was helpful", "en")[0]
    boosted = sentiment_of("The agent was very helpful", "en")[0]
    shouted = sentiment_of("The agent was very HELPFUL", "en")[0]
    assert 0 < plain < boosted < shouted


def test_after_but_the_second_clause_weighs_more():
    score, label, evidence = sentiment_of("The agent was nice but the product is terrible", "en")
    assert label == "negative"
    weights = {e["word"]: e["weight"] for e in evidence}
    assert weights == {"nice": pytest.approx(0.9, abs=0.01), "terrible": -3.15}


@pytest.mark.parametrize(
    ("language", "text", "word"),
    [
        ("en", "Honestly? The refund process is a NIGHTMARE.", "NIGHTMARE"),
        ("pt", "O atendente foi muito PRESTATIVO, obrigado", "PRESTATIVO"),
        ("it", "L'operatrice è stata gentilissima!", "gentilissima"),
        ("bg", "Поръчката пристигна счупена.", "счупена"),
    ],
)
def test_evidence_offsets_point_at_the_words(language, text, word):
    _score, _label, evidence = sentiment_of(text, language)
    assert word in [e["word"] for e in evidence]
    for item in evidence:
        assert text[item["start"] : item["end"]] == item["word"]
        assert isinstance(item["weight"], float) and item["weight"] != 0


def test_inflected_forms_match_through_the_lemma():
    # Feminine and plural forms are not in the lexicons; their lemmas are.
    for language, text in [
        ("it", "Siamo delusi"),
        ("bg", "Разочаровани сме"),
        ("pt", "Ficamos decepcionadas"),
    ]:
        assert sentiment_of(text, language)[1] == "negative", text


def test_emoticons_and_emoji_count_with_their_offsets():
    text = "Delivered today 🙂"
    score, label, evidence = sentiment_of(text, "en")
    assert label == "positive"
    assert [text[e["start"] : e["end"]] for e in evidence] == ["🙂"]


def test_neutral_requests_stay_neutral():
    for language, text in [
        ("en", "I would like to change my delivery address, please."),
        ("pt", "Gostaria de alterar a forma de pagamento, por favor."),
        ("it", "Vorrei cambiare l'indirizzo di consegna, per favore."),
        ("bg", "Искам да сменя адреса за доставка, моля."),
    ]:
        score, label, evidence = sentiment_of(text, language)
        assert label == "neutral", (text, score, evidence)


def test_the_language_is_detected_when_not_given():
    assert sentiment_of("Péssimo atendimento, nunca mais compro aqui")[1] == "negative"
    assert sentiment_of("")[0:2] == (0.0, "neutral")
