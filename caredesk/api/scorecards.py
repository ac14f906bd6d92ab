"""Scorecards (with versions) and their rescoring. Reading needs use_care (evaluators and
integrations score with them); writing needs manage_scorecards."""

import datetime as dt
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Bool, In, Int, Text, UserRef, user_ref
from caredesk.quality import rescoring, scorecard_selectors
from caredesk.quality.models import RescoreStatus, Scale
from caredesk.quality.prefill import AUTO_CHECKS
from caredesk.quality.scorecards import TARGET_KINDS, scorecard_create, scorecard_update
from caredesk.workspaces.permissions import Perm

router = Router(tags=["quality"])

BASE = "/workspaces/{workspace}/scorecards"

SECTIONS_DOC = (
    'Sections: [{"title": str, "criteria": [{"id": int (an existing criterion; leave out for '
    'a new one), "question": str, "weight": number > 0, "scale": one of '
    f"{', '.join(Scale.values)}, "
    '"points": [{"value": int 0–100, "label": str, "score": 0–100}] (custom scale only), '
    '"na_allowed": bool, "auto_fail": bool, "bonus": bool, "recommendation": str, '
    '"auto_check": "" or one of '
    f"{', '.join(AUTO_CHECKS)} (yes/no criteria: prefilled from the activity's analysis)"
    "}]}]. "
    'Errors name the field, e.g. "sections.0.criteria.2.weight".'
)


class PointOut(Schema):
    value: int
    label: str
    score: float


class CriterionOut(Schema):
    id: int = Field(description="Stable across versions")
    question: str
    weight: float
    scale: str = Field(description=f"One of: {', '.join(Scale.values)}")
    points: list[PointOut]
    na_allowed: bool
    auto_fail: bool
    bonus: bool
    recommendation: str
    auto_check: str = Field(
        "", description="An automatic check prefilling the answer from the analysis; empty: none"
    )


class SectionOut(Schema):
    title: str
    criteria: list[CriterionOut]


class VersionOut(Schema):
    number: int
    pass_mark: int
    media_types: list[str]
    queue_names: list[str]
    sections: list[SectionOut]
    evaluations: int = Field(description="Regular evaluations scored on this version")
    created_by: UserRef | None
    created_at: dt.datetime


class ScorecardOut(Schema):
    id: int
    name: str
    active: bool
    current_version: int = Field(description="The number of the version new evaluations use")
    pass_mark: int
    media_types: list[str]
    queue_names: list[str]
    sections: list[SectionOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class ScorecardIn(In):
    name: Text(200)
    sections: list[Any] = Field(description=SECTIONS_DOC)
    pass_mark: Int = Field(80, description="0–100")
    media_types: list[Any] = Field(
        default_factory=list, description=f"Any of: {', '.join(TARGET_KINDS)}; empty: any"
    )
    queue_names: list[Any] = Field(default_factory=list, description="Empty: any queue")


class ScorecardPatch(In):
    name: Text(200) | None = None
    sections: list[Any] | None = Field(
        None,
        description=SECTIONS_DOC
        + " Once the current version has evaluations, a change makes a new version.",
    )
    pass_mark: Int | None = None
    media_types: list[Any] | None = None
    queue_names: list[Any] | None = None
    active: Bool | None = Field(None, description="Off: offered nowhere for new evaluations")


class RescoreOut(Schema):
    id: int
    status: str = Field(description=f"One of: {', '.join(RescoreStatus.values)}")
    to_version: int
    total: int
    done: int
    error: str
    started_by: UserRef | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _sections(sections) -> list[dict]:
    return [
        {
            "title": s.get("title", ""),
            "criteria": [
                {
                    "id": c["id"],
                    "question": c.get("question", ""),
                    "weight": c.get("weight", 1),
                    "scale": c.get("scale", Scale.YES_NO),
                    "points": c.get("points") or [],
                    "na_allowed": bool(c.get("na_allowed")),
                    "auto_fail": bool(c.get("auto_fail")),
                    "bonus": bool(c.get("bonus")),
                    "recommendation": c.get("recommendation", ""),
                    "auto_check": c.get("auto_check", ""),
                }
                for c in s.get("criteria", [])
            ],
        }
        for s in sections or []
    ]


def scorecard_out(card) -> dict:
    v = card.current_version
    return {
        "id": card.pk,
        "name": card.name,
        "active": card.active,
        "current_version": v.number,
        "pass_mark": v.pass_mark,
        "media_types": v.media_types,
        "queue_names": v.queue_names,
        "sections": _sections(v.sections),
        "created_at": card.created_at,
        "updated_at": card.updated_at,
    }


def version_out(v) -> dict:
    return {
        "number": v.number,
        "pass_mark": v.pass_mark,
        "media_types": v.media_types,
        "queue_names": v.queue_names,
        "sections": _sections(v.sections),
        "evaluations": getattr(v, "n_evaluations", 0),
        "created_by": user_ref(v.created_by),
        "created_at": v.created_at,
    }


def rescore_out(job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "to_version": job.to_version.number,
        "total": job.total,
        "done": job.done,
        "error": job.error,
        "started_by": user_ref(job.started_by),
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.get(BASE, response={200: list[ScorecardOut], **ERRORS}, summary="List scorecards")
def scorecards_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return [scorecard_out(c) for c in scorecard_selectors.scorecard_list(access)]


@router.post(
    BASE,
    response={201: ScorecardOut, **ERRORS},
    summary="Create a scorecard (manage_scorecards)",
)
def scorecards_create(request, workspace: str, payload: ScorecardIn):
    access = api_access(request, workspace, require=Perm.MANAGE_SCORECARDS)
    card = scorecard_create(access=access, **payload.dict())
    return Status(201, scorecard_out(card))


@router.get(
    f"{BASE}/{{scorecard_id}}", response={200: ScorecardOut, **ERRORS}, summary="A scorecard"
)
def scorecards_get(request, workspace: str, scorecard_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    return scorecard_out(scorecard_selectors.scorecard_get(access, scorecard_id))


@router.patch(
    f"{BASE}/{{scorecard_id}}",
    response={200: ScorecardOut, **ERRORS},
    summary="Change a scorecard (manage_scorecards)",
    description="Only the fields present change. A change of the sections, pass mark or "
    "targets makes a new version once the current one has evaluations (they keep theirs).",
)
def scorecards_patch(request, workspace: str, scorecard_id: int, payload: ScorecardPatch):
    access = api_access(request, workspace, require=Perm.MANAGE_SCORECARDS)
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    card, _made = scorecard_update(
        access=access, scorecard=card, **payload.dict(exclude_unset=True)
    )
    return scorecard_out(card)


@router.get(
    f"{BASE}/{{scorecard_id}}/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="A scorecard's versions, newest first",
)
def scorecards_versions(request, workspace: str, scorecard_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    return [version_out(v) for v in scorecard_selectors.versions_of(card)]


@router.get(
    f"{BASE}/{{scorecard_id}}/versions/{{number}}",
    response={200: VersionOut, **ERRORS},
    summary="One version of a scorecard",
)
def scorecards_version(request, workspace: str, scorecard_id: int, number: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    return version_out(scorecard_selectors.version_get(card, number))


@router.post(
    f"{BASE}/{{scorecard_id}}/rescore",
    response={202: RescoreOut, **ERRORS},
    summary="Rescore past evaluations on the current version (manage_scorecards)",
    description="Queues a job moving the scorecard's evaluations of older versions onto its "
    "current version and scoring them again; follow it at rescores/{job}. 400 while one runs "
    "or when nothing is on an older version. A rescore opens no coaching case.",
)
def scorecards_rescore(request, workspace: str, scorecard_id: int):
    access = api_access(request, workspace, require=Perm.MANAGE_SCORECARDS)
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    job = rescoring.rescore_start(access=access, scorecard=card)
    job = scorecard_selectors.rescore_job_get(card, job.pk)
    return Status(202, rescore_out(job))


@router.get(
    f"{BASE}/{{scorecard_id}}/rescores/{{job_id}}",
    response={200: RescoreOut, **ERRORS},
    summary="A rescore job and its progress",
)
def scorecards_rescore_get(request, workspace: str, scorecard_id: int, job_id: int):
    access = api_access(request, workspace, require=Perm.MANAGE_SCORECARDS)
    card = scorecard_selectors.scorecard_get(access, scorecard_id)
    return rescore_out(scorecard_selectors.rescore_job_get(card, job_id))
