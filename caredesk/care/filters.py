"""The ticket filters shared by the list page, the API, the summary and the Excel export."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from caredesk.care.models import Origin, Priority, Status
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.core.limits import text_errors
from caredesk.workspaces.models import Segment, User

DEFAULT_DAYS = 30
FILTER_PARAMS = (
    "status",
    "priority",
    "segment",
    "owner",
    "created_from",
    "created_to",
    "customer_email",
    "origin",
)


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

    def as_q(self) -> Q:
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.created_from, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.created_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
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
        return params


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldErrors.one(field, f"Not a date (YYYY-MM-DD): {value!r}") from None


def _choice(value: str, field: str, choices) -> str:
    if value and (errors := choice_errors((value, field, choices))):
        raise FieldErrors(errors)
    return value


def parse_case_filters(
    params, *, organization_id: int, today: dt.date | None = None
) -> CaseFilters:
    """Build filters from query parameters; an empty value means "any". Without a date range
    the last 30 days are shown, as in the reference product."""
    today = today or timezone.localdate()
    get = lambda k: (params.get(k) or "").strip()  # noqa: E731
    if errors := text_errors(*((get(k), k, 254) for k in params if k in FILTER_PARAMS)):
        raise FieldErrors(errors)
    created_to = _date(get("created_to"), "created_to") if get("created_to") else today
    if get("created_from"):
        created_from = _date(get("created_from"), "created_from")
    else:
        created_from = created_to - dt.timedelta(days=DEFAULT_DAYS - 1)
    if created_from > created_to:
        raise FieldErrors.one("created_from", "The start date is after the end date.")

    segment = None
    if get("segment"):
        if not get("segment").isdigit():
            raise FieldErrors.one("segment", f"Not a segment id: {get('segment')!r}")
        segment = Segment.objects.filter(
            organization_id=organization_id, pk=int(get("segment"))
        ).first()
        if segment is None:
            raise FieldErrors.one("segment", "No such segment.")
    owner, unassigned = None, False
    if get("owner") == "none":
        unassigned = True
    elif get("owner"):
        if not get("owner").isdigit():
            raise FieldErrors.one("owner", f"Not a user id: {get('owner')!r}")
        owner = User.objects.filter(organization_id=organization_id, pk=int(get("owner"))).first()
        if owner is None:
            raise FieldErrors.one("owner", "No such user.")
    return CaseFilters(
        created_from=created_from,
        created_to=created_to,
        status=_choice(get("status"), "status", Status),
        priority=_choice(get("priority"), "priority", Priority),
        segment=segment,
        owner=owner,
        unassigned=unassigned,
        customer_email=get("customer_email").lower(),
        origin=_choice(get("origin"), "origin", Origin),
    )
