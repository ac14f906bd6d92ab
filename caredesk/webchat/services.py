"""Writes and checks of the chat widget: its per-workspace settings, and the pre-chat answers
a customer sends with `start` (checked against those settings)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from caredesk.core.errors import FieldErrors
from caredesk.webchat import selectors
from caredesk.webchat.models import WidgetSettings
from caredesk.workspaces.models import Workspace

FIELD_TYPES = ("text", "email", "select")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 10
MAX_OPTIONS = 50
MAX_ANSWER = 500


def fields_clean(fields) -> list[dict]:
    def bad(message):
        return FieldErrors.one("pre_chat_fields", message)

    if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
        raise bad(f"A list of at most {MAX_FIELDS} fields.")
    cleaned, keys = [], set()
    for n, field in enumerate(fields, 1):
        if not isinstance(field, dict):
            raise bad(f"Field {n} is not an object.")
        key = field.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            raise bad(f"Field {n}: key is 1 to 40 lower-case letters, digits or _.")
        if key in keys:
            raise bad(f"Field {n}: the key {key} is used twice.")
        keys.add(key)
        label = field.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > 100:
            raise bad(f"Field {key}: label is text of 1 to 100 characters.")
        kind = field.get("type", "text")
        if kind not in FIELD_TYPES:
            raise bad(f"Field {key}: type is one of {', '.join(FIELD_TYPES)}.")
        options = field.get("options") or []
        if not isinstance(options, list) or len(options) > MAX_OPTIONS:
            raise bad(f"Field {key}: options is a list of at most {MAX_OPTIONS} texts.")
        if any(not isinstance(o, str) or not o.strip() or len(o) > 100 for o in options):
            raise bad(f"Field {key}: each option is text of 1 to 100 characters.")
        if kind == "select" and not options and key != "topic":
            raise bad(f"Field {key}: a select needs options (only topic defaults to the queues).")
        cleaned.append(
            {
                "key": key,
                "label": label.strip(),
                "type": kind,
                "required": bool(field.get("required", False)),
                **({"options": [o.strip() for o in options]} if kind == "select" else {}),
            }
        )
    return cleaned


def widget_settings_set(
    *,
    workspace: Workspace,
    enabled: bool | None = None,
    title: str | None = None,
    greeting: str | None = None,
    pre_chat_fields: list | None = None,
) -> WidgetSettings:
    """Create or update the workspace's widget settings; only the arguments given change."""
    errors = {}
    if title is not None and (not isinstance(title, str) or not 1 <= len(title.strip()) <= 100):
        errors["title"] = "Title is text of 1 to 100 characters."
    if greeting is not None and (not isinstance(greeting, str) or len(greeting) > 500):
        errors["greeting"] = "Greeting is text of at most 500 characters."
    if enabled is not None and not isinstance(enabled, bool):
        errors["enabled"] = "Enabled is true or false."
    fields = None
    if pre_chat_fields is not None:
        try:
            fields = fields_clean(pre_chat_fields)
        except FieldErrors as exc:
            errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    settings = selectors.widget_settings(workspace)
    if enabled is not None:
        settings.enabled = enabled
    if title is not None:
        settings.title = title.strip()
    if greeting is not None:
        settings.greeting = greeting.strip()
    if fields is not None:
        settings.pre_chat_fields = fields
    settings.save()
    return settings


def pre_chat_clean(*, workspace: Workspace, pre_chat):
    """Check the answers to the workspace's pre-chat survey; errors are keyed
    `pre_chat.<key>` so the widget can show each under its field. Answers are trimmed; other
    keys pass through unchanged, and anything that is not an object is left for the routing
    service to refuse."""
    if not isinstance(pre_chat, dict):
        return pre_chat
    answers = dict(pre_chat)
    errors = {}
    for field in selectors.pre_chat_fields(workspace):
        key, label = field["key"], field["label"]
        value = answers.get(key)
        if isinstance(value, str):
            value = value.strip()
            answers[key] = value
        if value is None or value == "":
            answers.pop(key, None)
            if field["required"]:
                errors[f"pre_chat.{key}"] = f"{label} is required."
            continue
        if not isinstance(value, str) or len(value) > MAX_ANSWER:
            errors[f"pre_chat.{key}"] = f"{label} is text of at most {MAX_ANSWER} characters."
        elif field["type"] == "email":
            try:
                validate_email(value)
            except ValidationError:
                errors[f"pre_chat.{key}"] = f"{label}: enter a valid email address."
        elif field["type"] == "select" and field["options"] and value not in field["options"]:
            errors[f"pre_chat.{key}"] = f"{label}: choose one of the options."
    if errors:
        raise FieldErrors(errors)
    return answers
