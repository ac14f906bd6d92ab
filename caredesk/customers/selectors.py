import re

from django.db.models import Q

from caredesk.customers.models import Account, Contact


def contact_search(*, organization_id: int, q: str = "", limit: int = 50):
    """Contacts whose name contains q, or whose email or phone starts with it."""
    qs = Contact.objects.filter(organization_id=organization_id)
    q = (q or "").strip()
    if q:
        cond = Q(name__icontains=q) | Q(emails__email__startswith=q.lower())
        phone = re.sub(r"[\s\-().]", "", q)
        if re.fullmatch(r"\+?\d{3,20}", phone):
            cond |= Q(phones__phone__startswith=phone)
        qs = qs.filter(cond).distinct()
    return list(
        qs.select_related("account")
        .prefetch_related("emails", "phones")
        .order_by("name", "id")[:limit]
    )


def contact_get(*, organization_id: int, contact_id: int) -> Contact | None:
    return (
        Contact.objects.filter(organization_id=organization_id, pk=contact_id)
        .select_related("account")
        .prefetch_related("emails", "phones")
        .first()
    )


def account_search(*, organization_id: int, q: str = "", limit: int = 50):
    qs = Account.objects.filter(organization_id=organization_id)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return list(qs.order_by("name")[:limit])


def account_get(*, organization_id: int, account_id: int) -> Account | None:
    return Account.objects.filter(organization_id=organization_id, pk=account_id).first()
