"""Writes for contacts and accounts."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_EMAILS, MAX_PHONES, check_text, texts_error
from caredesk.customers.models import Account, Contact, ContactEmail, ContactPhone
from caredesk.workspaces.models import Organization

EMAIL_LENGTH = 254  # the columns' length, as RFC 5321 limits an address
NAME_LENGTH = 200


def normalize_email(value: str, field: str = "email") -> str:
    if not isinstance(value, str | None):
        raise FieldErrors.one(field, _("A text."))
    email = (value or "").strip().lower()
    if len(email) > EMAIL_LENGTH:
        raise FieldErrors.one(
            field, _("An email address is at most %(n)s characters.") % {"n": EMAIL_LENGTH}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise FieldErrors.one(field, f"Not a valid email address: {value!r}") from None
    return email


def normalize_phone(value: str, field: str = "phones") -> str:
    if not isinstance(value, str | None):
        raise FieldErrors.one(field, _("A text."))
    raw = (value or "").strip()
    digits = re.sub(r"[\s\-().]", "", raw)
    if not re.fullmatch(r"\+?\d{4,20}", digits):
        raise FieldErrors.one(field, f"Not a valid phone number: {value!r}")
    return digits


def _clean(organization, emails, phones, account_id):
    for values, field, cap in ((emails, "emails", MAX_EMAILS), (phones, "phones", MAX_PHONES)):
        if values is not None and (error := texts_error(values, None, cap)):
            raise FieldErrors.one(field, error)
    emails = [normalize_email(e, "emails") for e in (emails or [])]
    phones = [normalize_phone(p) for p in (phones or [])]
    account = None
    if account_id is not None:
        account = Account.objects.filter(organization=organization, pk=account_id).first()
        if account is None:
            raise FieldErrors.one("account", _("No such account."))
    return list(dict.fromkeys(emails)), list(dict.fromkeys(phones)), account


@transaction.atomic
def contact_create(
    *,
    organization: Organization,
    name: str = "",
    emails=None,
    phones=None,
    account_id: int | None = None,
) -> Contact:
    check_text(name, "name", NAME_LENGTH)
    emails, phones, account = _clean(organization, emails, phones, account_id)
    taken = ContactEmail.objects.filter(organization=organization, email__in=emails).values_list(
        "email", flat=True
    )
    if taken:
        raise FieldErrors.one("emails", f"Already used by another contact: {', '.join(taken)}")
    contact = Contact.objects.create(
        organization=organization, name=(name or "").strip(), account=account
    )
    ContactEmail.objects.bulk_create(
        ContactEmail(organization=organization, contact=contact, email=e) for e in emails
    )
    ContactPhone.objects.bulk_create(
        ContactPhone(organization=organization, contact=contact, phone=p) for p in phones
    )
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    name=None,
    emails=None,
    phones=None,
    account_id=...,
) -> Contact:
    check_text(name, "name", NAME_LENGTH)
    org = contact.organization
    clean_emails, clean_phones, account = _clean(
        org, emails, phones, None if account_id is ... else account_id
    )
    if emails is not None:
        taken = (
            ContactEmail.objects.filter(organization=org, email__in=clean_emails)
            .exclude(contact=contact)
            .values_list("email", flat=True)
        )
        if taken:
            raise FieldErrors.one("emails", f"Already used by another contact: {', '.join(taken)}")
        contact.emails.exclude(email__in=clean_emails).delete()
        have = set(contact.emails.values_list("email", flat=True))
        ContactEmail.objects.bulk_create(
            ContactEmail(organization=org, contact=contact, email=e)
            for e in clean_emails
            if e not in have
        )
    if phones is not None:
        contact.phones.all().delete()
        ContactPhone.objects.bulk_create(
            ContactPhone(organization=org, contact=contact, phone=p) for p in clean_phones
        )
    if name is not None:
        contact.name = name.strip()
    if account_id is not ...:
        contact.account = account
    contact.save()
    return contact


def contact_for_email(*, organization: Organization, email: str) -> Contact:
    """The contact owning this (already normalized) email, created if there is none."""
    row = (
        ContactEmail.objects.select_related("contact")
        .filter(organization=organization, email=email)
        .first()
    )
    if row:
        return row.contact
    try:
        with transaction.atomic():
            contact = Contact.objects.create(organization=organization)
            ContactEmail.objects.create(organization=organization, contact=contact, email=email)
            return contact
    except IntegrityError:
        # Someone created it between our read and write: theirs wins.
        return ContactEmail.objects.get(organization=organization, email=email).contact


def contacts_for_emails(*, organization: Organization, emails) -> dict[str, Contact]:
    """contact_for_email for many (already normalized) emails at once: the known ones in one
    SELECT, the others created with multi-row INSERTs. Race-safe: an email another
    transaction claims meanwhile is skipped by ON CONFLICT DO NOTHING, theirs is read back
    and the contact made for it here is dropped again."""
    wanted = {e for e in emails if e}
    found = {
        row.email: row.contact
        for row in ContactEmail.objects.select_related("contact").filter(
            organization=organization, email__in=wanted
        )
    }
    missing = sorted(wanted - set(found))
    if not missing:
        return found
    with transaction.atomic():
        made = Contact.objects.bulk_create([Contact(organization=organization) for _ in missing])
        ContactEmail.objects.bulk_create(
            [
                ContactEmail(organization=organization, contact=contact, email=email)
                for contact, email in zip(made, missing, strict=True)
            ],
            ignore_conflicts=True,
        )
        for row in ContactEmail.objects.select_related("contact").filter(
            organization=organization, email__in=missing
        ):
            found[row.email] = row.contact
        unused = [c.pk for c, e in zip(made, missing, strict=True) if found[e].pk != c.pk]
        if unused:
            Contact.objects.filter(pk__in=unused).delete()
    return found


def account_create(*, organization: Organization, name: str) -> Account:
    check_text(name, "name", NAME_LENGTH)
    if not (name or "").strip():
        raise FieldErrors.one("name", _("The name cannot be empty."))
    return Account.objects.create(organization=organization, name=name.strip())


def account_update(*, account: Account, name: str) -> Account:
    check_text(name, "name", NAME_LENGTH)
    if not (name or "").strip():
        raise FieldErrors.one("name", _("The name cannot be empty."))
    account.name = name.strip()
    account.save()
    return account
