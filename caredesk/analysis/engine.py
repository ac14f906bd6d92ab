"""The offline analysis engine: language, sentiment, topics, signals and keyphrases of a
conversation (or of one text), each with its evidence. Pure Python over packaged data: no
Django, no database, no download; docs/analysis.md explains the methods and their accuracy.

    result = analyse([Unit("My order never arrived"), Unit("Sorry to hear that", "agent")],
                     taxonomy=Taxonomy.from_topics(topics), language="en")

Offsets in evidence are character offsets into the unit's text (Python str indices)."""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from caredesk.analysis import keyphrases as _keyphrases
from caredesk.analysis import sentiment as _sentiment
from caredesk.analysis import signals as _signals
from caredesk.analysis.language import detect_language
from caredesk.analysis.matcher import PhraseMatcher
from caredesk.analysis.text import LANGUAGES, fold, lemmas, words

__all__ = [
    "LANGUAGES",
    "Result",
    "Taxonomy",
    "Unit",
    "analyse",
    "detect_language",
    "keyphrases",
    "sentiment_of",
    "suggest_topics",
]

SIDES = ("customer", "agent", "other")
# Language identification reads at most this much of a conversation's customer text.
DETECT_CHARS = 600
keyphrases = _keyphrases.keyphrases
suggest_topics = _keyphrases.suggest_topics


@dataclass(frozen=True)
class Unit:
    """One message / transcript segment / text, and who said it."""

    text: str
    side: str = "customer"


@dataclass
class Result:
    """Mirrors analysis.models.Analysis (see its docstring for the shapes of units,
    signals and keyphrases); `topics` is [(topic_id, [{"unit", "start", "end", "phrase"}])].
    Sentiments are None where there is nothing to average (no customer unit, …)."""

    language: str = ""
    sentiment: float | None = None
    label: str = ""
    customer_sentiment: float | None = None
    agent_sentiment: float | None = None
    start_sentiment: float | None = None
    end_sentiment: float | None = None
    units: list[dict] = field(default_factory=list)
    signals: list[dict] = field(default_factory=list)
    keyphrases: list[str] = field(default_factory=list)
    topics: list[tuple[int, list[dict]]] = field(default_factory=list)

    def fields(self) -> dict:
        """The values of Analysis's fields of the same names (all but topics)."""
        values = asdict(self)
        values.pop("topics")
        return values


class Taxonomy:
    """A workspace's topics compiled into one phrase matcher.

    - Phrases apply to texts of their language ({"pt": [...]}; "pt-br" is "pt"); phrases
      under "*" apply to every language (brand and product names). A text whose language is
      unknown is matched against every language's phrases.
    - An inactive topic is skipped, and so are its descendants (deactivating a branch).
    - A child topic's hit also counts for each of its ancestors, with the same evidence, so a
      parent's volume includes its children's ("Billing" counts "Billing › Refund").
    `from_topics` returns the same compiled object while the topics are unchanged."""

    _cache: OrderedDict[str, Taxonomy] = OrderedDict()
    _lock = threading.Lock()
    CACHE_SIZE = 64

    def __init__(self, matcher: PhraseMatcher, ancestors: dict[int, tuple[int, ...]], stamp: str):
        self.matcher = matcher
        self.ancestors = ancestors
        self.stamp = stamp

    @property
    def topic_ids(self) -> list[int]:
        return list(self.ancestors)

    @classmethod
    def from_topics(cls, topics: Iterable) -> Taxonomy:
        """Topic rows (or any objects with id, parent_id, phrases, is_active)."""
        rows = sorted(
            (
                (
                    t.id,
                    getattr(t, "parent_id", None),
                    bool(getattr(t, "is_active", True)),
                    getattr(t, "phrases", None) or {},
                )
                for t in topics
            ),
            key=lambda row: row[0],
        )
        stamp = _fingerprint(rows)
        with cls._lock:
            cached = cls._cache.get(stamp)
            if cached is not None:
                cls._cache.move_to_end(stamp)
                return cached
        taxonomy = cls._compile(rows, stamp)
        with cls._lock:
            cls._cache[stamp] = taxonomy
            while len(cls._cache) > cls.CACHE_SIZE:
                cls._cache.popitem(last=False)
        return taxonomy

    @classmethod
    def _compile(cls, rows, stamp: str) -> Taxonomy:
        parent_of = {row[0]: row[1] for row in rows}
        active = {row[0]: row[2] for row in rows}

        def chain(topic_id):
            """The topic's ancestors (nearest first), or None when it or one is inactive."""
            found = []
            seen = {topic_id}
            parent = parent_of.get(topic_id)
            while parent is not None and parent in parent_of and parent not in seen:
                if not active[parent]:
                    return None
                found.append(parent)
                seen.add(parent)
                parent = parent_of.get(parent)
            return tuple(found)

        matcher = PhraseMatcher()
        ancestors: dict[int, tuple[int, ...]] = {}
        for topic_id, _parent, is_active, phrases in rows:
            if not is_active:
                continue
            line = chain(topic_id)
            if line is None:
                continue
            ancestors[topic_id] = line
            if not isinstance(phrases, dict):
                continue
            for language, items in phrases.items():
                code = str(language)[:2].lower() if language != "*" else "*"
                if isinstance(items, str):
                    items = [items]
                targets = LANGUAGES if code == "*" else (code,) if code in LANGUAGES else ()
                for phrase in items or ():
                    if not isinstance(phrase, str) or not phrase.strip():
                        continue
                    for target in targets:
                        matcher.add(target, phrase, topic_id)
        return cls(matcher, ancestors, stamp)

    def match(self, prepared: list[_Prepared], language: str) -> list[tuple[int, list[dict]]]:
        languages = [language] if language in LANGUAGES else sorted(self.matcher.languages())
        evidence: dict[int, list[dict]] = {}
        for index, unit in enumerate(prepared):
            if not unit.tokens:
                continue
            for lang in languages:
                tokens, lemmas = unit.for_language(lang)
                for hit in self.matcher.find(tokens, lemmas, lang):
                    item = {"unit": index, "start": hit.start, "end": hit.end, "phrase": hit.phrase}
                    for topic_id in (hit.key, *self.ancestors.get(hit.key, ())):
                        bucket = evidence.setdefault(topic_id, [])
                        if item not in bucket:
                            bucket.append(item)
        return list(evidence.items())


def _fingerprint(rows) -> str:
    import hashlib

    payload = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


class _Prepared:
    """A unit's folded text, tokens and lemmas, computed once for every analyser."""

    __slots__ = ("text", "side", "folded", "language", "tokens", "lemmas", "_other")

    def __init__(self, text: str, side: str, language: str):
        self.text = text
        self.side = side
        self.folded = fold(text)
        self.language = language
        self.tokens = words(self.folded, language)
        self.lemmas = lemmas(self.tokens, language)
        self._other: dict[str, tuple] = {}

    def for_language(self, language: str):
        if language == self.language:
            return self.tokens, self.lemmas
        if language not in self._other:
            tokens = words(self.folded, language)
            self._other[language] = (tokens, lemmas(tokens, language))
        return self._other[language]


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def sentiment_of(text: str, language: str = "") -> tuple[float, str, list[dict]]:
    """(score in [-1, 1], label, evidence) of one text; the language is detected when not
    given (English rules when it cannot be told)."""
    text = text if isinstance(text, str) else str(text or "")
    language = language[:2].lower() if language else ""
    if language not in LANGUAGES:
        language = detect_language(text) or "en"
    value, evidence = _sentiment.score_text(text, language)
    return value, _sentiment.label_of(value), evidence


def analyse(
    units: list[Unit],
    taxonomy: Taxonomy | None = None,
    language: str = "",
    top_keyphrases: int = 8,
) -> Result:
    """Analyse a conversation (or a single text as one unit). `language` is a hint (the
    workspace's or the segment's) used when the text is too short to tell."""
    items = []
    for unit in units or ():
        if isinstance(unit, str):
            unit = Unit(unit)
        text = unit.text if isinstance(unit.text, str) else str(unit.text or "")
        side = unit.side if unit.side in SIDES else "other"
        items.append((text, side))

    customer_text = "\n".join(t for t, s in items if s == "customer" and t.strip())
    sample = (customer_text or "\n".join(t for t, _ in items))[:DETECT_CHARS]
    detected = detect_language(sample, hint=language)
    scoring_language = detected or "en"

    prepared = [_Prepared(text, side, scoring_language) for text, side in items]
    result = Result(language=detected)
    by_side: dict[str, list[float]] = {"customer": [], "agent": [], "other": []}
    customer_scores: list[float] = []
    earlier_sets: list[tuple[int, frozenset]] = []
    for index, unit in enumerate(prepared):
        value, evidence = _sentiment.score(
            unit.text, unit.folded, unit.tokens, unit.lemmas, scoring_language
        )
        result.units.append(
            {
                "side": unit.side,
                "text": unit.text,
                "sentiment": value,
                "label": _sentiment.label_of(value),
                "evidence": evidence,
            }
        )
        if not unit.text.strip():
            continue
        by_side[unit.side].append(value)
        if unit.side != "customer":
            continue
        customer_scores.append(value)
        result.signals.extend(_signals.phrase_signals(unit.folded, unit.text, detected, index))
        word_set = frozenset(unit.lemmas)
        duplicate = _signals.duplicate_signal(index, unit.text, word_set, earlier_sets)
        if duplicate and not any(
            s["unit"] == index and s["kind"] == _signals.REPETITION for s in result.signals
        ):
            result.signals.append(duplicate)
        earlier_sets.append((index, word_set))

    result.customer_sentiment = _mean(by_side["customer"])
    result.agent_sentiment = _mean(by_side["agent"])
    overall = customer_scores or by_side["agent"] + by_side["other"]
    result.sentiment = _mean(overall)
    result.label = _sentiment.label_of(result.sentiment) if result.sentiment is not None else ""
    if customer_scores:
        third = max(1, math.ceil(len(customer_scores) / 3))
        result.start_sentiment = _mean(customer_scores[:third])
        result.end_sentiment = _mean(customer_scores[-third:])

    if taxonomy is not None and taxonomy.matcher:
        result.topics = taxonomy.match(prepared, detected)
    if top_keyphrases > 0:
        document = customer_text or "\n".join(t for t, _ in items)
        result.keyphrases = _keyphrases.keyphrases(document, scoring_language, top_keyphrases)
    return result
