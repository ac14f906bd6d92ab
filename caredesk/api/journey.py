"""The customer journey: the timeline of a customer, an account or a ticket; one activity with
its tags and comments; quick notes; moving an activity to another ticket or to a new one.
Thin: reads through caredesk.journey.selectors, writes through caredesk.journey.services."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictStr

from caredesk.api.access import api_access
from caredesk.api.customers import account_or_404, contact_or_404
from caredesk.api.schemas import (
    ERRORS,
    CommentOut,
    Id,
    In,
    Text,
    TicketOut,
    UserRef,
    comment_out,
    ticket_out,
    user_ref,
)
from caredesk.care import selectors as care_selectors
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY as CASE_TEXT
from caredesk.core.pagination import NOT_A_CURSOR, decode_id_cursor, id_page
from caredesk.customers import selectors as customer_selectors
from caredesk.journey import selectors, services
from caredesk.journey.models import Activity, MediaType
from caredesk.routing.models import Conversation
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

router = Router(tags=["journey"])

WS = "/workspaces/{workspace}"


class ActivityOut(Schema):
    id: int
    media_type: str = Field(description=f"One of: {', '.join(MediaType.values)}")
    direction: str
    subject: str
    body: str = Field(description="Note text, email body or call transcript, verbatim")
    channel: str
    queue: str
    skills: list[str]
    context: dict[str, Any] = Field(
        description="pre_chat, visitor, navigation, variables, call, transcript…"
    )
    contact: int | None
    account: int | None
    ticket: int | None = Field(description="Number of the ticket it belongs to")
    conversation: str | None = Field(description="Token of its chat conversation")
    agent: UserRef | None
    external_id: str
    queued_at: dt.datetime | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    wait_seconds: int | None
    occurred_at: dt.datetime
    created_at: dt.datetime
    tags: list[str]


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page")


class PageParams(Schema):
    cursor: str = Field("", description="next_cursor of the previous page")
    limit: int = Field(selectors.TIMELINE_PAGE, ge=1, le=200)


class NoteIn(In):
    body: Text(services.MAX_BODY)
    contact: Id | None = Field(None, description="Customer (contact) id")
    account: Id | None = Field(None, description="Account id")
    ticket: Id | None = Field(None, description="Ticket number")


class MoveIn(In):
    ticket: Id | None = Field(description="Ticket number; null takes it off its ticket")


class NewCaseIn(In):
    title: Text(200)
    priority: StrictStr = "medium"
    description: Text(CASE_TEXT) = ""


class TagIn(In):
    tag: Text(60)


class CommentIn(In):
    body: Text(services.MAX_BODY)


def activity_out(a: Activity, token: str | None = None) -> dict:
    """`token`: the conversation's, when the caller read it for many activities at once."""
    if a.conversation_id and token is None:
        token = a.conversation.public_token
    return {
        "id": a.pk,
        "media_type": a.media_type,
        "direction": a.direction,
        "subject": a.subject,
        "body": a.body,
        "channel": a.channel,
        "queue": a.queue_name,
        "skills": list(a.skills or []),
        "context": a.context or {},
        "contact": a.contact_id,
        "account": a.account_id,
        "ticket": a.case.number if a.case_id else None,
        "conversation": token,
        "agent": user_ref(a.agent) if a.agent_id else None,
        "external_id": a.external_id,
        "queued_at": a.queued_at,
        "started_at": a.started_at,
        "ended_at": a.ended_at,
        "wait_seconds": a.wait_seconds,
        "occurred_at": a.occurred_at,
        "created_at": a.created_at,
        "tags": sorted(t.name for t in a.tags.all()),
    }


def _care(request, workspace: str) -> Access:
    return api_access(request, workspace, require=Perm.USE_CARE)


def _org(access: Access) -> int:
    return access.workspace.organization_id


def _only_page_params(request) -> None:
    """A timeline's query has `cursor` and `limit` only: anything else is refused (a
    misspelt parameter would otherwise be ignored without a word)."""
    if unknown := sorted(set(request.GET) - set(PageParams.model_fields)):
        raise FieldErrors.one(unknown[0], gettext("Unknown query parameter."))


def _page(access: Access, params: PageParams, **owner) -> dict:
    before = decode_id_cursor(params.cursor)
    if params.cursor and before is None:
        raise FieldErrors.one("cursor", str(NOT_A_CURSOR))
    rows = selectors.timeline(access, before_id=before, limit=params.limit + 1, **owner)
    rows, next_cursor = id_page(rows, params.limit)
    tokens = dict(
        Conversation.objects.filter(
            pk__in=[a.conversation_id for a in rows if a.conversation_id]
        ).values_list("pk", "public_token")
    )
    return {
        "items": [activity_out(a, tokens.get(a.conversation_id)) for a in rows],
        "next_cursor": next_cursor,
    }


def _activity(access: Access, activity_id: int) -> Activity:
    return selectors.activity_get(access, activity_id)


def _fresh(access: Access, activity_id: int) -> dict:
    """The activity as the caller's write just left it; not filtered again by visibility, so
    a write that committed is never answered 404 (see care.selectors.case_as_written)."""
    return activity_out(
        Activity.objects.filter(workspace=access.workspace)
        .select_related("contact", "account", "case", "agent", "created_by")
        .prefetch_related("tags")
        .get(pk=activity_id)
    )


# -- timelines -------------------------------------------------------------------------------


@router.get(
    f"{WS}/customers/{{contact_id}}/activities",
    response={200: ActivityPage, **ERRORS},
    summary="A customer's journey, newest first (includes activities on their tickets)",
)
def contact_timeline(request, workspace: str, contact_id: int, params: Query[PageParams]):
    _only_page_params(request)
    access = _care(request, workspace)
    return _page(access, params, contact=contact_or_404(access, contact_id))


@router.get(
    f"{WS}/accounts/{{account_id}}/activities",
    response={200: ActivityPage, **ERRORS},
    summary="An account's journey, newest first (includes its customers')",
)
def account_timeline(request, workspace: str, account_id: int, params: Query[PageParams]):
    _only_page_params(request)
    access = _care(request, workspace)
    return _page(access, params, account=account_or_404(access, account_id))


@router.get(
    f"{WS}/tickets/{{number}}/activities",
    response={200: ActivityPage, **ERRORS},
    summary="The activities of a ticket, newest first",
)
def case_timeline(request, workspace: str, number: int, params: Query[PageParams]):
    _only_page_params(request)
    access = _care(request, workspace)
    return _page(access, params, case=care_selectors.case_get(access, number))


# -- one activity ----------------------------------------------------------------------------


@router.post(
    f"{WS}/activities",
    response={201: ActivityOut, **ERRORS},
    summary="Add a quick note to the timeline of a customer, an account or a ticket",
)
def note_create(request, workspace: str, payload: NoteIn):
    access = _care(request, workspace)
    errors = {}
    contact = account = case = None
    if payload.contact is not None:
        contact = customer_selectors.contact_get(
            organization_id=_org(access), contact_id=payload.contact
        )
        if contact is None:
            errors["contact"] = _("No such customer.")
    if payload.account is not None:
        account = customer_selectors.account_get(
            organization_id=_org(access), account_id=payload.account
        )
        if account is None:
            errors["account"] = _("No such account.")
    if payload.ticket is not None:
        case = selectors.linkable_case_get(access, payload.ticket)
        if case is None:
            errors["ticket"] = _("No such ticket.")
    if errors:
        raise FieldErrors(errors)
    note = services.note_add(
        access=access, body=payload.body, contact=contact, account=account, case=case
    )
    return Status(201, _fresh(access, note.pk))


@router.get(
    f"{WS}/activities/{{activity_id}}",
    response={200: ActivityOut, **ERRORS},
    summary="An activity with its context, tags and times",
)
def activity_get(request, workspace: str, activity_id: int):
    access = _care(request, workspace)
    return activity_out(_activity(access, activity_id))


@router.post(
    f"{WS}/activities/{{activity_id}}/move",
    response={200: ActivityOut, **ERRORS},
    summary="Move an activity to another ticket (audited on both tickets)",
)
def activity_move(request, workspace: str, activity_id: int, payload: MoveIn):
    access = _care(request, workspace)
    activity = _activity(access, activity_id)
    case = None
    if payload.ticket is not None:
        case = selectors.linkable_case_get(access, payload.ticket)
        if case is None:
            raise FieldErrors.one("ticket", _("No such ticket."))
    services.activity_move(access=access, activity=activity, case=case)
    return _fresh(access, activity.pk)


@router.post(
    f"{WS}/activities/{{activity_id}}/ticket",
    response={201: TicketOut, **ERRORS},
    summary="Open a new ticket for the activity's customer and move the activity onto it",
)
def activity_new_case(request, workspace: str, activity_id: int, payload: NewCaseIn):
    access = _care(request, workspace)
    activity = _activity(access, activity_id)
    case = services.case_from_activity(
        access=access,
        activity=activity,
        title=payload.title,
        priority=payload.priority,
        description=payload.description,
    )
    case = type(case).objects.select_related("segment", "source_segment", "owner").get(pk=case.pk)
    return Status(201, ticket_out(case))


@router.post(
    f"{WS}/activities/{{activity_id}}/tags",
    response={200: ActivityOut, **ERRORS},
    summary="Tag an activity",
)
def activity_tag_add(request, workspace: str, activity_id: int, payload: TagIn):
    access = _care(request, workspace)
    services.activity_tag_add(
        access=access, activity=_activity(access, activity_id), name=payload.tag
    )
    return _fresh(access, activity_id)


@router.delete(
    f"{WS}/activities/{{activity_id}}/tags/{{tag}}",
    response={200: ActivityOut, **ERRORS},
    summary="Remove a tag from an activity",
)
def activity_tag_remove(request, workspace: str, activity_id: int, tag: str):
    access = _care(request, workspace)
    services.activity_tag_remove(access=access, activity=_activity(access, activity_id), name=tag)
    return _fresh(access, activity_id)


@router.get(
    f"{WS}/activities/{{activity_id}}/comments",
    response={200: list[CommentOut], **ERRORS},
    summary="Comments on an activity, oldest first",
)
def activity_comments(request, workspace: str, activity_id: int):
    access = _care(request, workspace)
    return [comment_out(c) for c in _activity(access, activity_id).comments.all()]


@router.post(
    f"{WS}/activities/{{activity_id}}/comments",
    response={201: CommentOut, **ERRORS},
    summary="Comment on an activity",
)
def activity_comment_add(request, workspace: str, activity_id: int, payload: CommentIn):
    access = _care(request, workspace)
    comment = services.activity_comment_add(
        access=access, activity=_activity(access, activity_id), body=payload.body
    )
    return Status(201, comment_out(comment))
