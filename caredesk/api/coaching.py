"""Coaching over REST: agents' coaching plans (read), coaching sessions with their action
items, and who coaches whom (coach assignments, manage_care). Reads through
caredesk.coaching.selectors, writes through caredesk.coaching.sessions / assignments; the
same rules as the pages (an agent sees their own plan and sessions, a coach the agents they
coach, a manager their area; 404 outside)."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictBool, StrictStr

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Id, In, Text, UserRef, user_ref
from caredesk.coaching import assignments, selectors, sessions
from caredesk.coaching.models import ActionItem, SessionStatus
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY
from caredesk.workspaces.permissions import Perm

router = Router()

WS = "/workspaces/{workspace}"


# -- schemas ---------------------------------------------------------------------------------


class TrendWeek(Schema):
    week: dt.date = Field(description="The Monday of the week")
    score: float = Field(description="Mean share of the criterion earned, 0–100")
    answers: int


class FocusAreaOut(Schema):
    rank: int
    criterion: int = Field(description="Criterion id (stable across scorecard versions)")
    question: str
    lost_points: float = Field(description="Σ weight × (1 − share) over the period")
    answers: int
    failures: int
    score: float | None = Field(description="The agent's mean share on it, 0–100")
    team_score: float | None = Field(description="The team's mean share on it, 0–100")
    trend: list[TrendWeek]
    recommendation: str
    evaluation_ids: list[int] = Field(description="Newest evaluations that failed it")


class PlanFigures(Schema):
    period_days: int
    evaluations: int = 0
    score: float | None = None
    pass_rate: float | None = None
    team_score: float | None = None
    team_size: int | None = None
    csat: float | None = Field(None, description="% of CSAT answers 4–5")
    nps: float | None = Field(None, description="% promoters − % detractors")
    responses: int | None = None
    handle_seconds: float | None = None
    team_handle_seconds: float | None = None
    volume: int = 0
    team_volume: float | None = None


class PlanOut(Schema):
    agent: UserRef
    built_at: dt.datetime | None = Field(description="Null: not built yet")
    figures: PlanFigures | None
    focus_areas: list[FocusAreaOut]


class ActionItemOut(Schema):
    id: int
    text: str
    due_date: dt.date | None
    done: bool
    done_at: dt.datetime | None


class EffectOut(Schema):
    criterion: int
    question: str
    before: float | None = Field(description="Mean score 0–100 in the 4 weeks before")
    before_answers: int
    after: float | None = Field(description="Mean score 0–100 in the 4 weeks from the session")
    after_answers: int


class SessionOut(Schema):
    id: int
    agent: UserRef
    coach: UserRef | None
    scheduled_at: dt.datetime
    status: str = Field(description=f"One of: {', '.join(SessionStatus.values)}")
    criteria: list[int]
    notes: str
    done_at: dt.datetime | None
    action_items: list[ActionItemOut]
    effect: list[EffectOut]


class SessionIn(In):
    agent: Id
    scheduled_at: dt.datetime
    criteria: list[Id] = Field(json_schema_extra={"minItems": 1, "maxItems": 20})
    notes: Text(MAX_BODY) = ""


class SessionPatch(In):
    scheduled_at: dt.datetime | None = None
    criteria: list[Id] | None = Field(None, json_schema_extra={"maxItems": 20})
    notes: Text(MAX_BODY) | None = None
    status: StrictStr | None = Field(None, description="done or cancelled (from scheduled only)")


class ActionItemIn(In):
    text: Text(500)
    due_date: dt.date | None = None


class ActionItemPatch(In):
    done: StrictBool | None = None
    text: Text(500) | None = None
    due_date: dt.date | None = None


class AssignmentOut(Schema):
    id: int
    coach: UserRef
    agent: UserRef | None
    segment: int | None = Field(description="Segment id, when the coach has a whole segment")


class AssignmentIn(In):
    coach: Id
    agent: Id | None = Field(None, description="Either an agent…")
    segment: Id | None = Field(None, description="…or a segment")


# -- helpers ---------------------------------------------------------------------------------


def _plan_out(agent, plan) -> dict:
    return {
        "agent": user_ref(agent),
        "built_at": plan.built_at if plan else None,
        "figures": plan.figures if plan else None,
        "focus_areas": [
            {
                "rank": a.rank,
                "criterion": a.criterion_id,
                "question": a.question,
                "lost_points": a.lost_points,
                "answers": a.answers,
                "failures": a.failures,
                "score": a.score,
                "team_score": a.team_score,
                "trend": a.trend,
                "recommendation": a.recommendation,
                "evaluation_ids": a.evaluation_ids,
            }
            for a in (plan.focus_areas.all() if plan else [])
        ],
    }


def _item_out(i: ActionItem) -> dict:
    return {
        "id": i.pk,
        "text": i.text,
        "due_date": i.due_date,
        "done": i.done,
        "done_at": i.done_at,
    }


def _session_out(s) -> dict:
    return {
        "id": s.pk,
        "agent": user_ref(s.agent),
        "coach": user_ref(s.coach),
        "scheduled_at": s.scheduled_at,
        "status": s.status,
        "criteria": sorted(c.pk for c in s.criteria.all()),
        "notes": s.notes,
        "done_at": s.done_at,
        "action_items": [_item_out(i) for i in s.action_items.all()],
        "effect": [
            {
                "criterion": e.criterion_id,
                "question": e.question,
                "before": e.before,
                "before_answers": e.before_answers,
                "after": e.after,
                "after_answers": e.after_answers,
            }
            for e in selectors.session_effect(s)
        ],
    }


def _assignment_out(a) -> dict:
    return {
        "id": a.pk,
        "coach": user_ref(a.coach),
        "agent": user_ref(a.agent),
        "segment": a.segment_id,
    }


# -- plans -----------------------------------------------------------------------------------


@router.get(
    f"{WS}/coaching-plans",
    response={200: list[PlanOut], **ERRORS},
    tags=["coaching"],
    summary="Coaching plans of the agents I see (my own for an agent)",
)
def plan_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return [_plan_out(p.agent, p) for p in selectors.plans_visible(access)]


@router.get(
    f"{WS}/coaching-plans/{{agent_id}}",
    response={200: PlanOut, **ERRORS},
    tags=["coaching"],
    summary="One agent's coaching plan (built_at null before it is first built)",
)
def plan_get(request, workspace: str, agent_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    agent, plan = selectors.plan_of(access, agent_id)
    return _plan_out(agent, plan)


# -- sessions --------------------------------------------------------------------------------


def _session(access, session_id: int):
    return selectors.session_get(access, session_id)


@router.get(
    f"{WS}/coaching-sessions",
    response={200: list[SessionOut], **ERRORS},
    tags=["coaching"],
    summary="Coaching sessions I see, newest first (at most 200)",
)
def session_list(request, workspace: str, agent: int | None = None, status: str | None = None):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    qs = selectors.sessions_visible(access).prefetch_related("criteria", "action_items")
    if agent is not None:
        qs = qs.filter(agent_id=agent)
    if status:
        if status not in SessionStatus.values:
            raise FieldErrors.one(
                "status", _("One of: %(values)s.") % {"values": ", ".join(SessionStatus.values)}
            )
        qs = qs.filter(status=status)
    return [_session_out(s) for s in qs.order_by("-scheduled_at", "-id")[:200]]


@router.post(
    f"{WS}/coaching-sessions",
    response={201: SessionOut, **ERRORS},
    tags=["coaching"],
    summary="Schedule a coaching session with an agent I coach or manage (evaluate)",
)
def session_create(request, workspace: str, payload: SessionIn):
    access = api_access(request, workspace, require=Perm.EVALUATE)
    s = sessions.session_create(
        access=access,
        agent_id=payload.agent,
        scheduled_at=payload.scheduled_at,
        criteria=payload.criteria,
        notes=payload.notes,
    )
    return Status(201, _session_out(_session(access, s.pk)))


@router.get(
    f"{WS}/coaching-sessions/{{session_id}}",
    response={200: SessionOut, **ERRORS},
    tags=["coaching"],
    summary="One coaching session, with its action items and effect",
)
def session_get(request, workspace: str, session_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return _session_out(_session(access, session_id))


@router.patch(
    f"{WS}/coaching-sessions/{{session_id}}",
    response={200: SessionOut, **ERRORS},
    tags=["coaching"],
    summary="Change a session's time, criteria, notes or status (its coach or a manager)",
)
def session_update(request, workspace: str, session_id: int, payload: SessionPatch):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    s = _session(access, session_id)
    data = payload.dict(exclude_unset=True)
    sessions.session_update(
        access=access,
        session=s,
        notes=data.get("notes"),
        status=data.get("status"),
        scheduled_at=data.get("scheduled_at"),
        criteria=data.get("criteria"),
    )
    return _session_out(_session(access, s.pk))


@router.delete(
    f"{WS}/coaching-sessions/{{session_id}}",
    response={204: None, **ERRORS},
    tags=["coaching"],
    summary="Delete a coaching session (its coach or a manager)",
)
def session_delete(request, workspace: str, session_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    sessions.session_delete(access=access, session=_session(access, session_id))
    return Status(204, None)


@router.post(
    f"{WS}/coaching-sessions/{{session_id}}/action-items",
    response={201: ActionItemOut, **ERRORS},
    tags=["coaching"],
    summary="Add an agreed action item (text, due date) to a session",
)
def action_item_add(request, workspace: str, session_id: int, payload: ActionItemIn):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    item = sessions.action_item_add(
        access=access,
        session=_session(access, session_id),
        text=payload.text,
        due_date=payload.due_date,
    )
    return Status(201, _item_out(item))


@router.patch(
    f"{WS}/coaching-sessions/{{session_id}}/action-items/{{item_id}}",
    response={200: ActionItemOut, **ERRORS},
    tags=["coaching"],
    summary="Tick an action item done (the agent may), or change it (the coach)",
)
def action_item_set(
    request, workspace: str, session_id: int, item_id: int, payload: ActionItemPatch
):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    s = _session(access, session_id)
    item = ActionItem.objects.filter(session=s, pk=item_id).first()
    if item is None:
        raise Http404("No such action item")
    item.session = s
    data = payload.dict(exclude_unset=True)
    sessions.action_item_set(
        access=access,
        item=item,
        done=data.get("done"),
        text=data.get("text"),
        due_date=data.get("due_date"),
    )
    return _item_out(item)


# -- coach assignments -----------------------------------------------------------------------


@router.get(
    f"{WS}/coach-assignments",
    response={200: list[AssignmentOut], **ERRORS},
    tags=["coaching"],
    summary="Who coaches whom (manage_care)",
)
def assignment_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    return [_assignment_out(a) for a in assignments.assignments(access)]


@router.post(
    f"{WS}/coach-assignments",
    response={201: AssignmentOut, **ERRORS},
    tags=["coaching"],
    summary="Make a member holding evaluate the coach of an agent or a segment (manage_care)",
)
def assignment_create(request, workspace: str, payload: AssignmentIn):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    a = assignments.coach_assign(
        access=access, coach_id=payload.coach, agent_id=payload.agent, segment_id=payload.segment
    )
    return Status(201, _assignment_out(assignments.assignment_get(access, a.pk)))


@router.get(
    f"{WS}/coach-assignments/{{assignment_id}}",
    response={200: AssignmentOut, **ERRORS},
    tags=["coaching"],
    summary="One coach assignment (manage_care)",
)
def assignment_get(request, workspace: str, assignment_id: int):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    return _assignment_out(assignments.assignment_get(access, assignment_id))


@router.delete(
    f"{WS}/coach-assignments/{{assignment_id}}",
    response={204: None, **ERRORS},
    tags=["coaching"],
    summary="Remove a coach assignment (manage_care)",
)
def assignment_delete(request, workspace: str, assignment_id: int):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    assignments.coach_unassign(
        access=access, assignment=assignments.assignment_get(access, assignment_id)
    )
    return Status(204, None)
