"""A customer's survey responses on their journey's timeline (journey.selectors registers
the sources; feedback is above journey, so it brings its own)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from caredesk.feedback.models import Response
from caredesk.journey.selectors import TimelineEvent, timeline_source
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm


@timeline_source
def response_events(
    access: Access,
    contact_ids: list[int],
    lower: dt.datetime | None,
    upper: dt.datetime | None,
) -> list[TimelineEvent]:
    """The customers' responses the user sees (their management area), each linked to its
    page for those who may open it (the inbox)."""
    responses = Response.objects.visible_to(access).filter(contact_id__in=contact_ids)
    if lower is not None:
        responses = responses.filter(responded_at__gte=lower)
    if upper is not None:
        responses = responses.filter(responded_at__lt=upper)
    linked = access.has(Perm.INBOX_ACCESS)
    slug = access.workspace.slug
    events = []
    for r in responses.select_related("survey").order_by("-responded_at", "-id")[:200]:
        score = _("no score") if r.score is None else _("score %(score)s") % {"score": r.score}
        events.append(
            TimelineEvent(
                kind="survey_response",
                at=r.responded_at,
                label=_("Survey response"),
                text=f"{r.survey.name} · {score}" + (f" · “{r.comment}”" if r.comment else ""),
                url=reverse("feedback_response", args=[slug, r.pk]) if linked else "",
            )
        )
    return events
