"""What a client may send, checked by the services before anything is written.

SQLite stores a string of any length and a NUL character; PostgreSQL refuses both with a
server error. Checking here, against the column's length, gives both databases the same
answer: a 400 naming the field. The count caps keep one record from growing without bound
(3,000 tags on a ticket, 2,000 emails on a contact)."""

import datetime as dt
import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.core.errors import FieldErrors

NUL = "\x00"
NUL_MESSAGE = gettext_lazy("Contains a NUL character (\\u0000), which cannot be stored.")

# Count caps.
MAX_TAGS = 50  # on one ticket or one activity
MAX_EMAILS = 20  # of one contact
MAX_PHONES = 20  # of one contact
MAX_KEYS = 50  # of a free-form object (transaction data, answers, pre-chat, visitor)
MAX_DEPTH = 5  # nesting of a free-form value

# Lengths of free text kept in a TextField: large, but not unbounded.
MAX_BODY = 10_000


def text_error(value, max_length: int | None = None) -> str | None:
    """Why `value` cannot be stored as text of at most max_length characters, or None."""
    if not isinstance(value, str):
        return "A text."
    if NUL in value:
        return str(NUL_MESSAGE)
    if max_length is not None and len(value) > max_length:
        return _("At most %(n)s characters.") % {"n": max_length}
    return None


def text_errors(*checks) -> dict[str, str]:
    """Errors for (value, field, max_length) triples; a None value is not checked."""
    errors: dict[str, str] = {}
    for value, field, max_length in checks:
        if value is not None and (error := text_error(value, max_length)):
            errors.setdefault(field, error)
    return errors


def check_text(value, field: str, max_length: int | None = None) -> None:
    """FieldErrors unless `value` (None allowed) can be stored as text of max_length."""
    if errors := text_errors((value, field, max_length)):
        raise FieldErrors(errors)


def texts_error(values, max_length: int | None, cap: int | None) -> str | None:
    """Why a list of texts cannot be stored (too many, or one that is not storable)."""
    if not isinstance(values, list | tuple):
        return "A list of texts."
    if cap is not None and len(values) > cap:
        return _("At most %(n)s.") % {"n": cap}
    for value in values:
        if error := text_error(value, max_length):
            return f"{error} ({_show(value)})"
    return None


def check_texts(values, field: str, max_length: int | None, cap: int | None) -> None:
    if values is not None and (error := texts_error(values, max_length, cap)):
        raise FieldErrors.one(field, error)


def json_error(value, *, max_keys: int = MAX_KEYS, max_depth: int = MAX_DEPTH) -> str | None:
    """Why a free-form JSON value cannot be stored: a NUL in a key or a text (PostgreSQL's
    jsonb refuses it), too many keys in one object, or nested too deeply."""

    def walk(v, depth: int) -> str | None:
        if depth > max_depth:
            return _("Nested more than %(n)s levels deep.") % {"n": max_depth}
        if isinstance(v, str):
            return str(NUL_MESSAGE) if NUL in v else None
        if isinstance(v, dict):
            if len(v) > max_keys:
                return _("At most %(n)s keys.") % {"n": max_keys}
            for k, item in v.items():
                if isinstance(k, str) and NUL in k:
                    return str(NUL_MESSAGE)
                if error := walk(item, depth + 1):
                    return error
        elif isinstance(v, list | tuple):
            if len(v) > max_keys:
                return _("At most %(n)s items.") % {"n": max_keys}
            for item in v:
                if error := walk(item, depth + 1):
                    return error
        return None

    return walk(value, 0)


def check_datetime(value: dt.datetime, field: str) -> dt.datetime:
    """An aware date and time that can be stored: the databases keep UTC, and 0001-01-01 at
    00:00+01:00 is before the first date Python (SQLite's side) can express in UTC."""
    try:
        value.astimezone(dt.UTC)
    except OverflowError:
        raise FieldErrors.one(field, _("Out of the range of dates that can be stored.")) from None
    return value


def has_nul(value) -> bool:
    """A NUL character in any text or key of a JSON value (iterative: any depth)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if NUL in v:
                return True
        elif isinstance(v, dict):
            if any(isinstance(k, str) and NUL in k for k in v):
                return True
            stack.extend(v.values())
        elif isinstance(v, list | tuple):
            stack.extend(v)
    return False


def check_json(value, field: str, **limits) -> None:
    if error := json_error(value, **limits):
        raise FieldErrors.one(field, error)


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class JSONError(ValueError):
    """Why a request body or a socket message is not JSON that can be stored."""


def json_loads(raw: bytes | str, what: str = "The body"):
    """JSON as the standard defines it. Python's json module also reads NaN and Infinity, which
    no JSON column can store (PostgreSQL refuses them with a server error), and fails with a
    RecursionError, not a ValueError, on a value nested a few thousand levels deep. `what` is
    how the errors name the text ("The body is not JSON.")."""

    def no_constants(name: str):
        raise JSONError(f"{what} has {name}, which is not a JSON number.")

    try:
        return json.loads(raw, parse_constant=no_constants)
    except JSONError:
        raise
    except RecursionError:
        raise JSONError(f"{what} is nested too deeply.") from None
    except (ValueError, UnicodeDecodeError):
        raise JSONError(f"{what} is not JSON.") from None
