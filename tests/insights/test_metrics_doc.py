"""docs/metrics.md has a section for every metric of the catalogue, with the catalogue's own
definition, and each definition names the filters that make its metric not applicable."""

import re
from pathlib import Path

import pytest

from caredesk.insights import metrics
from caredesk.insights.catalogue import CATALOGUE

from .metrics_scene import build, week

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_metric_has_its_section_with_the_catalogues_definition():
    doc = DOC.read_text()
    sections = dict(re.findall(r"^### [^\n]*\(`(\w+)`\)\n(.*?)(?=^### |\Z)", doc, re.M | re.S))
    assert set(sections) == set(CATALOGUE)
    for name, m in CATALOGUE.items():
        assert _flat(str(m.definition)) in _flat(sections[name]), name
        assert f"Dimensions: {', '.join(m.dimensions)}." in sections[name], name


@pytest.mark.parametrize("param", ["survey", "queue", "channel", "topic"])
def test_a_definition_says_when_its_metric_is_not_applicable(world, param):
    scene = build(world)
    a = scene.admin
    values = {
        "survey": [str(scene.nps.pk)],
        "queue": ["Q1"],
        "channel": ["chat", "call", "email", "survey_response"],
        "topic": [str(scene.billing.pk)],
    }[param]
    for name, m in CATALOGUE.items():
        for value in values:
            fig = metrics.figure(a, name, week(a, **{param: value}))
            if fig.value is None and fig.count == 0 and fig.previous_count == 0:
                not_applicable = metrics.filtered(a, name, week(a, **{param: value})) is None
                if not_applicable:
                    assert "not applicable" in str(m.definition), (name, param)
                    words = {"channel": "channel", "survey": "survey", "queue": "queue"}
                    assert words.get(param, param) in str(m.definition), (name, param)
