"""The review queue over REST: sampling rules (manage_scorecards) and the queue's items
(evaluate): list with filters, claim, skip. Reads and writes through caredesk.quality.sampling;
the same has pages (Settings → Review rules, Coaching → Review queue)."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictBool, StrictStr

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, In, Int, UserRef, user_ref
from caredesk.core.errors import FieldErrors
from caredesk.quality import sampling
from caredesk.quality.models import ReviewStatus, SamplingKind
from caredesk.workspaces.permissions import Perm

router = Router()

WS = "/workspaces/{workspace}"
_kinds = ", ".join(SamplingKind.values)
_media = ", ".join(sampling.SAMPLED_KINDS)


class SamplingRuleOut(Schema):
    id: int
    name: str
    scorecard: int
    kind: str = Field(description=f"One of: {_kinds}")
    media_types: list[str]
    count: int
    period_days: int
    minutes: int
    active: bool
    description: str = Field(description="What the rule picks, in words")
    pending: int = Field(description="Its items waiting to be evaluated")


class SamplingRuleIn(In):
    name: StrictStr = Field(json_schema_extra={"maxLength": 200})
    scorecard: Int = Field(description="Scorecard id")
    kind: StrictStr = Field(description=f"One of: {_kinds}")
    media_types: list[StrictStr] = Field(
        default_factory=list,
        description=f"Any of: {_media}; empty: those the scorecard applies to",
    )
    count: Int = Field(5, description=f"per_agent: how many per agent, 1–{sampling.MAX_COUNT}")
    period_days: Int = Field(
        7,
        description=(
            f"per_agent: the period; detractor, longer_than: how far back to look "
            f"(1–{sampling.MAX_PERIOD_DAYS})"
        ),
    )
    minutes: Int = Field(20, description=f"longer_than: the minutes, 1–{sampling.MAX_MINUTES}")
    active: StrictBool = True


class SamplingRulePatch(In):
    name: StrictStr | None = Field(None, json_schema_extra={"maxLength": 200})
    scorecard: Int | None = None
    kind: StrictStr | None = Field(None, description=f"One of: {_kinds}")
    media_types: list[StrictStr] | None = None
    count: Int | None = None
    period_days: Int | None = None
    minutes: Int | None = None
    active: StrictBool | None = None


class ReviewItemActivity(Schema):
    id: int
    media_type: str
    queue_name: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    duration_seconds: int | None


class ReviewItemOut(Schema):
    id: int
    status: str = Field(description=f"One of: {', '.join(ReviewStatus.values)}")
    activity: ReviewItemActivity
    agent: UserRef | None
    assignee: UserRef | None
    scorecard: int
    rule: int | None
    reason: str
    evaluation: int | None
    created_at: dt.datetime


class ReviewCountsOut(Schema):
    pending: int
    mine: int
    done_week: int


def rule_out(rule) -> dict:
    return {
        "id": rule.pk,
        "name": rule.name,
        "scorecard": rule.scorecard_id,
        "kind": rule.kind,
        "media_types": rule.media_types,
        "count": rule.count,
        "period_days": rule.period_days,
        "minutes": rule.minutes,
        "active": rule.active,
        "description": sampling.rule_sentence(rule),
        "pending": rule.items.filter(status=ReviewStatus.PENDING).count(),
    }


def item_out(item) -> dict:
    a = item.activity
    seconds = (
        int((a.ended_at - a.started_at).total_seconds()) if a.started_at and a.ended_at else None
    )
    return {
        "id": item.pk,
        "status": item.status,
        "activity": {
            "id": a.pk,
            "media_type": a.media_type,
            "queue_name": a.queue_name,
            "started_at": a.started_at,
            "ended_at": a.ended_at,
            "duration_seconds": seconds,
        },
        "agent": user_ref(item.agent),
        "assignee": user_ref(item.assignee),
        "scorecard": item.scorecard_id,
        "rule": item.rule_id,
        "reason": item.reason,
        "evaluation": item.evaluation_id,
        "created_at": item.created_at,
    }


def _manage(request, workspace: str):
    return api_access(request, workspace, require=Perm.MANAGE_SCORECARDS)


def _evaluate(request, workspace: str):
    return api_access(request, workspace, require=Perm.EVALUATE)


# -- rules ------------------------------------------------------------------------------------


@router.get(
    f"{WS}/sampling-rules",
    response={200: list[SamplingRuleOut], **ERRORS},
    tags=["review queue"],
    summary="Review rules (manage_scorecards)",
)
def rule_list(request, workspace: str):
    access = _manage(request, workspace)
    return [rule_out(r) for r in sampling.rules_of(access)]


@router.post(
    f"{WS}/sampling-rules",
    response={201: SamplingRuleOut, **ERRORS},
    tags=["review queue"],
    summary="Create a review rule (manage_scorecards); the queue fills from it at once",
)
def rule_create(request, workspace: str, payload: SamplingRuleIn):
    access = _manage(request, workspace)
    rule = sampling.rule_create(access=access, **payload.dict())
    return Status(201, rule_out(rule))


@router.patch(
    f"{WS}/sampling-rules/{{rule_id}}",
    response={200: SamplingRuleOut, **ERRORS},
    tags=["review queue"],
    summary="Change a review rule (manage_scorecards; only the fields sent)",
)
def rule_update(request, workspace: str, rule_id: int, payload: SamplingRulePatch):
    access = _manage(request, workspace)
    rule = sampling.rule_get(access, rule_id)
    changes = payload.dict(exclude_unset=True)
    nulls = [k for k, v in changes.items() if v is None]
    if nulls:
        raise FieldErrors.one(nulls[0], _("Required."))
    rule = sampling.rule_update(access=access, rule=rule, **changes)
    return rule_out(rule)


@router.delete(
    f"{WS}/sampling-rules/{{rule_id}}",
    response={204: None, **ERRORS},
    tags=["review queue"],
    summary="Delete a review rule (manage_scorecards); its items stay in the queue",
)
def rule_delete(request, workspace: str, rule_id: int):
    access = _manage(request, workspace)
    sampling.rule_delete(access=access, rule=sampling.rule_get(access, rule_id))
    return Status(204, None)


# -- the queue --------------------------------------------------------------------------------


@router.get(
    f"{WS}/review-queue",
    response={200: list[ReviewItemOut], **ERRORS},
    tags=["review queue"],
    summary="The review queue's items I may see (evaluate), oldest activity first",
    description="At most `limit` items (default 100, at most 500).",
)
def queue_list(
    request,
    workspace: str,
    status: str = ReviewStatus.PENDING,
    agent: int | None = None,
    rule: int | None = None,
    media_type: str | None = None,
    mine: bool = False,
    limit: int = 100,
):
    access = _evaluate(request, workspace)
    if not 1 <= limit <= 500:
        raise FieldErrors.one(
            "limit", _("A whole number from %(low)s to %(high)s.") % {"low": 1, "high": 500}
        )
    items = sampling.queue_items(
        access, status=status, agent=agent, rule=rule, media_type=media_type, mine=mine
    )
    return [item_out(i) for i in items[:limit]]


@router.get(
    f"{WS}/review-queue/counts",
    response={200: ReviewCountsOut, **ERRORS},
    tags=["review queue"],
    summary="How many items wait (that I may see), are claimed by me, were evaluated in 7 days",
)
def queue_counts(request, workspace: str):
    return sampling.review_counts(_evaluate(request, workspace))


@router.post(
    f"{WS}/review-queue/{{item_id}}/claim",
    response={200: ReviewItemOut, **ERRORS},
    tags=["review queue"],
    summary="Claim an item: I will evaluate it (refused when someone else has)",
)
def queue_claim(request, workspace: str, item_id: int):
    access = _evaluate(request, workspace)
    item = sampling.item_claim(access=access, item=sampling.item_get(access, item_id))
    return item_out(sampling.item_get(access, item.pk))


@router.post(
    f"{WS}/review-queue/{{item_id}}/skip",
    response={200: ReviewItemOut, **ERRORS},
    tags=["review queue"],
    summary="Skip an item: it will not be evaluated",
)
def queue_skip(request, workspace: str, item_id: int):
    access = _evaluate(request, workspace)
    item = sampling.item_skip(access=access, item=sampling.item_get(access, item_id))
    return item_out(sampling.item_get(access, item.pk))
