"""The ticket filters shared by the list page, the API, the summary and the Excel export."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, Field, ValidationError, WithJsonSchema

from caredesk.care.models import COACHING_ORIGINS, Origin, Priority, Status
from caredesk.core import zones
from caredesk.core.errors import FieldErrors, choice_errors, refused, schema_errors
from caredesk.core.limits import text_error
from caredesk.workspaces.models import Segment, User

DEFAULT_DAYS = 30
MAX_PARAM = 254  # characters in one filter's value


@dataclass(frozen=True)
class CaseFilters:
    created_from: dt.date
    created_to: dt.date
    status: str = ""
    priority: str = ""
    segment: Segment | None = None
    owner: User | None = None
    unassigned: bool = False
    customer_email: str = ""
    origin: str = ""
    # Coaching cases (about an agent, origin in COACHING_ORIGINS): True only those, False none
    # of them, None either.
    coaching: bool | None = None
    # The zone the dates are days of: the one active when they were read (the caller's,
    # else the workspace's), kept so a later use of the filters counts the same days.
    tz: dt.tzinfo | None = None

    def as_q(self) -> Q:
        # The bare column against two instants: the index's range scan still serves it.
        start, end = zones.days_bounds(self.created_from, self.created_to, self.tz)
        q = Q(reported_at__gte=start, reported_at__lt=end)
        if self.status:
            q &= Q(status=self.status)
        if self.priority:
            q &= Q(priority=self.priority)
        if self.segment is not None:
            # A segment filter takes in the segments below it, as the management area does.
            q &= Q(segment_path__startswith=self.segment.path)
        if self.owner is not None:
            q &= Q(owner=self.owner)
        if self.unassigned:
            q &= Q(owner__isnull=True)
        if self.customer_email:
            q &= Q(customer_email=self.customer_email)
        if self.origin:
            q &= Q(origin=self.origin)
        if self.coaching is True:
            q &= Q(origin__in=COACHING_ORIGINS)
        elif self.coaching is False:
            q &= ~Q(origin__in=COACHING_ORIGINS)
        return q

    def as_params(self) -> dict[str, str]:
        """The query string that reproduces these filters (for links: export, pages)."""
        params = {
            "created_from": self.created_from.isoformat(),
            "created_to": self.created_to.isoformat(),
        }
        for name in ("status", "priority", "customer_email", "origin"):
            if getattr(self, name):
                params[name] = getattr(self, name)
        if self.segment is not None:
            params["segment"] = str(self.segment.pk)
        if self.owner is not None:
            params["owner"] = str(self.owner.pk)
        elif self.unassigned:
            params["owner"] = "none"
        if self.coaching is not None:
            params["coaching"] = "1" if self.coaching else "0"
        return params


# --------------------------------------------------------------------------- the query string


def _text(value) -> str:
    """A parameter's text: stripped; one that cannot be stored is refused like any text."""
    value = (value or "").strip()
    if error := text_error(value, MAX_PARAM):
        raise refused(error)
    return value


def _choice(choices, name: str):
    def check(value) -> str:
        value = _text(value)
        if value and (errors := choice_errors((value, name, choices))):
            raise refused(errors[name])
        return value

    return check


def Choice(choices, name: str, description: str):  # noqa: N802
    return Annotated[
        str,
        BeforeValidator(_choice(choices, name)),
        # The values, and (as it is read) any of them or nothing amid spaces.
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "enum": ["", *choices.values]},
                    {"type": "string", "pattern": rf"^\s*({'|'.join(choices.values)})?\s*$"},
                ]
            }
        ),
        Field("", description=description),
    ]


def _date(value) -> dt.date | None:
    value = _text(value)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise refused(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": repr(value)}) from None


def _id(what: str):
    def check(value) -> int | None:
        value = _text(value)
        if not value:
            return None
        if not re.fullmatch(r"\d+", value):
            message = (
                _("Not a segment id: %(value)s")
                if what == "segment"
                else _("Not a user id: %(value)s")
            )
            raise refused(message % {"value": repr(value)})
        return int(value)

    return check


def _flag(value) -> bool | None:
    value = _text(value)
    if value == "":
        return None
    if value not in ("0", "1"):
        raise refused(_("Not 1 (yes) or 0 (no): %(value)s") % {"value": repr(value)})
    return value == "1"


def _owner(value) -> int | str | None:
    return "none" if _text(value) == "none" else _id("user")(value)


Date = Annotated[
    dt.date | None,
    BeforeValidator(_date),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": r"^\s*$"}]}
    ),
]
_DIGITS = r"^\s*\d*\s*$"


class TicketFilters(BaseModel):
    """The ticket list's filters, as query parameters. The API's document shows this model
    (GET …/tickets, …/tickets/summary, …/tickets/export.xlsx) and the API parses them by it;
    the page and the export parse their query string by it too (`parse_case_filters`). An
    empty value means "any"; a repeated parameter counts with its last value (as
    QueryDict.get). A value it refuses is a 400 naming the parameter (core.errors.refused)."""

    status: Choice(Status, "status", f"One of: {', '.join(Status.values)}")
    priority: Choice(Priority, "priority", f"One of: {', '.join(Priority.values)}")
    segment: Annotated[
        int | None,
        BeforeValidator(_id("segment")),
        WithJsonSchema({"type": "string", "pattern": _DIGITS}),
    ] = Field(None, description="Segment id; includes the segments below it")
    owner: Annotated[
        int | Literal["none"] | None,
        BeforeValidator(_owner),
        WithJsonSchema({"type": "string", "pattern": r"^\s*(none|\d*)\s*$"}),
    ] = Field(None, description='User id, or "none" for unassigned tickets')
    created_from: Date = Field(
        None,
        description="YYYY-MM-DD, a day in the caller's time zone (their own, else the "
        "workspace's); without dates, the last 30 days up to today",
    )
    created_to: Date = Field(None, description="YYYY-MM-DD, inclusive")
    customer_email: Annotated[
        str,
        BeforeValidator(lambda value: _text(value).lower()),
        WithJsonSchema({"type": "string", "maxLength": MAX_PARAM}),
    ] = ""
    origin: Choice(Origin, "origin", f"One of: {', '.join(Origin.values)}")
    coaching: Annotated[
        bool | None,
        BeforeValidator(_flag),
        WithJsonSchema({"type": "string", "pattern": r"^\s*(0|1)?\s*$"}),
    ] = Field(
        None,
        description="1: only coaching cases (about an agent: origin evaluation or coaching); "
        "0: none of them; empty: any",
    )

    @classmethod
    def from_query(cls, params) -> "TicketFilters":
        """From request.GET or a dict; FieldErrors (every refused parameter) if bad."""
        data = {name: params.get(name) for name in cls.model_fields if name in params}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise FieldErrors(schema_errors(exc)) from None

    def resolve(self, *, organization_id: int, today: dt.date | None = None) -> CaseFilters:
        """The filters in effect: the default dates, and the segment and owner they name
        (of the organization; FieldErrors if none)."""
        created_to = self.created_to or today or zones.today()
        created_from = self.created_from or created_to - dt.timedelta(days=DEFAULT_DAYS - 1)
        if created_from > created_to:
            raise FieldErrors.one("created_from", _("The start date is after the end date."))
        segment = None
        if self.segment is not None:
            segment = Segment.objects.filter(
                organization_id=organization_id, pk=self.segment
            ).first()
            if segment is None:
                raise FieldErrors.one("segment", _("No such segment."))
        owner = None
        if self.owner not in (None, "none"):
            owner = User.objects.filter(organization_id=organization_id, pk=self.owner).first()
            if owner is None:
                raise FieldErrors.one("owner", _("No such user."))
        return CaseFilters(
            created_from=created_from,
            created_to=created_to,
            status=self.status,
            priority=self.priority,
            segment=segment,
            owner=owner,
            unassigned=self.owner == "none",
            customer_email=self.customer_email,
            origin=self.origin,
            coaching=self.coaching,
            tz=timezone.get_current_timezone(),
        )


def parse_case_filters(
    params, *, organization_id: int, today: dt.date | None = None
) -> CaseFilters:
    """The filters of a query string (request.GET or a dict). Without a date range the last
    30 days are shown, as in the reference product."""
    return TicketFilters.from_query(params).resolve(organization_id=organization_id, today=today)
