"""Segments (read-only tree), contacts and accounts of the workspace's organization."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from caredesk.api.access import api_access
from caredesk.api.schemas import (
    ERRORS,
    AccountIn,
    AccountOut,
    ContactCreateIn,
    ContactOut,
    ContactUpdateIn,
    SegmentOut,
    account_out,
    contact_out,
    segment_out,
)
from caredesk.customers import selectors, services
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import segment_tree

router = Router()

WS = "/workspaces/{workspace}"


def _care(request, workspace: str) -> Access:
    return api_access(request, workspace, require=Perm.USE_CARE)


@router.get(
    f"{WS}/segments",
    response={200: list[SegmentOut], **ERRORS},
    tags=["segments"],
    summary="The organization's segment tree, parents before children",
)
def segment_list(request, workspace: str):
    access = _care(request, workspace)
    return [segment_out(s) for s in segment_tree(access.workspace.organization_id)]


# -- contacts -------------------------------------------------------------------------------


def contact_or_404(access: Access, contact_id: int):
    """The organization's contact, or 404 (the customer and journey endpoints)."""
    contact = selectors.contact_get(
        organization_id=access.workspace.organization_id, contact_id=contact_id
    )
    if contact is None:
        raise Http404(_("No such customer."))
    return contact


@router.get(
    f"{WS}/customers",
    response={200: list[ContactOut], **ERRORS},
    tags=["customers"],
    summary="Search customers by name, email or phone (first 50)",
)
def customer_list(request, workspace: str, q: str = ""):
    access = _care(request, workspace)
    return [
        contact_out(c)
        for c in selectors.contact_search(organization_id=access.workspace.organization_id, q=q)
    ]


@router.post(
    f"{WS}/customers",
    response={201: ContactOut, **ERRORS},
    tags=["customers"],
    summary="Create a customer",
)
def customer_create(request, workspace: str, payload: ContactCreateIn):
    access = _care(request, workspace)
    contact = services.contact_create(
        organization=access.workspace.organization,
        name=payload.name,
        emails=payload.emails,
        phones=payload.phones,
        account_id=payload.account_id,
    )
    return Status(201, contact_out(contact_or_404(access, contact.pk)))


@router.get(
    f"{WS}/customers/{{contact_id}}",
    response={200: ContactOut, **ERRORS},
    tags=["customers"],
    summary="Get a customer",
)
def customer_get(request, workspace: str, contact_id: int):
    access = _care(request, workspace)
    return contact_out(contact_or_404(access, contact_id))


@router.patch(
    f"{WS}/customers/{{contact_id}}",
    response={200: ContactOut, **ERRORS},
    tags=["customers"],
    summary="Update a customer (only the fields sent)",
)
def customer_update(request, workspace: str, contact_id: int, payload: ContactUpdateIn):
    access = _care(request, workspace)
    contact = contact_or_404(access, contact_id)
    services.contact_update(contact=contact, **payload.dict(exclude_unset=True))
    return contact_out(contact_or_404(access, contact_id))


# -- accounts -------------------------------------------------------------------------------


def account_or_404(access: Access, account_id: int):
    """The organization's account, or 404 (the account and journey endpoints)."""
    account = selectors.account_get(
        organization_id=access.workspace.organization_id, account_id=account_id
    )
    if account is None:
        raise Http404(_("No such account."))
    return account


@router.get(
    f"{WS}/accounts",
    response={200: list[AccountOut], **ERRORS},
    tags=["accounts"],
    summary="Search accounts by name (first 50)",
)
def account_list(request, workspace: str, q: str = ""):
    access = _care(request, workspace)
    return [
        account_out(a)
        for a in selectors.account_search(organization_id=access.workspace.organization_id, q=q)
    ]


@router.post(
    f"{WS}/accounts",
    response={201: AccountOut, **ERRORS},
    tags=["accounts"],
    summary="Create an account",
)
def account_create(request, workspace: str, payload: AccountIn):
    access = _care(request, workspace)
    account = services.account_create(organization=access.workspace.organization, name=payload.name)
    return Status(201, account_out(account))


@router.get(
    f"{WS}/accounts/{{account_id}}",
    response={200: AccountOut, **ERRORS},
    tags=["accounts"],
    summary="Get an account",
)
def account_get(request, workspace: str, account_id: int):
    access = _care(request, workspace)
    return account_out(account_or_404(access, account_id))


@router.patch(
    f"{WS}/accounts/{{account_id}}",
    response={200: AccountOut, **ERRORS},
    tags=["accounts"],
    summary="Rename an account",
)
def account_update(request, workspace: str, account_id: int, payload: AccountIn):
    access = _care(request, workspace)
    account = services.account_update(account=account_or_404(access, account_id), name=payload.name)
    return account_out(account)
