"""Reads on the customer journey: the timeline of a contact, an account or a case."""

from django.db.models import Q, QuerySet
from django.http import Http404

from caredesk.journey.models import Activity
from caredesk.workspaces.access import Access

TIMELINE_PAGE = 50


def activities_visible(access: Access) -> QuerySet[Activity]:
    return Activity.objects.filter(workspace=access.workspace)


def activity_get(access: Access, activity_id) -> Activity:
    try:
        pk = int(activity_id)
    except (TypeError, ValueError):
        raise Http404("No such activity") from None
    activity = (
        activities_visible(access)
        .filter(pk=pk)
        .select_related("contact", "account", "case", "agent", "created_by")
        .prefetch_related("tags", "comments__author")
        .first()
    )
    if activity is None:
        raise Http404("No such activity")
    return activity


def timeline(
    access: Access, *, contact=None, account=None, case=None, before_id=None, limit=TIMELINE_PAGE
) -> list[Activity]:
    """Newest first. A contact's journey includes activities on its cases; an account's
    includes its contacts'. Pass `before_id` (the last id shown) for the next page."""
    if contact is not None:
        cond = Q(contact=contact) | Q(case__contact=contact)
    elif account is not None:
        cond = Q(account=account) | Q(contact__account=account)
    elif case is not None:
        cond = Q(case=case)
    else:
        return []
    qs = activities_visible(access).filter(cond)
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(
        qs.select_related("case", "agent", "contact")
        .prefetch_related("tags")
        .order_by("-occurred_at", "-id")[:limit]
    )
