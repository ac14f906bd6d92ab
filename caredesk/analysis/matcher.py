"""Phrase matching on word boundaries, lemmatised and accent-insensitive.

A phrase ("close my account") becomes a tuple of folded words. A text's word matches a
phrase's word when their folded forms or their lemmas are equal, so "closed my accounts"
and "fechei a minha conta" match "close my account" / "fechar conta". A phrase is indexed by
both keys of its first word; matching a text is one dict look-up per word."""

from __future__ import annotations

from dataclasses import dataclass, field

from caredesk.analysis.text import fold, lemma, words


@dataclass(frozen=True)
class Hit:
    key: object  # what the phrase marks (a topic id, a signal kind)
    start: int
    end: int
    phrase: str


@dataclass
class PhraseMatcher:
    # language → first word or its lemma → [(surface words, lemmas, key, phrase)]
    index: dict[str, dict[str, list[tuple[tuple[str, ...], tuple[str, ...], object, str]]]] = field(
        default_factory=dict
    )

    def add(self, language: str, phrase: str, key: object) -> None:
        surface = tuple(w for _, _, w in words(fold(phrase), language))
        if not surface:
            return
        lemmas = tuple(lemma(w, language) for w in surface)
        entry = (surface, lemmas, key, phrase)
        bucket = self.index.setdefault(language, {})
        for first in {surface[0], lemmas[0]}:
            bucket.setdefault(first, []).append(entry)

    def __bool__(self) -> bool:
        return bool(self.index)

    def languages(self) -> set[str]:
        return set(self.index)

    def find(
        self, tokens: list[tuple[int, int, str]], lemmas: list[str], language: str
    ) -> list[Hit]:
        """Hits in a text given its folded tokens and their lemmas (in `language`)."""
        bucket = self.index.get(language)
        if not bucket:
            return []
        hits = []
        count = len(tokens)
        for i in range(count):
            word = tokens[i][2]
            candidates = bucket.get(word)
            other = bucket.get(lemmas[i]) if lemmas[i] != word else None
            if other:
                candidates = (candidates or []) + other
            if not candidates:
                continue
            seen = set()
            for surface, phrase_lemmas, key, phrase in candidates:
                size = len(surface)
                if i + size > count or (key, phrase) in seen:
                    continue
                if all(
                    tokens[i + k][2] == surface[k] or lemmas[i + k] == phrase_lemmas[k]
                    for k in range(size)
                ):
                    seen.add((key, phrase))
                    hits.append(Hit(key, tokens[i][0], tokens[i + size - 1][1], phrase))
        return hits
