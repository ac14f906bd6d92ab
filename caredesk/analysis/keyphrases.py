"""Keyphrases with YAKE (statistical, no model; the package ships stop-words for en, pt, it
and bg), per document and across many documents to suggest new topics."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from caredesk.analysis.text import LANGUAGES, fold, lemma, words

# Phrases up to three words; deduplicated as YAKE does by default.
MAX_WORDS = 3


@lru_cache(maxsize=16)
def _extractor(language: str, top: int):
    import yake

    return yake.KeywordExtractor(lan=language or "en", n=MAX_WORDS, top=top, dedup_lim=0.9)


@lru_cache(maxsize=8)
def _stopwords(language: str) -> frozenset:
    return frozenset(fold(w) for w in _extractor(language, 10).stopword_set)


def _useful(phrase: str, language: str) -> bool:
    tokens = [w for _, _, w in words(fold(phrase), language)]
    if not tokens or all(t.isdigit() for t in tokens):
        return False
    stop = _stopwords(language)
    return not all(t in stop or len(t) < 3 for t in tokens)


def keyphrases(text: str, language: str = "", top: int = 8) -> list[str]:
    """The document's keyphrases, best first (lower case)."""
    language = language if language in LANGUAGES else "en"
    if top <= 0 or len(text.strip()) < 3:
        return []
    try:
        found = _extractor(language, top * 2).extract_keywords(text)
    except (ValueError, ZeroDivisionError, IndexError, KeyError):  # YAKE on odd input
        return []
    result = []
    seen = set()
    for phrase, _score in found:
        phrase = " ".join(phrase.lower().split())
        key = phrase_key(phrase, language)
        if key in seen or not _useful(phrase, language):
            continue
        seen.add(key)
        result.append(phrase)
        if len(result) >= top:
            break
    return result


def phrase_key(phrase: str, language: str) -> tuple[str, ...]:
    """Folded lemmas: "Late Deliveries" and "late delivery" are one phrase."""
    return tuple(lemma(w, language) for _, _, w in words(fold(phrase), language))


def _covered(key: tuple[str, ...], existing: list[tuple[str, ...]]) -> bool:
    """A phrase containing an existing topic phrase (or contained in one) is not new."""
    for other in existing:
        if not other:
            continue
        shorter, longer = (key, other) if len(key) <= len(other) else (other, key)
        size = len(shorter)
        if any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1)):
            return True
    return False


def suggest_topics(
    texts: Iterable[str],
    language: str,
    existing_phrases: Iterable[str] = (),
    top: int = 20,
    per_document: int = 8,
    min_count: int = 2,
) -> list[tuple[str, int]]:
    """Keyphrases found in many documents and not yet covered by a topic's phrases:
    [(phrase, number of documents)], most frequent first."""
    language = language if language in LANGUAGES else "en"
    existing = [phrase_key(p, language) for p in existing_phrases]
    counts: Counter = Counter()
    surfaces: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for text in texts:
        for phrase in keyphrases(text or "", language, per_document):
            key = phrase_key(phrase, language)
            if not key:
                continue
            counts[key] += 1
            surfaces[key][phrase] += 1
    suggestions = []
    for key, count in counts.most_common():
        if count < min_count:
            break
        if _covered(key, existing):
            continue
        suggestions.append((surfaces[key].most_common(1)[0][0], count))
        if len(suggestions) >= top:
            break
    return suggestions
