"""Language detection among en/pt/it/bg, with the hint for texts too short to tell."""

import pytest

from caredesk.analysis.engine import Unit, analyse, detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("My parcel still hasn't arrived and nobody answers the phone", "en"),
        ("Meu pedido ainda não chegou e ninguém atende o telefone", "pt"),
        ("Il mio pacco non è ancora arrivato e nessuno risponde al telefono", "it"),
        ("Пратката ми още не е пристигнала и никой не вдига телефона", "bg"),
        ("Obrigada!!! Vocês resolveram tudo", "pt"),
        ("Grazie, tutto risolto", "it"),
    ],
)
def test_clear_texts(text, language):
    assert detect_language(text) == language
    assert detect_language(text, hint="en" if language != "en" else "it") == language


def test_bulgarian_by_its_script_even_when_short():
    assert detect_language("Мерси") == "bg"
    assert detect_language("ок, мерси", hint="en") == "bg"


def test_short_texts_take_the_hint():
    assert detect_language("ok", hint="it") == "it"
    assert detect_language("ok") == ""
    assert detect_language("Ciao", hint="pt-br") == "pt"
    assert detect_language("12345", hint="bg") == "bg"
    assert detect_language("", hint="xx") == ""


def test_a_conversation_is_read_as_a_whole():
    units = [
        Unit("Olá"),
        Unit("Hello, how can I help?", "agent"),
        Unit("A minha fatura veio errada"),
    ]
    # The customer's words decide, not the agent's.
    assert analyse(units).language == "pt"
    assert analyse([Unit("ok")], language="bg").language == "bg"
