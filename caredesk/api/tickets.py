"""Tickets: list, summary, Excel export, create, read, update, assign, comments and audit log."""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import (
    ERRORS,
    TICKET_PREFETCH,
    AuditOut,
    CommentOut,
    TicketCreateIn,
    TicketOut,
    TicketPage,
    TicketSummary,
    TicketUpdateIn,
    audit_out,
    comment_out,
    ticket_out,
)
from caredesk.audit.selectors import audit_for
from caredesk.care import selectors, services
from caredesk.care.export import cases_xlsx_response
from caredesk.care.filters import CaseFilters, TicketFilters
from caredesk.core import pagination
from caredesk.core.errors import FieldErrors
from caredesk.feedback.selectors import attach_source_responses
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

router = Router(tags=["tickets"])

BASE = "/workspaces/{workspace}/tickets"


class TicketPageParams(TicketFilters):
    cursor: str = Field("", description="next_cursor of the previous response (older tickets)")
    before: str = Field("", description="prev_cursor of a response (newer tickets)")
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=200)


def _inbox(request, workspace: str) -> Access:
    return api_access(request, workspace, require=Perm.INBOX_ACCESS)


def _filters(params: TicketFilters, access: Access) -> CaseFilters:
    return params.resolve(organization_id=access.workspace.organization_id)


@router.get(f"{BASE}", response={200: TicketPage, **ERRORS}, summary="List tickets")
def ticket_list(request, workspace: str, params: Query[TicketPageParams]):
    access = _inbox(request, workspace)
    filters = _filters(params, access)
    for name in ("cursor", "before"):
        value = getattr(params, name)
        if value and pagination.decode_cursor(value) is None:
            raise FieldErrors.one(name, _("Not a cursor returned by this API."))
    page = selectors.case_page(
        access, filters, after=params.cursor, before=params.before, size=params.limit
    )
    prefetch_related_objects(page.items, *TICKET_PREFETCH)
    attach_source_responses(page.items)
    return {
        "items": [ticket_out(c) for c in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


# summary and export.xlsx come before /{number} so that route cannot shadow them.
@router.get(f"{BASE}/summary", response={200: TicketSummary, **ERRORS}, summary="Count tickets")
def ticket_summary(request, workspace: str, params: Query[TicketFilters]):
    access = _inbox(request, workspace)
    return selectors.case_summary(access, _filters(params, access))


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    f"{BASE}/export.xlsx",
    response={**ERRORS},
    summary="Download the filtered tickets as an Excel file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The Excel workbook",
                "content": {_XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def ticket_export(request, workspace: str, params: Query[TicketFilters]):
    access = _inbox(request, workspace)
    access.require(Perm.EXPORT_CASES)
    return cases_xlsx_response(access, _filters(params, access))


@router.post(f"{BASE}", response={201: TicketOut, **ERRORS}, summary="Create a ticket")
def ticket_create(request, workspace: str, payload: TicketCreateIn):
    access = _inbox(request, workspace)
    case = services.case_create(
        access=access,
        customer_email=payload.customer_email,
        comment=payload.comment,
        priority=payload.priority,
        status=payload.status,
        segment_id=payload.segment,
        owner_id=payload.owner,
        title=payload.title,
        customer_comment=payload.customer_comment,
        tags=payload.tags,
    )
    return Status(201, ticket_out(selectors.case_as_written(case)))


@router.get(f"{BASE}/{{number}}", response={200: TicketOut, **ERRORS}, summary="Get a ticket")
def ticket_get(request, workspace: str, number: int):
    access = _inbox(request, workspace)
    return ticket_out(selectors.case_get(access, number))


@router.patch(
    f"{BASE}/{{number}}",
    response={200: TicketOut, **ERRORS},
    summary="Update a ticket",
    description="Only the fields present in the body change; the comment is required.",
)
def ticket_update(request, workspace: str, number: int, payload: TicketUpdateIn):
    access = _inbox(request, workspace)
    case = selectors.case_get(access, number)
    data = payload.dict(exclude_unset=True)
    changes = {}
    for key, arg in (
        ("priority", "priority"),
        ("status", "status"),
        ("segment", "segment_id"),
        ("owner", "owner_id"),
        ("resolution_reason", "resolution_reason"),
        ("resolution_note", "resolution_note"),
    ):
        if key in data:
            changes[arg] = data[key]
    services.case_update(access=access, case=case, comment=payload.comment, **changes)
    return ticket_out(selectors.case_as_written(case))


@router.post(
    f"{BASE}/{{number}}/assign-to-me",
    response={200: TicketOut, **ERRORS},
    summary="Take an unassigned ticket (needs manage_care)",
)
def ticket_assign_to_me(request, workspace: str, number: int):
    access = _inbox(request, workspace)
    case = selectors.case_get(access, number)
    services.case_assign_to_me(access=access, case=case)
    return ticket_out(selectors.case_as_written(case))


@router.get(
    f"{BASE}/{{number}}/comments", response={200: list[CommentOut], **ERRORS}, summary="Comments"
)
def ticket_comments(request, workspace: str, number: int):
    access = _inbox(request, workspace)
    case = selectors.case_get(access, number)
    return [comment_out(c) for c in selectors.case_comments(case)]


@router.get(
    f"{BASE}/{{number}}/logs", response={200: list[AuditOut], **ERRORS}, summary="Audit log"
)
def ticket_logs(request, workspace: str, number: int):
    access = _inbox(request, workspace)
    case = selectors.case_get(access, number)
    return [audit_out(e) for e in audit_for(case)]
