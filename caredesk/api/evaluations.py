"""Evaluations: create (an evaluator, or an integration such as an automatic QA system, with
`evaluate`), list with filters, read with answers and log, edit, acknowledge, change the
agent. The score is the server's (quality.scoring); each evaluation answers `passed`."""

import datetime as dt

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Bool, Id, In, Int, Text, UserRef, user_ref
from caredesk.care.models import Case
from caredesk.core import pagination
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY
from caredesk.quality import evaluations, scoring, selectors, services
from caredesk.quality.models import Evaluation, EvaluationChange, EvaluationSource
from caredesk.quality.people import int_or_none
from caredesk.workspaces.permissions import Perm

router = Router(tags=["evaluations"])

BASE = "/workspaces/{workspace}/evaluations"


# -- shapes -----------------------------------------------------------------------------------


class EvaluationAnswerIn(Schema):
    value: Int | None = Field(
        None, description="A point of the criterion's scale (yes/no: 1 or 0); null with na"
    )
    na: Bool = Field(False, description="Not applicable (only where the criterion allows it)")
    comment: Text(MAX_BODY) = ""
    message_ref: Text(40) = Field(
        "", description="The transcript line the comment is pinned to (a chat message id, s<n>)"
    )


class EvaluationIn(In):
    scorecard: Id
    activity: Id | None = Field(None, description="The activity evaluated (or `case`)")
    case: Id | None = Field(None, description="The ticket number evaluated (or `activity`)")
    agent: Id | None = Field(
        None, description="The agent evaluated; default: the activity's agent, the ticket's owner"
    )
    answers: dict[str, EvaluationAnswerIn] = Field(description="By criterion id")
    comment: Text(MAX_BODY) = ""
    external_id: Text(200) = Field(
        "", description="The integration's own id: posting it again answers the stored one"
    )


class EvaluationEditIn(In):
    answers: dict[str, EvaluationAnswerIn] | None = Field(
        None,
        description="Only the criteria that change, by id; an answer without `comment` keeps "
        "its comment and pin",
    )
    comment: Text(MAX_BODY) | None = Field(None, description="The overall comment")
    reason: Text(MAX_BODY) = Field(description="Why the result changes (logged with each change)")


class EvaluationAgentIn(In):
    agent: Id
    reason: Text(MAX_BODY)


class EvaluationScorecardRef(Schema):
    id: int
    name: str


class EvaluationAnswerOut(Schema):
    criterion: int
    question: str
    section: str
    value: int | None
    na: bool
    label: str
    weight: float
    earned: float | None = Field(description="Points earned of the weight; null when N/A")
    bonus: bool
    auto_fail: bool
    failed: bool
    comment: str
    message_ref: str


class EvaluationOut(Schema):
    id: int
    scorecard: EvaluationScorecardRef
    version: int = Field(description="The scorecard version's number it was scored on")
    activity: int | None
    case: int | None = Field(description="Ticket number")
    agent: UserRef | None
    evaluator: UserRef | None
    kind: str
    source: str
    external_id: str
    score: float
    passed: bool
    auto_failed: bool
    pass_mark: int
    comment: str
    occurred_at: dt.datetime
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    coaching_case: int | None = Field(description="The coaching case's ticket number")
    answers: list[EvaluationAnswerOut]


class EvaluationChangeOut(Schema):
    at: dt.datetime
    actor: UserRef | None
    action: str
    criterion: int | None
    field: str
    old_value: str
    new_value: str
    reason: str


class EvaluationDetailOut(EvaluationOut):
    log: list[EvaluationChangeOut]


class EvaluationCounts(Schema):
    total: int
    passed: int
    failed: int
    unacknowledged: int


class EvaluationPage(Schema):
    items: list[EvaluationOut]
    next_cursor: str | None
    prev_cursor: str | None
    counts: EvaluationCounts


class EvaluationListParams(Schema):
    agent: int | None = Field(None, description="The agent's user id")
    scorecard: int | None = None
    date_from: dt.date | None = Field(None, description="YYYY-MM-DD, a day of the caller's zone")
    date_to: dt.date | None = None
    passed: bool | None = None
    acknowledged: bool | None = None
    cursor: str = Field("", description="next_cursor of the previous response (older work)")
    before: str = Field("", description="prev_cursor of a response (newer work)")
    limit: int = Field(evaluations.PAGE_SIZE, ge=1, le=200)


def evaluation_out(e: Evaluation) -> dict:
    criteria = scoring.criteria_of(e.version.sections)
    stored = {a.criterion_id: a for a in e.answers.all()}
    answers = []
    for c in criteria:
        a = stored.get(c.id)
        if a is None:
            continue
        answers.append(
            {
                "criterion": c.id,
                "question": c.question,
                "section": c.section,
                "value": a.value,
                "na": a.na,
                "label": c.label_of(a.value, a.na),
                "weight": a.weight,
                "earned": None if a.fraction is None else round(a.weight * a.fraction, 4),
                "bonus": a.bonus,
                "auto_fail": c.auto_fail,
                "failed": a.failed,
                "comment": a.comment,
                "message_ref": a.message_ref,
            }
        )
    return {
        "id": e.pk,
        "scorecard": {"id": e.scorecard_id, "name": e.scorecard.name},
        "version": e.version.number,
        "activity": e.activity_id,
        "case": e.case.number if e.case_id and e.case else None,
        "agent": user_ref(e.agent),
        "evaluator": user_ref(e.evaluator),
        "kind": e.kind,
        "source": e.source,
        "external_id": e.external_id,
        "score": e.score,
        "passed": e.passed,
        "auto_failed": e.auto_failed,
        "pass_mark": e.version.pass_mark,
        "comment": e.comment,
        "occurred_at": e.occurred_at,
        "created_at": e.created_at,
        "acknowledged_at": e.acknowledged_at,
        "coaching_case": e.coaching_case.number if e.coaching_case_id and e.coaching_case else None,
        "answers": answers,
    }


def _detail_out(access, pk) -> dict:
    e = selectors.evaluation_get(access, pk)
    out = evaluation_out(e)
    out["log"] = [
        {
            "at": ch.at,
            "actor": user_ref(ch.actor),
            "action": ch.action,
            "criterion": ch.criterion_id,
            "field": ch.field,
            "old_value": ch.old_value,
            "new_value": ch.new_value,
            "reason": ch.reason,
        }
        for ch in EvaluationChange.objects.filter(evaluation=e).select_related("actor")
    ]
    return out


def _case_pk(access, number) -> int | None:
    if number is None:
        return None
    pk = Case.objects.visible_to(access).filter(number=number).values_list("pk", flat=True).first()
    if pk is None:
        raise FieldErrors.one("case", _("No such ticket."))
    return pk


# -- operations -------------------------------------------------------------------------------


@router.post(
    BASE,
    response={200: EvaluationDetailOut, 201: EvaluationDetailOut, **ERRORS},
    summary="Evaluate an activity or a ticket (evaluate)",
    description=(
        "201 with the stored evaluation, scored by the server. Posting the same one again "
        "(the same external_id, or the same evaluator, scorecard and activity or ticket) "
        "stores nothing: 200 with the first one. A failing evaluation opens one coaching case."
    ),
)
def evaluation_create(request, workspace: str, payload: EvaluationIn):
    access = api_access(request, workspace, require=Perm.EVALUATE)
    if payload.activity is not None and payload.case is not None:
        raise FieldErrors.one("activity", _("Evaluate either an activity or a ticket."))
    result = services.evaluation_create(
        access=access,
        scorecard_id=payload.scorecard,
        answers={k: v.dict() for k, v in payload.answers.items()},
        activity_id=payload.activity,
        case_id=_case_pk(access, payload.case),
        agent_id=payload.agent,
        comment=payload.comment,
        external_id=payload.external_id,
        source=EvaluationSource.API,
    )
    return Status(201 if result.created else 200, _detail_out(access, result.evaluation.pk))


@router.get(BASE, response={200: EvaluationPage, **ERRORS}, summary="List evaluations")
def evaluation_list(request, workspace: str, params: Query[EvaluationListParams]):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    for name in ("cursor", "before"):
        value = getattr(params, name)
        if value and pagination.decode_cursor(value) is None:
            raise FieldErrors.one(name, str(pagination.NOT_A_CURSOR))
    filters = evaluations.parse_filters(
        {
            k: getattr(params, k)
            for k in ("agent", "scorecard", "date_from", "date_to", "passed", "acknowledged")
        }
    )
    page = evaluations.evaluation_page(
        access, filters, after=params.cursor, before=params.before, size=params.limit
    )
    prefetch_related_objects(page.items, "answers", "case", "coaching_case")
    return {
        "items": [evaluation_out(e) for e in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
        "counts": evaluations.evaluation_counts(access, filters),
    }


@router.get(
    f"{BASE}/{{evaluation_id}}",
    response={200: EvaluationDetailOut, **ERRORS},
    summary="Get an evaluation with its answers and log",
)
def evaluation_get(request, workspace: str, evaluation_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return _detail_out(access, evaluation_id)


@router.patch(
    f"{BASE}/{{evaluation_id}}",
    response={200: EvaluationDetailOut, **ERRORS},
    summary="Edit a result (its evaluator, or an appeals reviewer)",
    description="The answers sent replace those criteria's; the score is computed again and "
    "every change is logged with the reason.",
)
def evaluation_edit(request, workspace: str, evaluation_id: int, payload: EvaluationEditIn):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    e = selectors.evaluation_get(access, evaluation_id)
    stored = services.given_of(e)
    answers = None
    if payload.answers is not None:
        answers = {}
        for key, item in payload.answers.items():
            sent = item.dict(exclude_unset=True)
            old = stored.get(int_or_none(key))
            answers[key] = {
                "value": sent.get("value"),
                "na": sent.get("na", False),
                "comment": sent["comment"] if "comment" in sent else (old.comment if old else ""),
                "message_ref": sent["message_ref"]
                if "message_ref" in sent
                else (old.message_ref if old else ""),
            }
    services.evaluation_edit(
        access=access, evaluation=e, answers=answers, reason=payload.reason, comment=payload.comment
    )
    return _detail_out(access, evaluation_id)


@router.post(
    f"{BASE}/{{evaluation_id}}/acknowledge",
    response={200: EvaluationDetailOut, **ERRORS},
    summary="Acknowledge an evaluation (the agent evaluated)",
)
def evaluation_acknowledge(request, workspace: str, evaluation_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    e = selectors.evaluation_get(access, evaluation_id)
    services.evaluation_acknowledge(access=access, evaluation=e)
    return _detail_out(access, evaluation_id)


@router.post(
    f"{BASE}/{{evaluation_id}}/agent",
    response={200: EvaluationDetailOut, **ERRORS},
    summary="Name the right agent of an evaluation (logged, with the reason)",
)
def evaluation_set_agent(request, workspace: str, evaluation_id: int, payload: EvaluationAgentIn):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    e = selectors.evaluation_get(access, evaluation_id)
    services.evaluation_set_agent(
        access=access, evaluation=e, agent_id=payload.agent, reason=payload.reason
    )
    if not Evaluation.objects.visible_to(access).filter(pk=e.pk).exists():
        # Now outside the caller's sight: the change is done; its log is no longer theirs.
        return {**evaluation_out(e), "log": []}
    return _detail_out(access, evaluation_id)
