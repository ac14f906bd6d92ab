"""Writes and checks of the chat widget: its per-workspace settings, and the pre-chat answers
a customer sends with `start` (checked against those settings)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import LANGUAGE_CODES, supported
from caredesk.webchat import selectors
from caredesk.webchat.models import WidgetSettings
from caredesk.workspaces.models import Workspace

FIELD_TYPES = ("text", "email", "select")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 10
MAX_OPTIONS = 50
MAX_ANSWER = 500
MAX_TITLE = 100
MAX_GREETING = 500
MAX_LABEL = 100


def _labels_clean(labels, key: str) -> dict[str, str]:
    """A field's label per language: {lang: text}, blank ones left out."""
    if labels is None:
        return {}
    if not isinstance(labels, dict) or any(lang not in LANGUAGE_CODES for lang in labels):
        raise FieldErrors.one(
            "pre_chat_fields",
            _("Field %(key)s: labels are given per language, one of %(languages)s.")
            % {"key": key, "languages": ", ".join(LANGUAGE_CODES)},
        )
    cleaned = {}
    for lang, text in labels.items():
        if not isinstance(text, str) or len(text.strip()) > MAX_LABEL:
            raise FieldErrors.one(
                "pre_chat_fields",
                _("Field %(key)s: a label is text of 1 to %(max)s characters.")
                % {"key": key, "max": MAX_LABEL},
            )
        if text.strip():
            cleaned[lang] = text.strip()
    return cleaned


def fields_clean(fields) -> list[dict]:
    def bad(message):
        return FieldErrors.one("pre_chat_fields", message)

    if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
        raise bad(_("A list of at most %(max)s fields.") % {"max": MAX_FIELDS})
    cleaned, keys = [], set()
    for n, field in enumerate(fields, 1):
        if not isinstance(field, dict):
            raise bad(_("Field %(n)s is not an object.") % {"n": n})
        key = field.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            raise bad(
                _(
                    "Field %(n)s: the key is 1 to 40 lower-case letters, digits or _, "
                    "starting with a letter."
                )
                % {"n": n}
            )
        if key in keys:
            raise bad(_("Field %(n)s: the key %(key)s is used twice.") % {"n": n, "key": key})
        keys.add(key)
        label = field.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
            raise bad(
                _("Field %(key)s: the label is text of 1 to %(max)s characters.")
                % {"key": key, "max": MAX_LABEL}
            )
        labels = _labels_clean(field.get("labels"), key)
        kind = field.get("type", "text")
        if kind not in FIELD_TYPES:
            raise bad(
                _("Field %(key)s: the type is one of %(types)s.")
                % {"key": key, "types": ", ".join(FIELD_TYPES)}
            )
        options = field.get("options") or []
        if not isinstance(options, list) or len(options) > MAX_OPTIONS:
            raise bad(
                _("Field %(key)s: the options are a list of at most %(max)s texts.")
                % {"key": key, "max": MAX_OPTIONS}
            )
        if any(not isinstance(o, str) or not o.strip() or len(o) > 100 for o in options):
            raise bad(
                _("Field %(key)s: each option is text of 1 to 100 characters.") % {"key": key}
            )
        if kind == "select" and not options and key != "topic":
            raise bad(
                _("Field %(key)s: a list needs options (only topic offers the queues by itself).")
                % {"key": key}
            )
        cleaned.append(
            {
                "key": key,
                "label": label.strip(),
                **({"labels": labels} if labels else {}),
                "type": kind,
                "required": bool(field.get("required", False)),
                **({"options": [o.strip() for o in options]} if kind == "select" else {}),
            }
        )
    return cleaned


def texts_clean(texts) -> dict[str, dict[str, str]]:
    """{lang: {"title": …, "greeting": …}} for our languages; blank texts are left out."""
    if not isinstance(texts, dict) or any(lang not in LANGUAGE_CODES for lang in texts):
        raise FieldErrors.one(
            "texts",
            _("Texts are given per language, one of %(languages)s.")
            % {"languages": ", ".join(LANGUAGE_CODES)},
        )
    cleaned = {}
    for lang, values in texts.items():
        if not isinstance(values, dict) or set(values) - {"title", "greeting"}:
            raise FieldErrors.one(
                f"texts.{lang}", _("Each language has a title and a greeting, nothing else.")
            )
        title, greeting = values.get("title") or "", values.get("greeting") or ""
        if not isinstance(title, str) or len(title.strip()) > MAX_TITLE:
            raise FieldErrors.one(
                f"texts.{lang}.title",
                _("The title is text of at most %(max)s characters.") % {"max": MAX_TITLE},
            )
        if not isinstance(greeting, str) or len(greeting.strip()) > MAX_GREETING:
            raise FieldErrors.one(
                f"texts.{lang}.greeting",
                _("The greeting is text of at most %(max)s characters.") % {"max": MAX_GREETING},
            )
        kept = {k: v.strip() for k, v in (("title", title), ("greeting", greeting)) if v.strip()}
        if kept:
            cleaned[lang] = kept
    return cleaned


def widget_settings_set(
    *,
    workspace: Workspace,
    enabled: bool | None = None,
    title: str | None = None,
    greeting: str | None = None,
    texts: dict | None = None,
    pre_chat_fields: list | None = None,
) -> WidgetSettings:
    """Create or update the workspace's widget settings; only the arguments given change."""
    errors = {}
    if title is not None and (
        not isinstance(title, str) or not 1 <= len(title.strip()) <= MAX_TITLE
    ):
        errors["title"] = _("The title is text of 1 to %(max)s characters.") % {"max": MAX_TITLE}
    if greeting is not None and (not isinstance(greeting, str) or len(greeting) > MAX_GREETING):
        errors["greeting"] = _("The greeting is text of at most %(max)s characters.") % {
            "max": MAX_GREETING
        }
    if enabled is not None and not isinstance(enabled, bool):
        errors["enabled"] = _("Enabled is true or false.")
    fields = cleaned_texts = None
    if pre_chat_fields is not None:
        try:
            fields = fields_clean(pre_chat_fields)
        except FieldErrors as exc:
            errors.update(exc.errors)
    if texts is not None:
        try:
            cleaned_texts = texts_clean(texts)
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
    if cleaned_texts is not None:
        settings.texts = cleaned_texts
    if fields is not None:
        settings.pre_chat_fields = fields
    settings.save()
    return settings


def chat_language(sent, accept_language: str, workspace: Workspace) -> str:
    """The language a chat is held in: the one the widget shows (sent with `start`), else the
    browser's, else the workspace's."""
    found = supported(sent) if isinstance(sent, str) else None
    if not found:
        for tag in (accept_language or "").split(","):
            found = supported(tag.split(";")[0])
            if found:
                break
    return found or supported(workspace.language) or "en"


def pre_chat_clean(*, workspace: Workspace, pre_chat, language: str | None = None):
    """Check the answers to the workspace's pre-chat form; errors are keyed
    `pre_chat.<key>` so the widget can show each under its field, in the customer's
    `language` with the field's label in it. Answers are trimmed; other keys pass through
    unchanged, and anything that is not an object is left for the routing service to
    refuse."""
    if not isinstance(pre_chat, dict):
        return pre_chat
    answers = dict(pre_chat)
    errors = {}
    with translation.override(supported(language) or translation.get_language()):
        for field in selectors.pre_chat_fields(workspace, language=language):
            key, label = field["key"], field["label"]
            value = answers.get(key)
            if isinstance(value, str):
                value = value.strip()
                answers[key] = value
            if value is None or value == "":
                answers.pop(key, None)
                if field["required"]:
                    errors[f"pre_chat.{key}"] = _("%(label)s is required.") % {"label": label}
                continue
            if not isinstance(value, str) or len(value) > MAX_ANSWER:
                errors[f"pre_chat.{key}"] = _(
                    "%(label)s is text of at most %(max)s characters."
                ) % {"label": label, "max": MAX_ANSWER}
            elif field["type"] == "email":
                try:
                    validate_email(value)
                except ValidationError:
                    errors[f"pre_chat.{key}"] = _("%(label)s: enter a valid email address.") % {
                        "label": label
                    }
            elif field["type"] == "select" and field["options"] and value not in field["options"]:
                errors[f"pre_chat.{key}"] = _("%(label)s: choose one of the options.") % {
                    "label": label
                }
    if errors:
        raise FieldErrors(errors)
    return answers
