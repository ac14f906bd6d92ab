"""Request and response shapes of the v1 API, and the functions turning models into them."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from caredesk.care.models import Case, Origin, Priority, ResolutionReason, Status
from caredesk.feedback.selectors import ticket_response_ref

# -- shared ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = Field(default_factory=dict)


class UserRef(Schema):
    id: int
    username: str
    name: str


class SegmentRef(Schema):
    id: int
    name: str


class AccountRef(Schema):
    id: int
    name: str


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": str(user)}


def segment_ref(segment) -> dict | None:
    return None if segment is None else {"id": segment.pk, "name": segment.name}


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

# -- tickets --------------------------------------------------------------------------------

_choices = lambda c: ", ".join(c.values)  # noqa: E731


class TicketResponseRef(Schema):
    """The survey response an alert rule opened the ticket from."""

    id: int
    external_id: str | None
    verbatim: str
    survey: int = Field(description="Survey id")


class TicketOut(Schema):
    number: int
    title: str
    customer_email: str
    contact_id: int | None
    source_segment: SegmentRef | None
    segment: SegmentRef | None
    owner: UserRef | None
    priority: str = Field(description=f"One of: {_choices(Priority)}")
    status: str = Field(description=f"One of: {_choices(Status)}")
    origin: str = Field(description=f"One of: {_choices(Origin)}")
    reported_at: dt.datetime
    customer_comment: str
    tags: list[str]
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    response: TicketResponseRef | None = Field(
        None, description="The survey response the ticket was opened from, if any."
    )
    resolution_reason: str = Field(
        "", description=f"Empty, or one of: {', '.join(ResolutionReason.values)}"
    )
    resolution_note: str = ""
    shares: list["ShareOut"] = Field(default_factory=list)
    todos: list["TodoOut"] = Field(default_factory=list)


class ShareOut(Schema):
    user: UserRef
    shared_by: UserRef | None
    created_at: dt.datetime


class TodoOut(Schema):
    id: int
    text: str
    due_date: dt.date | None
    done: bool
    done_by: UserRef | None
    overdue: bool = Field(description="Not done and due before today.")


TicketOut.model_rebuild()


def _ticket_loop_fields(case: Case) -> dict:
    """Resolution, shares and to-dos; .all() so a prefetch (shares__user, todos__done_by)
    is used."""
    from django.utils import timezone

    today = timezone.localdate()
    return {
        "resolution_reason": case.resolution_reason,
        "resolution_note": case.resolution_note,
        "shares": [
            {
                "user": user_ref(s.user),
                "shared_by": user_ref(s.shared_by),
                "created_at": s.created_at,
            }
            for s in sorted(case.shares.all(), key=lambda s: (s.created_at, s.pk))
        ],
        "todos": [
            {
                "id": t.pk,
                "text": t.text,
                "due_date": t.due_date,
                "done": t.done,
                "done_by": user_ref(t.done_by),
                "overdue": not t.done and t.due_date is not None and t.due_date < today,
            }
            for t in sorted(case.todos.all(), key=lambda t: t.pk)
        ],
    }


TICKET_PREFETCH = ("tags", "shares__user", "shares__shared_by", "todos__done_by")


def ticket_out(case: Case) -> dict:
    return {
        "number": case.number,
        "title": case.title,
        "customer_email": case.customer_email,
        "contact_id": case.contact_id,
        "source_segment": segment_ref(case.source_segment),
        "segment": segment_ref(case.segment),
        "owner": user_ref(case.owner),
        "priority": case.priority,
        "status": case.status,
        "origin": case.origin,
        "reported_at": case.reported_at,
        "customer_comment": case.customer_comment,
        # .all() so a prefetch is used; sorted in Python for a stable order.
        "tags": sorted(t.name for t in case.tags.all()),
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
        "response": ticket_response_ref(case),
        **_ticket_loop_fields(case),
    }


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page.")
    prev_cursor: str | None = Field(description="Pass as `before` for the previous (newer) page.")


class TicketSummary(Schema):
    new: int
    open: int
    escalated: int
    resolved: int
    closed: int
    total: int


class TicketCreateIn(Schema):
    customer_email: str
    comment: str = Field(description="Why the ticket is created; required, not empty.")
    priority: str = Field(Priority.MEDIUM.value, description=f"One of: {_choices(Priority)}")
    status: str = Field(Status.NEW.value, description=f"One of: {_choices(Status)}")
    segment: int | None = Field(None, description="Segment id")
    owner: int | None = Field(
        None,
        description="User id; must manage the segment. Left out, a segment with exactly one "
        "manager gets that manager.",
    )
    title: str = ""
    customer_comment: str = ""
    tags: list[str] = Field(default_factory=list)


class TicketUpdateIn(Schema):
    comment: str = Field(description="Why the ticket changes; required, not empty.")
    priority: str | None = Field(None, description=f"One of: {_choices(Priority)}")
    status: str | None = Field(None, description=f"One of: {_choices(Status)}")
    segment: int | None = Field(None, description="Segment id; null clears it.")
    owner: int | None = Field(None, description="User id managing the segment; null clears it.")
    resolution_reason: str | None = Field(
        None,
        description="Required when the status becomes resolved or closed; one of: "
        f"{', '.join(ResolutionReason.values)}. Cleared when the ticket reopens.",
    )
    resolution_note: str | None = Field(None, description='Required with reason "other".')


class CommentOut(Schema):
    id: int
    author: UserRef | None
    body: str
    created_at: dt.datetime


def comment_out(comment) -> dict:
    return {
        "id": comment.pk,
        "author": user_ref(comment.author),
        "body": comment.body,
        "created_at": comment.created_at,
    }


class AuditOut(Schema):
    id: int
    actor: UserRef | None
    action: str
    field: str
    old_value: str
    new_value: str
    created_at: dt.datetime


def audit_out(entry) -> dict:
    return {
        "id": entry.pk,
        "actor": user_ref(entry.actor),
        "action": entry.action,
        "field": entry.field,
        "old_value": entry.old_value,
        "new_value": entry.new_value,
        "created_at": entry.created_at,
    }


# -- segments -------------------------------------------------------------------------------


class SegmentOut(Schema):
    id: int
    name: str
    parent_id: int | None
    path: str
    depth: int
    managers: list[UserRef]


def segment_out(segment) -> dict:
    return {
        "id": segment.pk,
        "name": segment.name,
        "parent_id": segment.parent_id,
        "path": segment.path,
        "depth": segment.depth,
        "managers": [
            user_ref(u)
            for u in sorted(segment.managers.all(), key=lambda u: (u.username, u.pk))
            if u.is_active
        ],
    }


# -- customers ------------------------------------------------------------------------------


class AccountOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    updated_at: dt.datetime


def account_out(account) -> dict:
    return {
        "id": account.pk,
        "name": account.name,
        "created_at": account.created_at,
        "updated_at": account.updated_at,
    }


class AccountIn(Schema):
    name: str


class ContactOut(Schema):
    id: int
    name: str
    emails: list[str]
    phones: list[str]
    account: AccountRef | None
    created_at: dt.datetime
    updated_at: dt.datetime


def contact_out(contact) -> dict:
    account = contact.account
    return {
        "id": contact.pk,
        "name": contact.name,
        "emails": [e.email for e in contact.emails.all()],
        "phones": [p.phone for p in contact.phones.all()],
        "account": None if account is None else {"id": account.pk, "name": account.name},
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
    }


class ContactCreateIn(Schema):
    name: str = ""
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    account_id: int | None = None


class ContactUpdateIn(Schema):
    name: str | None = None
    emails: list[str] | None = Field(None, description="Replaces all the contact's emails.")
    phones: list[str] | None = Field(None, description="Replaces all the contact's phones.")
    account_id: int | None = Field(None, description="Account id; null detaches the contact.")
