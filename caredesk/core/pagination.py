"""Keyset pagination, for every list that pages: a page is "the rows after this key" in the
list's order, never an OFFSET, so page 20,000 costs what page 1 costs (given an index that
leads with the order's column).

Two kinds of cursor:
- `(at, id)` cursors (`encode_cursor`/`decode_cursor`, `keyset_page`): the ticket list and the
  response list, newest first by a timestamp column and the id, both directions. The cursor
  is the key of the row at the page's edge, base64 so it reads as one opaque token.
- id cursors (`decode_id_cursor`, `id_page`): the API's conversation list and journey
  timelines, older pages only; the cursor is the id of the last row shown.

Either decoder returns None for anything it did not make; the caller says which field was
wrong (`NOT_A_CURSOR`)."""

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

T = TypeVar("T")

NOT_A_CURSOR = gettext_lazy("Not a cursor returned by this API.")


def encode_cursor(at: dt.datetime, pk: int) -> str:
    raw = f"{at.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, pk = raw.split("|")
        return dt.datetime.fromisoformat(at), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def older_than(field: str, at, pk: int) -> Q:
    """Rows after (at, pk) in the order (-field, -id)."""
    return Q(**{f"{field}__lt": at}) | Q(**{field: at, "id__lt": pk})


def newer_than(field: str, at, pk: int) -> Q:
    """Rows after (at, pk) in the order (field, id)."""
    return Q(**{f"{field}__gt": at}) | Q(**{field: at, "id__gt": pk})


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None  # older rows
    prev_cursor: str | None  # newer rows


def keyset_page(qs: QuerySet, field: str, *, after: str = "", before: str = "", size: int) -> Page:
    """One page of `qs`, newest first by (`field`, id). `after` (a next_cursor) continues to
    older rows, `before` (a prev_cursor) goes back to newer ones; a cursor that does not
    decode is ignored (the first page)."""

    def cursor(row) -> str:
        return encode_cursor(getattr(row, field), row.pk)

    if before and (key := decode_cursor(before)):
        at, pk = key
        rows = list(qs.filter(newer_than(field, at, pk)).order_by(field, "id")[: size + 1])
        items = list(reversed(rows[:size]))
        return Page(
            items=items,
            next_cursor=cursor(items[-1]) if items else None,
            prev_cursor=cursor(items[0]) if items and len(rows) > size else None,
        )
    if after and (key := decode_cursor(after)):
        at, pk = key
        qs = qs.filter(older_than(field, at, pk))
    rows = list(qs.order_by(f"-{field}", "-id")[: size + 1])
    items = rows[:size]
    return Page(
        items=items,
        next_cursor=cursor(items[-1]) if len(rows) > size else None,
        prev_cursor=cursor(items[0]) if after and items else None,
    )


def decode_id_cursor(cursor: str) -> int | None:
    """The id an id cursor names; None for anything else (and for no cursor)."""
    if not cursor.isdigit():
        return None
    try:
        return int(cursor)
    except ValueError:  # digits int() does not read, e.g. "²"
        return None


def id_page(rows: list[T], limit: int) -> tuple[list[T], str | None]:
    """`rows`: up to limit + 1 rows read in the list's order. The page, and the cursor of the
    next one (the id of its last row), None on the last page."""
    items = rows[:limit]
    return items, (str(items[-1].pk) if len(rows) > limit else None)
