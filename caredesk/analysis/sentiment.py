"""Lexicon sentiment with evidence, one scorer for the four languages.

The rules are VADER's (Hutto & Gilbert 2014), re-implemented once so Italian and Bulgarian get
the same machinery as English and Portuguese: a lexicon of word valences (−4…4); a negation
among the three words before a word flips and dampens it (× −0.74); boosters/dampeners before
it add ±0.293 (less the farther they are); an ALL-CAPS word in mixed-case text is stronger;
after a contrast word ("but", "mas", "ma", "но") valences weigh 1.5×, before it 0.5×;
exclamation marks and repeated question marks add emphasis. The sum is squashed into [−1, 1]
with x / sqrt(x² + 15), VADER's compound score.

Lexicons: English from vaderSentiment (MIT), Portuguese from LeIA (MIT), Italian and
Bulgarian our own (lexicons/README.md); each language also has a small file of our own with
customer-care words and phrases that the general lexicons miss or misjudge.
Words are looked up as typed (folded), then by lemma, so inflected forms match."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from functools import cache

from caredesk.analysis.text import LANGUAGES, fold, lemma, lemmas, words

B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74
# Thresholds of the label (VADER's).
POSITIVE = 0.05
NEGATIVE = -0.05

LEXICON_DIR = os.path.join(os.path.dirname(__file__), "lexicons")
# A negation or a booster reaches no further than its clause ("Not bad, it works").
_NOT_WORDY = re.compile(r"[^\w\s'’-]")
_TWO_CAPITALS = re.compile(r"[^\W\d_]*[A-Z\u00c0-\u00de\u0410-\u042f]{2}")
_CLAUSE_END = re.compile(r"[.!?;:,\n]")

# Emoticons and emoji are the same in every language (valences from VADER's lexicon).
EMOTICONS = {
    ":)": 2.0,
    ":-)": 2.0,
    ":d": 2.3,
    ":-d": 2.3,
    "=)": 2.0,
    ";)": 0.9,
    ";-)": 1.0,
    ":(": -1.9,
    ":-(": -1.5,
    ":'(": -2.2,
    ":/": -1.4,
    ":-/": -1.2,
    ":|": -0.4,
    "<3": 1.9,
    "\U0001f642": 1.5,  # 🙂
    "\U0001f60a": 2.0,  # 😊
    "\U0001f600": 2.0,  # 😀
    "\U0001f603": 2.0,  # 😃
    "\U0001f604": 2.2,  # 😄
    "\U0001f601": 2.0,  # 😁
    "\U0001f60d": 2.7,  # 😍
    "\U0001f44d": 1.8,  # 👍
    "\U0001f64f": 1.0,  # 🙏
    "\u2764": 2.7,  # ❤
    "\U0001f389": 2.0,  # 🎉
    "\U0001f602": 1.0,  # 😂
    "\U0001f641": -1.5,  # 🙁
    "\u2639": -1.8,  # ☹
    "\U0001f61e": -2.0,  # 😞
    "\U0001f622": -2.2,  # 😢
    "\U0001f62d": -2.4,  # 😭
    "\U0001f620": -2.6,  # 😠
    "\U0001f621": -3.0,  # 😡
    "\U0001f92c": -3.0,  # 🤬
    "\U0001f624": -2.0,  # 😤
    "\U0001f44e": -1.8,  # 👎
    "\U0001f612": -1.5,  # 😒
    "\U0001f644": -1.3,  # 🙄
    "\U0001f615": -1.0,  # 😕
    "\U0001f629": -2.0,  # 😩
    "\U0001f62b": -2.0,  # 😫
}
_EMOTICON = re.compile(
    "|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True)), re.IGNORECASE
)


@dataclass
class Lexicon:
    """A language's valences, phrases (tuples of folded words), negations, boosters and
    contrast words. Keys are folded (lower case, no Latin accents)."""

    language: str
    words: dict[str, float] = field(default_factory=dict)
    # first word → [(words, valence)], longest first
    phrases: dict[str, list[tuple[tuple[str, ...], float]]] = field(default_factory=dict)
    negations: set[str] = field(default_factory=set)
    boosters: dict[str, float] = field(default_factory=dict)
    contrasts: set[str] = field(default_factory=set)

    def add(self, entry: str, valence: float) -> None:
        # Emoticons (":o", "n/a") are not words: EMOTICONS holds the ones we score.
        if _NOT_WORDY.search(entry):
            return
        # Split as texts are, so "dell'ordine" or "can't" match the way they are written.
        parts = tuple(w for _, _, w in words(fold(entry), self.language))
        if not parts:
            return
        if len(parts) == 1:
            self.words[parts[0]] = valence
            return
        bucket = self.phrases.setdefault(parts[0], [])
        bucket[:] = [p for p in bucket if p[0] != parts]
        bucket.append((parts, valence))
        bucket.sort(key=lambda p: -len(p[0]))


def _read_valences(path: str) -> dict[str, float]:
    """A VADER-format file (word TAB mean …); duplicate entries (LeIA has some) averaged."""
    sums: dict[str, list[float]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or not parts[0] or line.startswith("#"):
                continue
            try:
                value = float(parts[1])
            except ValueError:
                continue
            sums.setdefault(fold(parts[0].strip()), []).append(value)
    return {word: sum(values) / len(values) for word, values in sums.items()}


def _read_rules(lexicon: Lexicon, path: str) -> None:
    """Our files: `word<TAB>valence`, or `!negation<TAB>word`, `!booster<TAB>word<TAB>±0.293`,
    `!contrast<TAB>word`. Lines starting with # are comments."""
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("\t")]
            kind = parts[0]
            if kind == "!negation":
                lexicon.negations.add(fold(parts[1]))
            elif kind == "!booster":
                lexicon.boosters[fold(parts[1])] = float(parts[2]) if len(parts) > 2 else B_INCR
            elif kind == "!contrast":
                lexicon.contrasts.add(fold(parts[1]))
            elif len(parts) >= 2:
                lexicon.add(kind, float(parts[1]))


def _vader_english(lexicon: Lexicon) -> None:
    from vaderSentiment import vaderSentiment as vader

    base = os.path.dirname(vader.__file__)
    for word, value in _read_valences(os.path.join(base, "vader_lexicon.txt")).items():
        if word.replace("'", "").replace("-", "").isalpha():
            lexicon.add(word, value)
    lexicon.negations.update(fold(w) for w in vader.NEGATE)
    for word, value in vader.BOOSTER_DICT.items():
        if " " not in word:
            lexicon.boosters[fold(word)] = value
    for phrase, value in vader.SENTIMENT_LADEN_IDIOMS.items():
        lexicon.add(phrase, value)
    lexicon.contrasts.update({"but", "however"})


def _leia_portuguese(lexicon: Lexicon) -> None:
    import LeIA

    base = os.path.join(os.path.dirname(LeIA.__file__), "lexicons")
    for word, value in _read_valences(os.path.join(base, "vader_lexicon_ptbr.txt")).items():
        lexicon.add(word, value)
    with open(os.path.join(base, "negate.txt"), encoding="utf-8") as handle:
        for line in handle:
            word = fold(line.strip())
            if word and " " not in word:
                lexicon.negations.add(word)
    with open(os.path.join(base, "booster.txt"), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2:
                lexicon.boosters[fold(parts[0])] = B_INCR if parts[1] == "INCR" else B_DECR
    lexicon.contrasts.update({"mas", "porem", "contudo", "entretanto", "todavia"})


@cache
def lexicon_for(language: str) -> Lexicon:
    lexicon = Lexicon(language)
    if language == "en":
        _vader_english(lexicon)
    elif language == "pt":
        _leia_portuguese(lexicon)
    if language in LANGUAGES:
        _read_rules(lexicon, os.path.join(LEXICON_DIR, f"{language}.tsv"))
    # A negation is an operator, never a valence of its own ("no", "não" are in the lexicons).
    for word in lexicon.negations:
        lexicon.words.pop(word, None)
    return lexicon


def label_of(score: float) -> str:
    if score > POSITIVE:
        return "positive"
    if score < NEGATIVE:
        return "negative"
    return "neutral"


def normalize(score: float, alpha: float = 15) -> float:
    value = score / math.sqrt(score * score + alpha)
    return max(-1.0, min(1.0, value))


_SUPERLATIVE = {
    # Italian -issimo and Portuguese -íssimo: the base adjective, intensified.
    "it": (re.compile(r"^(\w+?)issim[oaie]$"), ("o", "e", "a", "")),
    "pt": (re.compile(r"^(\w+?)issim[oa]s?$"), ("o", "e", "a", "")),
}
SUPERLATIVE_GAIN = 1.3


def _valence(word: str, word_lemma: str, lexicon: Lexicon) -> float | None:
    """The word's valence as typed, else its lemma's (English: as typed only, VADER's
    lexicon lists inflected forms and a lemma can mean something else: "cares" → "care"),
    else its base form's for superlatives and Bulgarian comparatives (по-, най-)."""
    words_ = lexicon.words
    valence = words_.get(word)
    if valence is not None:
        return valence
    if lexicon.language != "en":
        valence = words_.get(word_lemma)
        if valence is not None:
            return valence
    rule = _SUPERLATIVE.get(lexicon.language)
    if rule:
        match = rule[0].match(word)
        if match:
            for ending in rule[1]:
                base = words_.get(match.group(1) + ending)
                if base:
                    return max(-4.0, min(4.0, base * SUPERLATIVE_GAIN))
    if lexicon.language == "bg" and word.startswith(("най-", "по-")) and len(word) > 4:
        rest = word.split("-", 1)[1]
        base = words_.get(rest) or words_.get(lemma(rest, "bg"))
        if base:
            gain = SUPERLATIVE_GAIN if word.startswith("най-") else 1.0
            return max(-4.0, min(4.0, base * gain))
    return None


def _phrase_end(candidates, tokens, lemmas, index: int, count: int):
    """(last token index, valence) of the longest lexicon phrase starting at `index`."""
    for parts, valence in candidates:
        size = len(parts)
        if index + size > count:
            continue
        if all(
            tokens[index + k][2] == parts[k] or lemmas[index + k] == parts[k]
            for k in range(1, size)
        ):
            return index + size - 1, valence
    return None


def _is_negation(word: str, lexicon: Lexicon) -> bool:
    return word in lexicon.negations or (lexicon.language == "en" and word.endswith("n't"))


def _emphasis(text: str) -> float:
    bangs = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions > 1:
        bangs += questions * 0.18 if questions <= 3 else 0.96
    return bangs


def score_text(text: str, language: str) -> tuple[float, list[dict]]:
    """(compound score, evidence) of one text in `language` ("" scores as English)."""
    language = language if language in LANGUAGES else "en"
    folded = fold(text)
    tokens = words(folded, language)
    return score(text, folded, tokens, lemmas(tokens, language), language)


def score(
    text: str, folded: str, tokens: list, lemmas: list[str], language: str
) -> tuple[float, list[dict]]:
    """score_text for a text already folded, tokenised and lemmatised (analyse() shares
    that work between sentiment, topics and signals)."""
    lexicon = lexicon_for(language if language in LANGUAGES else "en")
    # Mixed case: some words all caps, some not (VADER's cap differential). Most texts have
    # no upper-case word beyond "I": test the words only when the text has two capitals in
    # a row somewhere.
    if _TWO_CAPITALS.search(text):
        caps = [text[s:e].isupper() for s, e, _ in tokens]
        cap_differential = any(caps) and not all(caps)
    else:
        caps = None
        cap_differential = False

    items: list[list] = []  # [start, end, first token index, valence]
    phrases = lexicon.phrases
    valences = lexicon.words
    negations = lexicon.negations
    english = lexicon.language == "en"
    index = 0
    count = len(tokens)
    while index < count:
        word = tokens[index][2]
        word_lemma = lemmas[index]
        candidates = phrases.get(word)
        if word_lemma != word and word_lemma in phrases:
            candidates = sorted((candidates or []) + phrases[word_lemma], key=lambda p: -len(p[0]))
        if candidates:
            end_index = _phrase_end(candidates, tokens, lemmas, index, count)
            if end_index is not None:
                valence = end_index[1]
                end_index = end_index[0]
                if valence:
                    items.append([tokens[index][0], tokens[end_index][1], index, valence])
                index = end_index + 1
                continue
        if word in negations or (english and word.endswith("n't")):
            index += 1
            continue
        valence = valences.get(word)
        if valence is None:
            valence = _valence(word, word_lemma, lexicon)
        # A booster ("super", "супер") carries its own valence only when it modifies
        # nothing: "Super!" is praise, "super fast" is "fast", boosted.
        if valence and word in lexicon.boosters:
            following = index + 1 < count and not _CLAUSE_END.search(
                folded, tokens[index][1], tokens[index + 1][0]
            )
            if following:
                valence = None
        if valence:
            items.append([tokens[index][0], tokens[index][1], index, valence])
        index += 1

    for match in _EMOTICON.finditer(folded):
        items.append([match.start(), match.end(), -1, EMOTICONS[match.group().lower()]])

    if not items:
        return 0.0, []

    contrast_at = next(
        (i for i, (_, _, w) in enumerate(tokens) if w in lexicon.contrasts and i > 0), -1
    )
    total = 0.0
    evidence = []
    for start, end, position, valence in items:
        if position >= 0:
            if cap_differential and caps[position]:
                valence += C_INCR if valence > 0 else -C_INCR
            negations = 0
            for distance in (1, 2, 3):
                before = position - distance
                if before < 0:
                    break
                b_start, b_end, b_word = tokens[before]
                # A sentence boundary ends the reach of a negation or a booster.
                if _CLAUSE_END.search(folded, b_end, tokens[before + 1][0]):
                    break
                if _is_negation(b_word, lexicon):
                    negations += 1
                else:
                    scalar = lexicon.boosters.get(b_word)
                    if scalar:
                        scalar = scalar if valence > 0 else -scalar
                        if cap_differential and caps[before]:
                            scalar += C_INCR if valence > 0 else -C_INCR
                        valence += scalar * (1.0, 0.95, 0.9)[distance - 1]
            # Negative concord: in Portuguese, Italian and Bulgarian "não… nada", "non…
            # mai", "никак не" are one negation; in English two cancel out.
            if negations % 2 or (negations and lexicon.language != "en"):
                valence *= N_SCALAR
            if contrast_at >= 0:
                valence *= 0.5 if position < contrast_at else 1.5
        total += valence
        evidence.append(
            {"start": start, "end": end, "word": text[start:end], "weight": round(valence, 3)}
        )
    if total:
        emphasis = _emphasis(text)
        total += emphasis if total > 0 else -emphasis
    evidence.sort(key=lambda e: e["start"])
    return round(normalize(total), 4), evidence
