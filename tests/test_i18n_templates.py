"""No template shows English that is not marked for translation: every piece of text between
tags, and every placeholder / title / aria-label / alt, is a {% translate %} /
{% blocktranslate %}, a variable, or free of words (punctuation, symbols, the brand)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "caredesk" / "templates"
# Not words to translate: the product's name, units and symbols.
ALLOWED = {"caredesk", "care", "desk", "NPS", "CSAT", "SLA", "API", "URL", "ID", "CSV", "XLSX"}

BLOCK = re.compile(
    r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*end(blocktranslate|blocktrans)\s*%}", re.S
)
# Text inside these is not shown as text (or is data): drop it before looking.
HIDDEN = re.compile(
    r"<(script|style)\b.*?</\1>|{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|<!--.*?-->"
    # A block that fills a class attribute ({% block main_class %}desk-page{% endblock %}).
    r"|{%\s*block\s+\w*class\s*%}.*?{%\s*endblock",
    re.S,
)
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
ATTR = re.compile(r'\b(placeholder|title|aria-label|alt|data-confirm)="([^"]*)"')
WORD = re.compile(r"[A-Za-z]{2,}")


def unmarked(source: str) -> list[str]:
    source = HIDDEN.sub(" ", BLOCK.sub(" ", source))
    source = re.sub(r"&#?\w+;", " ", TAG.sub("\n", source))
    found = []
    for _name, value in ATTR.findall(source):
        # An example of a code or an address (placeholder="nps", "https://…") is not prose.
        if re.fullmatch(r"[a-z_]+|https?://\S+", value.strip()):
            continue
        words = [w for w in WORD.findall(value) if w not in ALLOWED]
        if words:
            found.append(value.strip())
    text = re.sub(r"<[^>]*>", "\n", source)
    for chunk in text.split("\n"):
        words = [w for w in WORD.findall(chunk) if w not in ALLOWED]
        if words:
            found.append(chunk.strip())
    return found


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
)
def test_every_text_of_the_template_is_marked(template):
    assert unmarked((TEMPLATES / template).read_text(encoding="utf-8")) == []


def test_the_check_finds_unmarked_text():
    assert unmarked('<p title="Close it">Hello {{ name }}</p>') == ["Close it", "Hello"]
    assert unmarked('<b title="{% if x %}{% translate "Hi" %}{% endif %}">&thinsp;/</b>') == []
    assert unmarked('<p>{% translate "Hello" %} · {{ n|num }} <b>&nbsp;</b></p>') == []
    assert unmarked("{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}") == []
