"""django-ninja names an OpenAPI component after the schema class: two classes of one name in
two routers silently become one component, and the document then describes one of them wrong
(schemathesis caught CriterionOut of calibrations answering with the scorecards' shape)."""

import importlib
import pkgutil
from collections import defaultdict

from ninja import Schema

import caredesk.api


def test_every_schema_class_of_the_api_has_its_own_name():
    where = defaultdict(set)
    for module in pkgutil.iter_modules(caredesk.api.__path__):
        mod = importlib.import_module(f"caredesk.api.{module.name}")
        for value in vars(mod).values():
            if isinstance(value, type) and issubclass(value, Schema) and value is not Schema:
                if value.__module__ == mod.__name__:
                    where[value.__name__].add(mod.__name__)
    assert {name: mods for name, mods in where.items() if len(mods) > 1} == {}
