"""Reads of calls for the Desk."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from caredesk.journey.models import Activity, MediaType
from caredesk.journey.selectors import activities_visible
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

CALL_STALE = timedelta(hours=12)


def desk_call_get(access: Access, activity_id) -> Activity:
    """A call of this workspace that the user handles (or supervises), for the Desk's customer
    panel; 404 for any other, as chats are (routing.models.ConversationQuerySet)."""
    try:
        pk = int(activity_id)
    except (TypeError, ValueError):
        raise Http404("No such call") from None
    qs = activities_visible(access).filter(pk=pk, media_type=MediaType.CALL)
    if not (access.sees_whole_workspace or access.has(Perm.MANAGE_CARE)):
        qs = qs.filter(agent=access.user)
    activity = qs.select_related("contact__account", "case").first()
    if activity is None:
        raise Http404("No such call")
    return activity


def calls_in_progress(*, workspace, user) -> list[dict]:
    """The calls `user` is on now (answered, not ended), as the desk's `call` messages carry
    them, for the desk's hello: a desk reloaded during a call shows it and counts it. A call
    answered more than CALL_STALE ago is left out: its `ended` event was lost, not a call."""
    calls = Activity.objects.filter(
        workspace=workspace,
        media_type=MediaType.CALL,
        agent=user,
        started_at__isnull=False,
        ended_at__isnull=True,
        started_at__gte=timezone.now() - CALL_STALE,
    ).order_by("pk")
    out = []
    for activity in calls:
        call = (activity.context or {}).get("call", {})
        out.append(
            {
                "event": "answered",
                "activity": activity.pk,
                "caller": call.get("caller", ""),
                "queue": activity.queue_name,
                "contact": activity.contact_id,
                "state": call.get("state", ""),
                "started_at": activity.started_at.isoformat(),
            }
        )
    return out
