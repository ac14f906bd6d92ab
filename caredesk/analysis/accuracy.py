"""Accuracy of the engine on the labelled sets in evaluation/ (`caredesk analysis-accuracy`).

Each set is split in two halves (the "split" field): "dev" is the half we may look at when
curating the lexicons, "test" is held out. Sentiment is scored with the set's own language,
so a detection error does not count twice; detection is measured on its own, without a hint."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field

from caredesk.analysis.language import detect_language
from caredesk.analysis.sentiment import label_of, score_text
from caredesk.analysis.text import LANGUAGES

EVALUATION_DIR = os.path.join(os.path.dirname(__file__), "evaluation")
LABELS = ("negative", "neutral", "positive")
SPLITS = ("dev", "test", "all")


def load(language: str) -> list[dict]:
    path = os.path.join(EVALUATION_DIR, f"{language}.jsonl")
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class Score:
    language: str
    split: str
    count: int = 0
    detected: int = 0
    correct: int = 0
    # (gold, predicted) → count
    confusion: Counter = field(default_factory=Counter)

    @property
    def detection_accuracy(self) -> float:
        return self.detected / self.count if self.count else 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.count if self.count else 0.0

    @property
    def macro_f1(self) -> float:
        scores = []
        for label in LABELS:
            tp = self.confusion[(label, label)]
            predicted = sum(n for (g, p), n in self.confusion.items() if p == label)
            actual = sum(n for (g, p), n in self.confusion.items() if g == label)
            precision = tp / predicted if predicted else 0.0
            recall = tp / actual if actual else 0.0
            scores.append(
                2 * precision * recall / (precision + recall) if precision + recall else 0.0
            )
        return sum(scores) / len(scores)


def evaluate(language: str, items: list[dict] | None = None) -> dict[str, Score]:
    """Scores of one language's set, per split and overall."""
    items = load(language) if items is None else items
    scores = {split: Score(language, split) for split in SPLITS}
    for item in items:
        text = item["text"]
        gold = item["sentiment"]
        value, _evidence = score_text(text, item.get("language") or language)
        predicted = label_of(value)
        detected = detect_language(text) == (item.get("language") or language)
        for split in (item.get("split", "test"), "all"):
            score = scores.setdefault(split, Score(language, split))
            score.count += 1
            score.detected += detected
            score.correct += predicted == gold
            score.confusion[(gold, predicted)] += 1
    return scores


def report(languages=LANGUAGES) -> list[str]:
    """The printed table: one line per language and split, then the confusion counts."""
    lines = [f"{'language':8} {'split':5} {'n':>4} {'lang-id':>8} {'accuracy':>9} {'macro-F1':>9}"]
    details = []
    for language in languages:
        scores = evaluate(language)
        for split in SPLITS:
            s = scores[split]
            lines.append(
                f"{language:8} {split:5} {s.count:>4} {s.detection_accuracy:>8.1%} "
                f"{s.accuracy:>9.1%} {s.macro_f1:>9.3f}"
            )
        all_ = scores["all"]
        details.append(f"{language} confusion (rows gold, columns predicted: neg neu pos)")
        for gold in LABELS:
            row = " ".join(f"{all_.confusion[(gold, p)]:>4}" for p in LABELS)
            details.append(f"  {gold:8} {row}")
    return lines + [""] + details
