"""How text becomes search terms, the same way in Python (the query, the highlighting) and
in the database (the index): lower case, Latin accents dropped ("Não" and "nao" are one
term), words are runs of letters and digits (anything else separates them).

PostgreSQL's index expression (migration 0001) uses these two strings in `translate()`, an
immutable function, so the stored tsvector is a generated column and needs no extension
(unaccent is neither immutable nor always installed). SQLite's FTS5 tokenizer
(`unicode61 remove_diacritics 2`) folds the same accents itself. Cyrillic keeps its letters
(й is not и in Bulgarian); both databases lower-case it."""

import re

ACCENTED = (
    "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžơưǎǐǒǔ"
    "ǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳ"
)
PLAIN = (
    "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzouaiou"
    "uuuuaagkoojgnaaaeeiioorruusthaeooooy"
)
_TABLE = str.maketrans(ACCENTED, PLAIN)
WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without Latin accents, one character for each character of `text` (so an
    offset in the folded text is the same offset in the original). "İ" is the one letter
    whose lower case is two characters; it becomes "i"."""
    return text.replace("İ", "I").lower().translate(_TABLE)


def terms(text: str) -> list[str]:
    return WORD.findall(fold(text))
