"""Text primitives shared by the analysers: folding that keeps character offsets, word
tokens with their offsets, and cached lemmas.

Every analyser works on the *folded* text (lower case, Latin accents removed) so phrases
match whatever the customer typed ("Não", "nao", "NÃO"), and the folded text has exactly
the length of the original: an offset found in one points at the same word in the other."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

LANGUAGES = ("en", "pt", "it", "bg")


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Latin-1, Latin Extended-A/B and Cyrillic cover the four languages' letters.
    for code in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x400, 0x530)):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            continue
        if 0x400 <= code < 0x530:
            # Cyrillic letters keep their marks: й is not и in Bulgarian.
            folded = lower
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c)
            )
            folded = base if len(base) == 1 else lower
        if folded != char:
            table[code] = folded
    # Typographic apostrophes and quotes, so "don’t" is "don't".
    table[0x2019] = "'"
    table[0x2018] = "'"
    table[0x02BC] = "'"
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without Latin accents; the result has the length of `text`."""
    return text.translate(_FOLD)


# A word: letters (and digits) with inner apostrophes or hyphens ("can't", "e-mail").
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
# Italian elides articles and prepositions with an apostrophe: "dell'ordine" is two words.
_WORD_ELIDED = re.compile(r"[^\W_]+(?:-[^\W_]+)*'?")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")


def words(folded: str, language: str = "") -> list[tuple[int, int, str]]:
    """(start, end, word) for each word of a folded text."""
    if language != "it":
        return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
    found = []
    for match in _WORD_ELIDED.finditer(folded):
        word = match.group()
        end = match.end()
        if word.endswith("'"):
            word = word[:-1]
            end -= 1
            if not word:
                continue
        found.append((match.start(), end, word))
    return found


_LEMMAS: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
LEMMA_CACHE_SIZE = 200_000


def lemmas(tokens: list[tuple[int, int, str]], language: str) -> list[str]:
    """The folded lemma of each token's word (a per-language cache in front of simplemma)."""
    cache = _LEMMAS.get(language)
    if cache is None:
        return [w for _, _, w in tokens]
    found = []
    for _, _, word in tokens:
        value = cache.get(word)
        if value is None:
            value = lemma(word, language)
            if len(cache) >= LEMMA_CACHE_SIZE:
                cache.clear()
            cache[word] = value
        found.append(value)
    return found


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The folded lemma of a folded word (the word itself when simplemma does not know it)."""
    if language not in LANGUAGES or not word or word.isdigit():
        return word
    try:
        found = simplemma.lemmatize(word, lang=language)
    except (ValueError, KeyError):  # an unexpected input must not stop an analysis
        return word
    return fold(found) if found else word


def cyrillic_share(text: str) -> float:
    """The share of Cyrillic letters among the Cyrillic and Latin letters of `text`."""
    cyr = len(_CYRILLIC.findall(text))
    if not cyr:
        return 0.0
    lat = len(_LATIN.findall(text))
    return cyr / (cyr + lat)
