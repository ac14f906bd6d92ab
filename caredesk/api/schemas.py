"""Request and response shapes of the v1 API, and the functions turning models into them."""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, Field, StrictBool, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from caredesk.care.models import Case, Origin, Priority, ResolutionReason, Status
from caredesk.core.limits import MAX_BODY, MAX_EMAILS, MAX_PHONES, MAX_TAGS
from caredesk.feedback.selectors import ticket_response_ref

# -- shared ---------------------------------------------------------------------------------


class In(Schema):
    """A request body. It must be a JSON object: ninja would read a list or a number as an
    empty object, and so e.g. create an empty customer from `[null, null]`."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, values):
        # Seen either as parsed or inside ninja's DjangoGetter, whichever validator runs first.
        raw = values._obj if isinstance(values, DjangoGetter) else values
        if not isinstance(raw, dict):
            raise PydanticCustomError("model_type", "The body must be a JSON object.")
        return values


def _whole_number(value):
    # JSON Schema's integer: 3 and 3.0, but not true (pydantic's lax int) nor "3".
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# Strict types where a client sends JSON: `true` is not the number 1, nor 1 the text "1". An id
# is a 64-bit integer, as in the database, and the document says so; one that names nothing
# is the service's 400 "No such …".
MAX_ID = 2**63 - 1


def _id(value):
    value = _whole_number(value)
    if value > MAX_ID:
        raise PydanticCustomError("less_than_equal", f"Input should be at most {MAX_ID}")
    return value


Int = Annotated[int, BeforeValidator(_whole_number)]
Id = Annotated[
    int, BeforeValidator(_id), Field(json_schema_extra={"minimum": 1, "maximum": MAX_ID})
]
Bool = StrictBool


def Text(max_length: int):  # noqa: N802
    """A text of at most max_length characters. Stated in the document; enforced by the
    services (a 400 naming the field), which every other way in (pages, sockets) goes through
    too."""
    return Annotated[StrictStr, Field(json_schema_extra={"maxLength": max_length})]


def at_most(n: int) -> dict:
    """For a list: the count cap the services enforce, stated in the document."""
    return {"maxItems": n, "description": f"At most {n}"}


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
    about_agent: UserRef | None = Field(
        None, description="A coaching case's agent: whose work it is about (else null)."
    )


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
    overdue: bool = Field(
        description="Not done and due before today (in the caller's time zone, else the "
        "workspace's)."
    )


TicketOut.model_rebuild()


def _ticket_loop_fields(case: Case) -> dict:
    """Resolution, shares and to-dos; .all() so a prefetch (shares__user, todos__done_by)
    is used."""
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
        "about_agent": user_ref(case.about_agent) if case.about_agent_id else None,
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


class TicketCreateIn(In):
    customer_email: Text(254)
    comment: Text(MAX_BODY) = Field(description="Why the ticket is created; required, not empty.")
    priority: StrictStr = Field(Priority.MEDIUM.value, description=f"One of: {_choices(Priority)}")
    status: StrictStr = Field(Status.NEW.value, description=f"One of: {_choices(Status)}")
    segment: Id | None = Field(None, description="Segment id")
    owner: Id | None = Field(
        None,
        description="User id; must manage the segment. Left out, a segment with exactly one "
        "manager gets that manager.",
    )
    title: Text(200) = ""
    customer_comment: Text(MAX_BODY) = ""
    tags: list[Text(60)] = Field(default_factory=list, json_schema_extra=at_most(MAX_TAGS))


class TicketUpdateIn(In):
    comment: Text(MAX_BODY) = Field(description="Why the ticket changes; required, not empty.")
    priority: StrictStr | None = Field(None, description=f"One of: {_choices(Priority)}")
    status: StrictStr | None = Field(None, description=f"One of: {_choices(Status)}")
    segment: Id | None = Field(None, description="Segment id; null clears it.")
    owner: Id | None = Field(None, description="User id managing the segment; null clears it.")
    resolution_reason: StrictStr | None = Field(
        None,
        description="Required when the status becomes resolved or closed; one of: "
        f"{', '.join(ResolutionReason.values)}. Cleared when the ticket reopens.",
    )
    resolution_note: Text(2000) | None = Field(None, description='Required with reason "other".')


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


class AccountIn(In):
    name: Text(200)


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


class ContactCreateIn(In):
    name: Text(200) = ""
    emails: list[Text(254)] = Field(default_factory=list, json_schema_extra=at_most(MAX_EMAILS))
    phones: list[Text(32)] = Field(default_factory=list, json_schema_extra=at_most(MAX_PHONES))
    account_id: Id | None = None


class ContactUpdateIn(In):
    name: Text(200) | None = None
    emails: list[Text(254)] | None = Field(
        None,
        json_schema_extra={"maxItems": MAX_EMAILS},
        description=f"Replaces all the customer's emails; at most {MAX_EMAILS}.",
    )
    phones: list[Text(32)] | None = Field(
        None,
        json_schema_extra={"maxItems": MAX_PHONES},
        description=f"Replaces all the customer's phones; at most {MAX_PHONES}.",
    )
    account_id: Id | None = Field(None, description="Account id; null: the customer has none.")
