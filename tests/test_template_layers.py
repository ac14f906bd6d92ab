"""Templates follow the apps' layers too: the desk's and the journey's templates (rendered by
routing and journey) load no tag library of an app above journey — import-linter cannot see a
`{% load %}`. What those apps show on journey's pages comes through journey's registries
(timeline sources, activity marks)."""

import re
import tomllib
from pathlib import Path

from django.template import engines

ROOT = Path(__file__).resolve().parents[1]
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def _layer_of() -> dict[str, int]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    return {
        app.strip(): i for i, layer in enumerate(contract["layers"]) for app in layer.split("|")
    }


def test_desk_and_journey_templates_load_no_library_of_an_app_above_journey():
    layer = _layer_of()
    libraries = engines["django"].engine.libraries  # name -> module path
    wrong = []
    for path in sorted((ROOT / "caredesk/templates").glob("*/**/*.html")):
        if path.relative_to(ROOT / "caredesk/templates").parts[0] not in ("desk", "journey"):
            continue
        for names in LOAD.findall(path.read_text()):
            for name in names.split():
                parts = libraries.get(name, "").split(".")
                if parts[0] == "caredesk" and layer.get(parts[1], 99) < layer["journey"]:
                    wrong.append(f"{path.name}: {name} ({parts[1]})")
    assert wrong == []
