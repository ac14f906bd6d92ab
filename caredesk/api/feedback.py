"""Feedback: surveys and the responses integrations send to them."""

import datetime as dt
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from caredesk.api.schemas import ERRORS
from caredesk.feedback import selectors, services
from caredesk.feedback.models import Response, Survey
from caredesk.workspaces.access import get_access
from caredesk.workspaces.permissions import Perm

router = Router(tags=["feedback"])

BASE = "/workspaces/{workspace}/surveys"


class SurveyOut(Schema):
    id: int
    kind: str
    name: str
    is_active: bool
    public_url: str
    created_at: dt.datetime


class ResponseIn(Schema):
    score: int | None = Field(None, description="NPS 0–10, CSAT 1–5")
    comment: str = ""
    customer_email: str = ""
    segment: int | None = Field(None, description="Segment id")
    transaction: dict[str, Any] = Field(
        default_factory=dict, description="Order id, channel, agent or any key/value"
    )
    answers: dict[str, Any] = Field(default_factory=dict)
    external_id: str | None = Field(
        None, description="Your id; a response sent again with it is stored once"
    )


class ResponseOut(Schema):
    id: int
    survey: int
    external_id: str | None
    score: int | None
    comment: str
    customer_email: str
    segment: int | None
    transaction: dict[str, Any]
    answers: dict[str, Any]
    created_at: dt.datetime


def survey_out(survey: Survey) -> dict:
    return {
        "id": survey.pk,
        "kind": survey.kind,
        "name": survey.name,
        "is_active": survey.is_active,
        "public_url": f"/s/{survey.token}/",
        "created_at": survey.created_at,
    }


def response_out(response: Response) -> dict:
    return {
        "id": response.pk,
        "survey": response.survey_id,
        "external_id": response.external_id,
        "score": response.score,
        "comment": response.comment,
        "customer_email": response.customer_email,
        "segment": response.segment_id,
        "transaction": response.transaction,
        "answers": response.answers,
        "created_at": response.created_at,
    }


@router.get(BASE, response={200: list[SurveyOut], **ERRORS}, summary="List surveys")
def survey_list(request, workspace: str):
    access = get_access(request.auth, workspace, require=Perm.USE_CARE)
    return [survey_out(s) for s in selectors.surveys_for(access)]


@router.post(
    f"{BASE}/{{survey_id}}/responses",
    response={200: ResponseOut, 201: ResponseOut, **ERRORS},
    summary="Submit a survey response",
    description=(
        "201 with the stored response. A response whose external_id was already stored for "
        "this survey is not stored again: 200 with the first one. Alert rules run afterwards."
    ),
)
def response_create(request, workspace: str, survey_id: int, payload: ResponseIn):
    access = get_access(request.auth, workspace, require=Perm.USE_CARE)
    survey = selectors.survey_get(access, survey_id)
    response, created = services.response_submit(
        survey=survey,
        score=payload.score,
        comment=payload.comment,
        customer_email=payload.customer_email,
        segment_id=payload.segment,
        transaction_data=payload.transaction,
        answers=payload.answers,
        external_id=payload.external_id,
    )
    return Status(201 if created else 200, response_out(response))
