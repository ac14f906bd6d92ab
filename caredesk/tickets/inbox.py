"""Reads for the case-management inbox: the triage list, its counts per owner and segment, and
what the ticket dialog shows around a case (the customer's history, the email thread; the
survey response it came from is caredesk.feedback.selectors.case_source_response).

Definitions (also in docs/architecture.md):
- open: status new, open or escalated.
- overdue: open, and either a to-do not done whose due date is before today, or reported
  more than the SLA days ago (`Workspace.sla_days` when the workspace has one, else the
  CAREDESK_CASE_SLA_DAYS setting, 3 by default). "Today" and "days ago" are the active zone's
  (the viewer's, else the workspace's: caredesk.core.zones).
- closed the loop: resolved or closed, with an outbound email or call activity on the case.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk.care.models import (
    COACHING_ORIGINS,
    DONE_STATUSES,
    INBOX_ORIGINS,
    OPEN_STATUSES,
    Case,
    CaseShare,
    CaseTodo,
    shared_case_ids,
)
from caredesk.care.selectors import cases_visible
from caredesk.core import zones
from caredesk.insights import attention
from caredesk.journey.models import Activity, MediaType
from caredesk.journey.selectors import timeline
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Membership, Segment, User
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import workspace_grants

INBOX_LIMIT = 100
HISTORY_LIMIT = 20
LOOP_MEDIA = attention.LOOP_MEDIA
VIEWS = ("open", "overdue", "mine", "shared", "done", "all")


# One definition each, shared with Home's attention lists (caredesk.insights.attention).
_overdue_todo = attention.overdue_todo
_looped = attention.looped
_q_open = attention.q_open
_q_overdue = attention.q_overdue
_q_looped = attention.q_looped
sla_days = attention.sla_days


def inbox_cases(
    access: Access, *, all_origins: bool = False, coaching: bool = False
) -> QuerySet[Case]:
    """The inbox's tickets: from feedback (INBOX_ORIGINS), every origin, or (`coaching`) the
    coaching cases, about an agent's work (COACHING_ORIGINS)."""
    qs = cases_visible(access)
    if coaching:
        return qs.filter(origin__in=COACHING_ORIGINS)
    return qs if all_origins else qs.filter(origin__in=INBOX_ORIGINS)


def _count(related: QuerySet):
    """A correlated count: computed only for the rows returned, unlike a join + GROUP BY,
    which would aggregate every matching case before the LIMIT."""
    sub = related.order_by().values("case").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


@dataclass
class InboxList:
    items: list[Case]
    total: int
    view: str


def inbox_list(
    access: Access, *, view: str = "open", all_origins: bool = False, coaching: bool = False
) -> InboxList:
    """Newest first, at most INBOX_LIMIT rows, each annotated with its overdue flag and its
    open to-do and share counts (one query for the rows, one for the total)."""
    qs = inbox_cases(access, all_origins=all_origins, coaching=coaching)
    ws = access.workspace
    if view == "open":
        qs = qs.filter(_q_open())
    elif view == "overdue":
        qs = qs.filter(_q_overdue(ws))
    elif view == "mine":
        qs = qs.filter(_q_open() & (Q(owner=access.user) | Q(pk__in=shared_case_ids(access))))
    elif view == "shared":
        qs = qs.filter(pk__in=shared_case_ids(access))
    elif view == "done":
        qs = qs.filter(status__in=DONE_STATUSES)
    late = zones.days_before(timezone.now(), sla_days(ws))
    items = list(
        qs.select_related("owner", "segment", "about_agent")
        .annotate(
            has_overdue_todo=_overdue_todo(),
            looped=_looped(),
            open_todos=_count(CaseTodo.objects.filter(case=OuterRef("pk"), done=False)),
            share_count=_count(CaseShare.objects.filter(case=OuterRef("pk"))),
        )
        .order_by("-reported_at", "-id")[:INBOX_LIMIT]
    )
    for c in items:
        c.is_overdue = c.status in OPEN_STATUSES and (c.has_overdue_todo or c.reported_at < late)
    return InboxList(items=items, total=qs.count(), view=view)


@dataclass
class SummaryRow:
    key: int | None
    label: str
    open: int
    overdue: int
    looped: int
    total: int


def _summary(qs: QuerySet[Case], field: str, workspace) -> list[dict]:
    return list(
        qs.order_by()
        .values(field)
        .annotate(
            n_open=Count("id", filter=_q_open()),
            n_overdue=Count("id", filter=_q_overdue(workspace)),
            n_looped=Count("id", filter=_q_looped()),
            n_total=Count("id"),
        )
    )


def inbox_summary(
    access: Access, *, all_origins: bool = False, coaching: bool = False
) -> dict[str, list[SummaryRow]]:
    """Open, overdue and closed-the-loop counts per owner and per segment: two aggregate
    queries and one name lookup each, whatever the number of cases."""
    qs = inbox_cases(access, all_origins=all_origins, coaching=coaching)
    by_owner = _summary(qs, "owner", access.workspace)
    by_segment = _summary(qs, "segment", access.workspace)
    users = {
        u.pk: str(u)
        for u in User.objects.filter(pk__in=[r["owner"] for r in by_owner if r["owner"]])
    }
    segments = dict(
        Segment.objects.filter(
            pk__in=[r["segment"] for r in by_segment if r["segment"]]
        ).values_list("pk", "name")
    )

    def rows(data, field, names, none_label):
        out = [
            SummaryRow(
                key=r[field],
                label=names.get(r[field], "?") if r[field] else none_label,
                open=r["n_open"],
                overdue=r["n_overdue"],
                looped=r["n_looped"],
                total=r["n_total"],
            )
            for r in data
        ]
        # Named rows alphabetically, the "nobody / no segment" row last.
        return sorted(out, key=lambda r: (r.key is None, r.label.lower(), r.key or 0))

    return {
        "owners": rows(by_owner, "owner", users, _("Unassigned")),
        "segments": rows(by_segment, "segment", segments, _("No segment")),
    }


def summary_totals(rows: list[SummaryRow]) -> SummaryRow:
    return SummaryRow(
        key=None,
        label=_("Total"),
        open=sum(r.open for r in rows),
        overdue=sum(r.overdue for r in rows),
        looped=sum(r.looped for r in rows),
        total=sum(r.total for r in rows),
    )


# --------------------------------------------------------------------------- one case


def response_answers(response) -> list[tuple[str, str]]:
    """(label, value) for each answer, with the question labels when the survey has them."""
    answers = response.answers or {}
    if not answers:
        return []
    labels: dict[str, str] = {}
    questions = getattr(response.survey, "questions", None)
    if questions is not None:
        labels = {q.key: q.label for q in questions.all()}
    out = []
    for key, value in answers.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        out.append((labels.get(key, key), shown))
    return out


def customer_history(access: Access, case: Case) -> dict:
    """The customer's other visible cases and their journey (newest first)."""
    if case.contact_id is None:
        return {"cases": [], "activities": timeline(access, case=case, limit=HISTORY_LIMIT)}
    cases = list(
        cases_visible(access)
        .filter(contact_id=case.contact_id)
        .exclude(pk=case.pk)
        .order_by("-reported_at", "-id")[:HISTORY_LIMIT]
    )
    return {
        "cases": cases,
        "activities": timeline(access, contact=case.contact, limit=HISTORY_LIMIT),
    }


def email_thread(case: Case) -> list[Activity]:
    """The emails to and from the customer on this case, oldest first."""
    return list(
        Activity.objects.filter(case=case, media_type=MediaType.EMAIL)
        .select_related("created_by", "outbound_email")
        .order_by("occurred_at", "id")
    )


def case_todos(case: Case) -> list[CaseTodo]:
    return list(
        case.todos.select_related("done_by", "created_by").order_by("done", "due_date", "id")
    )


def case_shares(case: Case) -> list[CaseShare]:
    return list(case.shares.select_related("user", "shared_by").order_by("created_at", "id"))


def inbox_colleagues(workspace, perm: str = Perm.INBOX_ACCESS) -> list[User]:
    """Active members who may work tickets here (inbox_access from their user type or a
    grant): whom a case can be shared with; with `perm` evaluate, the coaches (who may own a
    coaching case). Two queries."""
    grants = workspace_grants(workspace)
    members = Membership.objects.filter(workspace=workspace, user__is_active=True).select_related(
        "user", "user_type"
    )
    users = [
        m.user
        for m in members
        if perm in set(m.user_type.permissions) | grants.get(m.user_id, set())
    ]
    return sorted(users, key=lambda u: (str(u).lower(), u.pk))
