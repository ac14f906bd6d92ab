"""Appeals: the evaluated agent appeals an evaluation; the reviewer decides; lists with counts
per status (caredesk.quality.appeals)."""

import datetime as dt
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, In, Int, Text, UserRef, user_ref
from caredesk.core import pagination
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY, MAX_KEYS
from caredesk.quality import appeals
from caredesk.quality.models import Appeal
from caredesk.quality.selectors import evaluation_get
from caredesk.workspaces.permissions import Perm

router = Router(tags=["appeals"])

WS = "/workspaces/{workspace}"
BASE = f"{WS}/appeals"


class AppealItemOut(Schema):
    criterion: int
    proposed_value: int | None = Field(description="null when N/A is proposed")
    proposed_na: bool
    comment: str
    accepted: bool | None = Field(description="the reviewer's decision; null while open")


class AppealOut(Schema):
    id: int
    evaluation: int
    agent: UserRef | None
    reviewer: UserRef | None = Field(
        description="who is to decide: the named arbitrator or the evaluator's manager; null: "
        "any member holding review_appeals who sees the evaluation"
    )
    comment: str
    status: str = Field(description="open, accepted, partial or rejected")
    items: list[AppealItemOut]
    decided_by: UserRef | None
    decision_comment: str
    score_before: float | None = Field(description="the evaluation's score when decided")
    score_after: float | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


class AppealCounts(Schema):
    open: int
    accepted: int
    partial: int
    rejected: int
    total: int


class AppealPage(Schema):
    counts: AppealCounts = Field(description="per status, over the other filters")
    items: list[AppealOut]
    next_cursor: str | None
    prev_cursor: str | None


class AppealListParams(Schema):
    status: str = Field("", description="open, accepted, partial or rejected")
    agent: str = Field("", description="user id of the agent evaluated")
    reviewer: str = Field("", description="user id of the named reviewer")
    mine: bool = Field(False, description="only the open appeals waiting for my decision")
    cursor: str = Field("", description="next_cursor of the previous response (older appeals)")
    before: str = Field("", description="prev_cursor of a response (newer appeals)")
    limit: int = Field(50, ge=1, le=200)


class AppealIn(In):
    comment: Text(MAX_BODY) = Field(description="why the agent appeals (required)")
    items: dict[str, Any] = Field(
        json_schema_extra={"maxProperties": MAX_KEYS},
        description='per disputed criterion id the proposed answer: {"<criterion id>": '
        '{"value": <a value on its scale> | null, "na": true|false, "comment": "…"}}',
    )


class DecisionIn(In):
    decision: str = Field(description="accept, partial or reject")
    comment: Text(MAX_BODY) = Field(description="the reviewer's reason (required)")
    accepted_items: list[Int] | None = Field(
        None,
        json_schema_extra={"maxItems": MAX_KEYS},
        description="partial: the criterion ids accepted (all of them is an acceptance)",
    )


def appeal_out(appeal: Appeal) -> dict:
    return {
        "id": appeal.pk,
        "evaluation": appeal.evaluation_id,
        "agent": user_ref(appeal.agent),
        "reviewer": user_ref(appeal.reviewer),
        "comment": appeal.comment,
        "status": appeal.status,
        "items": [
            {
                "criterion": i.criterion_id,
                "proposed_value": i.proposed_value,
                "proposed_na": i.proposed_na,
                "comment": i.comment,
                "accepted": i.accepted,
            }
            for i in appeal.items.all()
        ],
        "decided_by": user_ref(appeal.decided_by),
        "decision_comment": appeal.decision_comment,
        "score_before": appeal.score_before,
        "score_after": appeal.score_after,
        "created_at": appeal.created_at,
        "decided_at": appeal.decided_at,
    }


@router.post(
    f"{WS}/evaluations/{{evaluation_id}}/appeals",
    response={201: AppealOut, **ERRORS},
    summary="Appeal an evaluation (its agent)",
    description="Only the agent evaluated, within the workspace's appeal window, one open "
    "appeal per evaluation; 400 naming evaluation, comment or items.<criterion id>.",
)
def appeal_create(request, workspace: str, evaluation_id: int, payload: AppealIn):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    evaluation = evaluation_get(access, evaluation_id)
    appeal = appeals.appeal_create(
        access=access, evaluation=evaluation, comment=payload.comment, items=payload.items
    )
    return Status(201, appeal_out(appeals.appeal_get(access, appeal.pk)))


@router.get(BASE, response={200: AppealPage, **ERRORS}, summary="List appeals with counts")
def appeal_list(request, workspace: str, params: Query[AppealListParams]):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    for name in ("cursor", "before"):
        value = getattr(params, name)
        if value and pagination.decode_cursor(value) is None:
            raise FieldErrors.one(name, _("Not a cursor returned by this API."))
    listed = appeals.appeals_listed(
        access,
        status=params.status,
        agent=params.agent,
        reviewer=params.reviewer,
        mine=params.mine,
    )
    page = pagination.keyset_page(
        listed.rows.select_related("agent"),
        "created_at",
        after=params.cursor,
        before=params.before,
        size=params.limit,
    )
    prefetch_related_objects(page.items, "items")
    return {
        "counts": listed.counts,
        "items": [appeal_out(a) for a in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.get(f"{BASE}/{{appeal_id}}", response={200: AppealOut, **ERRORS}, summary="An appeal")
def appeal_read(request, workspace: str, appeal_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return appeal_out(appeals.appeal_get(access, appeal_id))


@router.post(
    f"{BASE}/{{appeal_id}}/decision",
    response={200: AppealOut, **ERRORS},
    summary="Decide an appeal (review_appeals)",
    description="accept, partial (accepted_items) or reject, with a comment. Accepted items "
    "change the evaluation's answers and score (logged as appeal_accepted); a rejection "
    "changes nothing on the evaluation.",
)
def appeal_decision(request, workspace: str, appeal_id: int, payload: DecisionIn):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    appeal = appeals.appeal_get(access, appeal_id)
    appeals.appeal_decide(
        access=access,
        appeal=appeal,
        decision=payload.decision,
        comment=payload.comment,
        accepted_items=payload.accepted_items,
    )
    return appeal_out(appeals.appeal_get(access, appeal.pk))
