"""Known data for the coaching tests: evaluations at chosen times through the service, the
chats they evaluate, survey responses answering a ticket the agent worked."""

import datetime as dt

from django.utils import timezone

from caredesk.feedback import services as feedback
from caredesk.feedback.models import Response
from caredesk.journey.models import Activity, MediaType
from caredesk.quality.services import evaluation_create
from caredesk.workspaces import services as ws
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import Membership
from caredesk.workspaces.permissions import UserKind

from ..factories import make_case


def at(days_ago: float, now=None) -> dt.datetime:
    now = now or timezone.now()
    return now - dt.timedelta(days=days_ago)


def chat(q, agent, ended_at, *, minutes=10, case=None):
    return Activity.objects.create(
        workspace=q.ws,
        media_type=MediaType.CHAT,
        agent=agent,
        case=case,
        queue_name="General",
        started_at=ended_at - dt.timedelta(minutes=minutes),
        ended_at=ended_at,
        occurred_at=ended_at,
    )


def answers(q, greet, tone, identity, resolution):
    g, t, i, r, _bonus = q.criteria
    tone_answer = {"na": True} if tone == "na" else {"value": tone}
    return {
        str(g): {"value": greet},
        str(t): tone_answer,
        str(i): {"value": identity},
        str(r): {"value": resolution},
    }


def evaluate(q, agent, when, greet, tone, identity, resolution, *, minutes=10, evaluator=None):
    access = get_access(evaluator or q.coach, "support")
    activity = chat(q, agent, when, minutes=minutes)
    return evaluation_create(
        access=access,
        scorecard_id=q.card.pk,
        activity_id=activity.pk,
        answers=answers(q, greet, tone, identity, resolution),
    ).evaluation


def member(q, username, segment):
    user = ws.user_create(
        organization=q.world.org, username=username, password="pw-12345678", first_name=username
    )
    ws.membership_set(workspace=q.ws, user=user, kind=UserKind.AGENT)
    Membership.objects.filter(workspace=q.ws, user=user).update(default_segment=segment)
    return user


def responses(q, activity, kind: str, scores: list[int], when):
    """Survey responses answering a ticket, made the ticket of `activity` (an agent's chat)."""
    survey = feedback.survey_create(workspace=q.ws, kind=kind, name=f"{kind} survey")
    case = make_case(q.ws)
    Activity.objects.filter(pk=activity.pk).update(case=case)
    out = []
    for score in scores:
        r, _ = feedback.response_submit(survey=survey, score=score, responded_at=when)
        Response.objects.filter(pk=r.pk).update(case=case)
        out.append(r)
    return out
