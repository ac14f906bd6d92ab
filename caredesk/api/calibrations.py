"""Calibration sessions (caredesk.quality.calibration): start one (review_appeals), read the
ones you started or were invited to, score one blind (evaluate), close it (its starter).
Blind: a session's `result` is null until the caller has scored it or it is closed."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Id, In, Text, UserRef, user_ref
from caredesk.care.models import Case
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY
from caredesk.quality import calibration as cal
from caredesk.quality.models import CalibrationSession, CalibrationStatus
from caredesk.workspaces.permissions import Perm

router = Router(tags=["calibrations"])

BASE = "/workspaces/{workspace}/calibrations"


class CalibrationIn(In):
    activity: Id | None = Field(None, description="The activity (chat, call, email…) to score")
    ticket: Id | None = Field(None, description="Or a ticket's number")
    scorecard: Id = Field(
        description="A scorecard that applies to the work; its current "
        "version is pinned on the session"
    )
    invitees: list[Id] = Field(
        description="Members holding `evaluate`, at least 2, not the work's agent",
        json_schema_extra={"maxItems": cal.MAX_INVITEES},
    )
    title: Text(200) = ""


class CalibrationScoreIn(In):
    answers: dict[str, Any] = Field(
        description='By criterion id: {"<id>": {"value": int | null, "na": bool, "comment": '
        'str, "message_ref": str}}; every regular criterion answered',
        json_schema_extra={"maxProperties": 200},
    )
    comment: Text(MAX_BODY) = ""


class CellOut(Schema):
    evaluator: int | None = Field(description="User id")
    value: int | None
    na: bool
    label: str
    share: float | None = Field(description="Share of the weight earned, 0–1; null when N/A")
    points: float | None = Field(description="weight × share")
    comment: str


class CalibrationCriterionOut(Schema):
    criterion: int
    section: str
    question: str
    weight: float
    answers: list[CellOut]
    min_points: float | None
    max_points: float | None
    sd_points: float | None = Field(description="Population standard deviation, in points")
    agreement: float | None = Field(
        description="Pairwise percent agreement, 0–100: the share of evaluator pairs giving "
        "the same answer; null with fewer than 2 scores"
    )
    pairs: int
    agreeing_pairs: int


class EvaluatorOut(Schema):
    evaluator: UserRef | None
    evaluation: int
    score: float
    passed: bool
    diff: float = Field(description="score minus the session's mean score")


class CalibrationResultOut(Schema):
    evaluators: list[EvaluatorOut]
    criteria: list[CalibrationCriterionOut]
    mean_score: float | None
    alpha: float | None = Field(
        description="Krippendorff's alpha, interval level, units = criteria, values = the "
        "share earned (N/A missing): 1 perfect, ≥ 0.8 good, ≤ 0.667 poor; null unless "
        "alpha_state is computed"
    )
    alpha_state: str = Field(description="computed, perfect, no_variation or too_few")
    agreement: float | None = Field(description="Pairwise percent agreement over all criteria")


class CalibrationOut(Schema):
    id: int
    title: str
    status: str = Field(description="open or closed")
    activity: int | None
    ticket: int | None = Field(description="The ticket's number")
    scorecard: int
    version: int = Field(description="The scorecard version's number, pinned on the session")
    started_by: UserRef | None
    invitees: list[UserRef]
    submitted: int = Field(description="How many have scored it")
    my_evaluation: int | None = Field(description="The caller's calibration evaluation's id")
    created_at: dt.datetime
    closed_at: dt.datetime | None
    result: CalibrationResultOut | None = Field(
        description="The answers side by side with spread and agreement (GET one session "
        "only); null until the caller has scored the session or it is closed"
    )


def result_out(result: cal.Result) -> dict:
    return {
        "evaluators": [
            {
                "evaluator": user_ref(c.evaluation.evaluator),
                "evaluation": c.evaluation.pk,
                "score": c.score,
                "passed": c.passed,
                "diff": c.diff,
            }
            for c in result.columns
        ],
        "criteria": [
            {
                "criterion": row.criterion.id,
                "section": title,
                "question": row.criterion.question,
                "weight": row.criterion.weight,
                "answers": [
                    {
                        "evaluator": col.evaluation.evaluator_id,
                        "value": cell.value,
                        "na": cell.na,
                        "label": cell.label,
                        "share": cell.share,
                        "points": cell.points,
                        "comment": cell.comment,
                    }
                    for col, cell in zip(result.columns, row.cells, strict=True)
                ],
                "min_points": row.min_points,
                "max_points": row.max_points,
                "sd_points": row.sd_points,
                "agreement": row.agreement,
                "pairs": row.pairs,
                "agreeing_pairs": row.agreeing_pairs,
            }
            for title, rows in result.sections
            for row in rows
        ],
        "mean_score": result.mean_score,
        "alpha": result.alpha,
        "alpha_state": result.alpha_state,
        "agreement": result.agreement,
    }


def calibration_out(access, session: CalibrationSession, row: cal.SessionRow | None = None) -> dict:
    """One session; `row` (from the list) carries its counts, else they are read here and the
    result is added for whoever may see it."""
    if row is None:
        own = cal.own_evaluation(access, session)
        own_id, submitted = (own.pk if own else None), cal.submitted_count(session)
    else:
        own_id, submitted = row.my_evaluation_id, row.submitted
    sees = row is None and (session.status == CalibrationStatus.CLOSED or own_id is not None)
    return {
        "id": session.pk,
        "title": session.title,
        "status": session.status,
        "activity": session.activity_id,
        "ticket": session.case.number if session.case_id else None,
        "scorecard": session.scorecard_id,
        "version": session.version.number,
        "started_by": user_ref(session.started_by),
        "invitees": [
            user_ref(u)
            for u in sorted(session.invitees.all(), key=lambda u: (u.first_name, u.last_name, u.pk))
        ],
        "submitted": submitted,
        "my_evaluation": own_id,
        "created_at": session.created_at,
        "closed_at": session.closed_at,
        "result": result_out(cal.calibration_result(session)) if sees else None,
    }


@router.get(BASE, response={200: list[CalibrationOut], **ERRORS}, summary="List calibrations")
def calibration_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    cal.require_calibration(access)
    return [calibration_out(access, r.session, r) for r in cal.session_rows(access)]


@router.post(
    BASE,
    response={201: CalibrationOut, **ERRORS},
    summary="Start a calibration session (review_appeals)",
)
def calibration_start(request, workspace: str, payload: CalibrationIn):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    access.require(cal.START)
    case_id = None
    if payload.ticket is not None:
        case_id = (
            Case.objects.filter(workspace=access.workspace, number=payload.ticket)
            .values_list("pk", flat=True)
            .first()
        )
        if case_id is None:
            raise FieldErrors.one("ticket", _("No such ticket."))
    try:
        session = cal.calibration_start(
            access=access,
            activity_id=payload.activity,
            case_id=case_id,
            scorecard_id=payload.scorecard,
            invitee_ids=payload.invitees,
            title=payload.title,
        )
    except FieldErrors as e:
        raise FieldErrors(
            {("ticket" if k == "case" else k): v for k, v in e.errors.items()}
        ) from None
    return Status(201, calibration_out(access, session))


@router.get(
    f"{BASE}/{{calibration_id}}",
    response={200: CalibrationOut, **ERRORS},
    summary="One calibration session (blind until you have scored it)",
)
def calibration_get(request, workspace: str, calibration_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    cal.require_calibration(access)
    session = cal.session_get(access, calibration_id)
    return calibration_out(access, session)


@router.post(
    f"{BASE}/{{calibration_id}}/evaluations",
    response={201: CalibrationOut, **ERRORS},
    summary="Score a calibration session, once (an invitee or its starter)",
)
def calibration_score(request, workspace: str, calibration_id: int, payload: CalibrationScoreIn):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    cal.require_calibration(access)
    session = cal.session_get(access, calibration_id)
    cal.calibration_score(
        access=access, session=session, answers=payload.answers, comment=payload.comment
    )
    return Status(201, calibration_out(access, session))


@router.post(
    f"{BASE}/{{calibration_id}}/close",
    response={200: CalibrationOut, **ERRORS},
    summary="Close a calibration session (its starter)",
)
def calibration_close(request, workspace: str, calibration_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    cal.require_calibration(access)
    session = cal.session_get(access, calibration_id)
    session = cal.calibration_close(access=access, session=session)
    return calibration_out(access, session)
