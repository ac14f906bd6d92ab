"""The published accuracy: `caredesk analysis-accuracy` prints per language the detection
accuracy, sentiment accuracy and macro-F1 of the dev half, the held-out half and both."""

import json
import re
from pathlib import Path

from django.core.management import call_command

from caredesk.analysis import accuracy

LANGUAGES = ("en", "pt", "it", "bg")


def test_the_sets_are_labelled_and_split():
    for language in LANGUAGES:
        items = accuracy.load(language)
        assert len(items) >= 290
        assert {i["language"] for i in items} == {language}
        assert {i["sentiment"] for i in items} == {"negative", "neutral", "positive"}
        assert {i["split"] for i in items} == {"dev", "test"}
        assert abs(sum(i["split"] == "dev" for i in items) * 2 - len(items)) <= 3
        assert len({i["text"] for i in items}) == len(items)


def test_the_command_prints_a_line_per_language_and_split(capsys):
    call_command("analysis_accuracy")
    out = capsys.readouterr().out
    rows = re.findall(
        r"^(en|pt|it|bg)\s+(dev|test|all)\s+(\d+)\s+([\d.]+)%\s+([\d.]+)%\s+([\d.]+)$", out, re.M
    )
    assert [(r[0], r[1]) for r in rows] == [
        (language, split) for language in LANGUAGES for split in ("dev", "test", "all")
    ]
    for language, split, count, detection, sentiment, f1 in rows:
        assert int(count) == len(
            [i for i in accuracy.load(language) if split == "all" or i["split"] == split]
        )
        # A floor that catches a broken lexicon or model, not a target.
        assert float(detection) >= 95.0
        assert float(sentiment) >= 70.0
        assert float(f1) >= 0.65
    for language in LANGUAGES:
        assert f"{language} confusion" in out


def test_one_language(capsys):
    call_command("analysis_accuracy", language=["bg"])
    out = capsys.readouterr().out
    assert re.findall(r"^(\w\w) +(dev|test|all) ", out, re.M) == [
        ("bg", "dev"),
        ("bg", "test"),
        ("bg", "all"),
    ]


def test_the_confusion_counts_add_up():
    scores = accuracy.evaluate("it")
    total = scores["all"]
    assert sum(total.confusion.values()) == total.count
    assert total.count == scores["dev"].count + scores["test"].count
    assert total.correct == sum(total.confusion[(label, label)] for label in accuracy.LABELS)


def test_the_files_are_json_lines():
    folder = Path(accuracy.EVALUATION_DIR)
    for language in LANGUAGES:
        for line in (folder / f"{language}.jsonl").read_text(encoding="utf-8").splitlines():
            assert set(json.loads(line)) == {"text", "sentiment", "language", "split"}
