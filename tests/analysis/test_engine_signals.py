"""Escalation, churn and repetition signals per language, with the phrase that shows them;
only the customer's units count."""

import pytest

from caredesk.analysis.engine import Unit, analyse

CASES = [
    ("en", "escalation", "This is useless, I want to speak to a manager right now."),
    ("en", "churn", "If this isn't fixed today I will cancel my subscription."),
    ("en", "repetition", "As I already told you, the order number is 5512."),
    ("pt", "escalation", "Quero falar com o gerente, isso não pode continuar."),
    ("pt", "churn", "Vou cancelar minha assinatura e mudar para outra operadora."),
    ("pt", "repetition", "Como eu já disse, o pedido é o 5512."),
    ("it", "escalation", "Voglio parlare con un responsabile, subito."),
    ("it", "churn", "Se continua così disdico il contratto."),
    ("it", "repetition", "Vi scrivo per la terza volta per lo stesso problema."),
    ("bg", "escalation", "Искам да говоря с управителя веднага."),
    ("bg", "churn", "Ще прекратя договора си, ако не го оправите."),
    ("bg", "repetition", "Вече ви казах, номерът на поръчката е 5512."),
]


@pytest.mark.parametrize(("language", "kind", "text"), CASES)
def test_each_signal_in_each_language(language, kind, text):
    result = analyse([Unit(text)], language=language)
    assert result.language == language
    kinds = [s["kind"] for s in result.signals]
    assert kind in kinds
    (signal,) = [s for s in result.signals if s["kind"] == kind]
    assert signal["unit"] == 0
    assert signal["phrase"] == text[signal["start"] : signal["end"]]
    assert signal["phrase"]


def test_the_evidence_is_the_phrase():
    text = "Hello. For the THIRD time: put me through to your supervisor!"
    result = analyse([Unit(text)], language="en")
    assert {(s["kind"], s["phrase"]) for s in result.signals} == {
        ("repetition", "For the THIRD time"),
        ("escalation", "put me through to your supervisor"),
    }


def test_accents_do_not_matter():
    for text in ["Já expliquei isso ontem", "Ja expliquei isso ontem"]:
        result = analyse([Unit(text)], language="pt")
        assert [s["kind"] for s in result.signals] == ["repetition"]


def test_agents_do_not_raise_signals():
    units = [
        Unit("My router is broken again"),
        Unit("I will escalate this to my supervisor and we can cancel the contract", "agent"),
    ]
    assert analyse(units, language="en").signals == []


def test_a_repeated_customer_message_is_repetition():
    units = [
        Unit("My parcel 4410 has not arrived yet, where is it?"),
        Unit("Let me check", "agent"),
        Unit("my parcel 4410 has not arrived yet where is it"),
        Unit("Hello?"),
        Unit("Hello?"),  # too short to call a repetition
    ]
    result = analyse(units, language="en")
    assert result.signals == [
        {
            "kind": "repetition",
            "unit": 2,
            "start": 0,
            "end": len(units[2].text),
            "phrase": units[2].text,
            "rule": "duplicate",
            "of": 0,
        }
    ]


def test_ordinary_messages_raise_nothing():
    for language, text in [
        ("en", "Could you send me the invoice for March?"),
        ("pt", "Pode me mandar a fatura de março?"),
        ("it", "Potete mandarmi la fattura di marzo?"),
        ("bg", "Можете ли да ми изпратите фактурата за март?"),
    ]:
        assert analyse([Unit(text)], language=language).signals == [], text
