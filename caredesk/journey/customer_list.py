"""Reads for the Customers page: the organization's customers (contacts) and accounts, found by
name, email or phone, a page at a time.

Pages are keyset pages in (name, id) order: the cursor is the key of the last row shown, so a
far page costs what the first one does (core.pagination's rule for every list that pages)."""

import base64
import json
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from caredesk.customers.models import Account, Contact
from caredesk.customers.selectors import contact_ids_matching

PAGE_SIZE = 50
# Longer than any name, email or phone stored (customers.selectors.MAX_QUERY).
MAX_QUERY = 254


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode(name: str, pk: int) -> str:
    raw = json.dumps([name, pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, pk = json.loads(raw)
        if isinstance(name, str) and isinstance(pk, int):
            return name, pk
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    return None


def _page(qs: QuerySet, after: str, size: int | None) -> Page:
    size = size or PAGE_SIZE
    key = _decode(after) if after else None
    if key is not None:
        name, pk = key
        qs = qs.filter(Q(name__gt=name) | Q(name=name, id__gt=pk))
    rows = list(qs.order_by("name", "id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, _encode(rows[-1].name, rows[-1].pk) if more and rows else None)


def customers_page(*, organization_id: int, q: str = "", after: str = "", size=None) -> Page:
    """Customers of the organization whose name contains q, or whose email or phone starts
    with it."""
    q = (q or "").strip()[:MAX_QUERY]
    mine = {"organization_id": organization_id}
    qs = Contact.objects.filter(**mine)
    if q:
        qs = qs.filter(pk__in=contact_ids_matching(organization_id, q))
    qs = qs.select_related("account").prefetch_related("emails", "phones")
    return _page(qs, after, size)


def accounts_page(*, organization_id: int, q: str = "", after: str = "", size=None) -> Page:
    """Accounts of the organization whose name contains q, with their number of customers."""
    q = (q or "").strip()[:MAX_QUERY]
    qs = Account.objects.filter(organization_id=organization_id)
    if q:
        qs = qs.filter(name__icontains=q)
    return _page(qs.annotate(customer_count=Count("contacts")), after, size)
