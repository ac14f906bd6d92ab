"""Effort and escalation signals in the customer's messages, with the words that show them.

- escalation: asks for a manager / supervisor / someone in charge, or to escalate;
- churn: threatens to cancel the account or contract, or to leave for a competitor;
- repetition: says they already said it ("as I told you", "for the third time"), or sends
  (nearly) the same message again.

Patterns run on the folded text (lower case, no Latin accents), so they are written without
accents; a word stem with \\w* covers its inflections. Only customer units are read: an agent
offering to escalate is not a customer asking for it."""

from __future__ import annotations

import os
import re

ESCALATION = "escalation"
CHURN = "churn"
REPETITION = "repetition"

_GAP = r"[^.!?\n]{0,30}?"
SIGNALS_FILE = os.path.join(os.path.dirname(__file__), "lexicons", "signals.tsv")


def _load() -> dict[str, dict[str, re.Pattern]]:
    """kind → language → one alternation of the file's patterns (one search per kind)."""
    patterns: dict[str, dict[str, list[str]]] = {}
    with open(SIGNALS_FILE, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            language, kind, pattern = line.rstrip("\n").split("\t", 2)
            patterns.setdefault(kind, {}).setdefault(language, []).append(
                pattern.replace("{GAP}", _GAP)
            )
    return {
        kind: {
            language: re.compile("|".join(f"(?:{p})" for p in items))
            for language, items in by_language.items()
        }
        for kind, by_language in patterns.items()
    }


COMPILED = _load()

# Near-duplicate customer messages: at least this many words and this share in common.
DUPLICATE_MIN_WORDS = 4
DUPLICATE_SIMILARITY = 0.8


def phrase_signals(folded: str, text: str, language: str, unit: int) -> list[dict]:
    """Signals shown by phrases in one customer unit (folded text, original text)."""
    languages = [language] if language in ("en", "pt", "it", "bg") else ["en", "pt", "it", "bg"]
    found = []
    for kind, by_language in COMPILED.items():
        for language_ in languages:
            pattern = by_language.get(language_)
            match = pattern.search(folded) if pattern else None
            if match:
                found.append(
                    {
                        "kind": kind,
                        "unit": unit,
                        "start": match.start(),
                        "end": match.end(),
                        "phrase": text[match.start() : match.end()],
                        "rule": "phrase",
                    }
                )
                break
    return found


def duplicate_signal(
    index: int, text: str, word_set: frozenset, earlier: list[tuple[int, frozenset]]
) -> dict | None:
    """A repetition signal when a customer unit nearly repeats an earlier one."""
    if len(word_set) < DUPLICATE_MIN_WORDS:
        return None
    for previous, previous_set in earlier:
        if len(previous_set) < DUPLICATE_MIN_WORDS:
            continue
        common = len(word_set & previous_set)
        if common / len(word_set | previous_set) >= DUPLICATE_SIMILARITY:
            stripped = text.rstrip()
            start = len(text) - len(text.lstrip())
            return {
                "kind": REPETITION,
                "unit": index,
                "start": start,
                "end": len(stripped),
                "phrase": text[start : len(stripped)][:200],
                "rule": "duplicate",
                "of": previous,
            }
    return None
