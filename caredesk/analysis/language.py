"""Language identification restricted to the four languages we analyse.

py3langid ships its model in the package (no download). Among en/pt/it/bg only Bulgarian is
written in Cyrillic, so the script decides it before the model is asked. A text too short
for the model to be sure falls back to the hint (the workspace's or segment's language)."""

from __future__ import annotations

import re
from functools import lru_cache

from caredesk.analysis.text import LANGUAGES, cyrillic_share

_LETTER = re.compile(r"[^\W\d_]")
# Below this many letters the model's guess is mostly noise ("ok", "thanks!").
SHORT = 12
# The least normalised probability we trust without a hint.
CONFIDENT = 0.9


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # Bulgarian is decided by script; the model only separates the Latin-script three.
    identifier.set_languages(["en", "pt", "it"])
    return identifier


def detect_language(text: str, hint: str = "") -> str:
    """ "en", "pt", "it" or "bg"; `hint` (or "" without one) when the text is too short or
    too ambiguous to tell."""
    hint = (hint or "")[:2].lower()
    hint = hint if hint in LANGUAGES else ""
    if not text:
        return hint
    letters = len(_LETTER.findall(text, 0, 200))
    if not letters:
        return hint
    text = text[:2000]
    if cyrillic_share(text) >= 0.5:
        return "bg"
    language, probability = _identifier().classify(text)
    if letters < SHORT:
        return hint or (language if probability >= CONFIDENT else "")
    if probability < CONFIDENT and hint:
        return hint
    return language
