"""Reads for tickets (cases): visibility, the keyset-paginated list, counts and export rows."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from caredesk.care.filters import CaseFilters
from caredesk.care.models import Case, Status
from caredesk.core import pagination
from caredesk.workspaces.access import Access

PAGE_SIZE = 50


def cases_visible(access: Access) -> QuerySet[Case]:
    return Case.objects.visible_to(access)


def case_get(access: Access, number: int) -> Case:
    case = (
        cases_visible(access)
        .filter(number=number)
        .select_related(
            "segment", "source_segment", "owner", "contact", "created_by", "about_agent"
        )
        .prefetch_related("tags")
        .first()
    )
    if case is None:
        raise Http404("No such ticket")
    return case


def case_worked_by(access: Access, number: int) -> Case | None:
    """The ticket if the user works it themselves: they own it, opened it, or handled one of
    its activities (a chat, a call); None otherwise. What a member without the inbox may
    open (the ticket dialog, its journey page)."""
    if access.user is None:
        return None
    user = access.user
    # Not a coaching case through a handled activity: one is about an agent's work, seen by
    # those who coach, its owner, its creator and whom it is shared with (case_visibility_q).
    handled = Case.objects.filter(
        workspace=access.workspace, number=number, activities__agent=user, about_agent__isnull=True
    ).values("pk")
    return (
        Case.objects.filter(workspace=access.workspace, number=number)
        .filter(Q(owner=user) | Q(created_by=user) | Q(pk__in=handled))
        .select_related(
            "segment", "source_segment", "owner", "contact", "created_by", "about_agent"
        )
        .prefetch_related("tags")
        .first()
    )


def case_get_or_worked(access: Access, number: int) -> Case:
    """case_get, and besides the tickets the user sees, one they handled an activity of (the
    agent of a chat linked to a ticket someone else owns): they may open it from their desk
    and journey."""
    try:
        return case_get(access, number)
    except Http404:
        case = case_worked_by(access, number)
        if case is None:
            raise
        return case


def case_as_written(case: Case) -> Case:
    """The case as a write just left it, for the answer to that write. Not filtered by
    visibility on purpose: a change the caller was allowed to make (moving a ticket out of
    their area) is answered with its result, never with a 404 for a write that committed."""
    return (
        Case.objects.select_related(
            "segment", "source_segment", "owner", "contact", "created_by", "about_agent"
        )
        .prefetch_related("tags")
        .get(pk=case.pk)
    )


def case_page(
    access: Access,
    filters: CaseFilters,
    *,
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
) -> pagination.Page[Case]:
    """One page, newest first, walking (reported_at, id) by keyset so page 20,000 costs what
    page 1 costs. `after` continues to older tickets, `before` goes back to newer ones."""
    qs = (
        cases_visible(access)
        .filter(filters.as_q())
        .select_related("segment", "source_segment", "owner", "about_agent")
    )
    return pagination.keyset_page(qs, "reported_at", after=after, before=before, size=size)


def case_summary(access: Access, filters: CaseFilters) -> dict[str, int]:
    """Counts by status and the total, for the same filters as the list."""
    counts = {s: 0 for s in Status.values}
    rows = (
        cases_visible(access)
        .filter(filters.as_q())
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    for status, n in rows:
        counts[status] = n
    counts["total"] = sum(counts.values())
    return counts


def case_export_rows(access: Access, filters: CaseFilters):
    """Every filtered ticket, newest first, streamed from the database in chunks."""
    return (
        cases_visible(access)
        .filter(filters.as_q())
        .order_by("-reported_at", "-id")
        .values_list(
            "number",
            "customer_email",
            "source_segment__name",
            "segment__name",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
            "priority",
            "status",
            "origin",
            "reported_at",
            "customer_comment",
            "updated_at",
            "closed_at",
        )
        .iterator(chunk_size=5000)
    )


def case_comments(case: Case):
    return list(case.comments.select_related("author").order_by("created_at", "id"))
