"""Feedback: surveys, the responses integrations send to them (one or a batch), and the alert
rules (manage_care)."""

import datetime as dt
from typing import Annotated, Any

from ninja import Router, Schema, Status
from pydantic import (
    BeforeValidator,
    Field,
    SkipValidation,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)
from pydantic_core import PydanticCustomError

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Id, In, Int, Text
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY, MAX_KEYS, JSONError, json_loads
from caredesk.feedback import selectors, services
from caredesk.feedback.models import AlertRule, Response, Survey
from caredesk.feedback.schemas import RuleActions, RuleCriteria, StoredCriteria
from caredesk.workspaces.permissions import Perm

router = Router(tags=["feedback"])

BASE = "/workspaces/{workspace}/surveys"
RULES = "/workspaces/{workspace}/alert-rules"


class QuestionOut(Schema):
    key: str
    kind: str
    label: str
    required: bool
    options: list[dict[str, str]]
    scale_min: int
    scale_max: int


class SurveyOut(Schema):
    id: int
    kind: str
    name: str
    is_active: bool
    default_language: str
    languages: list[str]
    send_on_case_resolve: bool
    segment: int | None = Field(
        None, description="tickets opened from its responses take it when they name none"
    )
    questions: list[QuestionOut]
    public_url: str
    created_at: dt.datetime


class SurveyIn(In):
    kind: StrictStr = Field(description="nps, csat or custom")
    name: Text(200)
    intro: Text(MAX_BODY) = ""
    thank_you: Text(MAX_BODY) = ""
    default_language: Text(10) = "en"
    is_active: StrictBool = True
    send_on_case_resolve: StrictBool = Field(
        False, description="CSAT only: email it to the customer when a ticket is resolved"
    )
    segment: StrictInt | None = Field(
        None,
        description="segment id: a ticket opened from one of its responses takes it when the "
        "response has no segment",
    )
    questions: list[dict[str, Any]] = Field(
        default_factory=list,
        json_schema_extra={"maxItems": MAX_KEYS},
        description='[{"key", "kind": rating|single|multiple|text, "label", "required", '
        '"options": [{"value", "label"}], "scale_min", "scale_max"}]',
    )
    translations: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description='{"pt": {"title", "intro", "thank_you", "labels": {"<key>": "…", '
        '"<key>.<option>": "…"}}}',
    )


class ResponseIn(In):
    score: Int | None = Field(
        None,
        description="NPS 0–10, CSAT 1–5: required on an NPS or CSAT survey (else 400), "
        "absent on a custom questionnaire",
    )
    comment: Text(services.MAX_TEXT) = ""
    customer_email: Text(254) = ""
    segment: Id | Text(200) | None = Field(None, description="Segment id or name")
    transaction: dict[str, StrictStr | StrictInt | StrictFloat | StrictBool | None] = Field(
        default_factory=dict,
        json_schema_extra={"maxProperties": MAX_KEYS},
        description="Order id, channel, agent or any key/value (texts, numbers, booleans)",
    )
    answers: dict[str, Any] = Field(
        default_factory=dict,
        json_schema_extra={"maxProperties": MAX_KEYS},
        description="By question key; required questions must be answered (else 400)",
    )
    external_id: Text(200) | None = Field(
        None, description="Your id; a response sent again with it is stored once"
    )
    responded_at: dt.datetime | None = Field(
        None,
        description="When answered; without an offset, a time of the workspace's time zone. "
        "Default now",
    )
    language: Text(10) = ""


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
    case: int | None = Field(description="Number of the ticket this response answers (CSAT)")
    responded_at: dt.datetime
    created_at: dt.datetime


class BulkItemOut(Schema):
    index: int
    status: str = Field(description="created, duplicate or error")
    id: int | None = Field(None, description="The stored response (the first one if duplicate)")
    errors: dict[str, str] | None = None


class BulkOut(Schema):
    created: int
    duplicate: int
    error: int
    results: list[BulkItemOut]


def _an_object(value):
    if not isinstance(value, dict):
        raise PydanticCustomError("dict_type", "Input should be a valid dictionary")
    return value


def ValidatedByTheService(model):  # noqa: N802
    """The document shows `model`; the service validates by it (400 naming the criterion or
    action, together with the rule's other errors), so here only an object is required."""
    return Annotated[SkipValidation[model], BeforeValidator(_an_object)]


class RuleIn(In):
    name: Text(200)
    survey: Id | None = Field(None, description="Survey id; null: every survey")
    is_active: StrictBool = True
    criteria: ValidatedByTheService(RuleCriteria) = Field(default_factory=dict)
    actions: ValidatedByTheService(RuleActions) = Field(default_factory=dict)


class RuleOut(Schema):
    id: int
    name: str
    survey: int | None
    is_active: bool
    criteria: StoredCriteria
    actions: RuleActions
    webhook_secret: str
    created_at: dt.datetime


class RuleActiveIn(In):
    is_active: StrictBool


def survey_out(survey: Survey) -> dict:
    return {
        "id": survey.pk,
        "kind": survey.kind,
        "name": survey.name,
        "is_active": survey.is_active,
        "default_language": survey.default_language,
        "languages": [survey.default_language]
        + sorted(t.language for t in survey.translations.all()),
        "send_on_case_resolve": survey.send_on_case_resolve,
        "segment": survey.segment_id,
        "questions": [
            {
                "key": q.key,
                "kind": q.kind,
                "label": q.label,
                "required": q.required,
                "options": q.options,
                "scale_min": q.scale_min,
                "scale_max": q.scale_max,
            }
            for q in survey.questions.all()
        ],
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
        "case": response.case.number if response.case_id else None,
        "responded_at": response.responded_at,
        "created_at": response.created_at,
    }


def rule_out(rule: AlertRule) -> dict:
    return {
        "id": rule.pk,
        "name": rule.name,
        "survey": rule.survey_id,
        "is_active": rule.is_active,
        "criteria": rule.criteria,
        "actions": rule.actions,
        "webhook_secret": rule.webhook_secret,
        "created_at": rule.created_at,
    }


@router.get(BASE, response={200: list[SurveyOut], **ERRORS}, summary="List surveys")
def survey_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    surveys = selectors.surveys_for(access).prefetch_related("questions", "translations")
    return [survey_out(s) for s in surveys]


@router.post(BASE, response={201: SurveyOut, **ERRORS}, summary="Create a survey (manage_care)")
def survey_create(request, workspace: str, payload: SurveyIn):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    survey = services.survey_create(workspace=access.workspace, **payload.dict())
    return Status(201, survey_out(survey))


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
    access = api_access(request, workspace, require=Perm.USE_CARE)
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
        responded_at=payload.responded_at,
        language=payload.language,
    )
    return Status(201 if created else 200, response_out(response))


@router.post(
    f"{BASE}/{{survey_id}}/responses/bulk",
    response={200: BulkOut, **ERRORS},
    summary="Submit up to 1,000 responses",
    description=(
        "The body is a JSON list of responses (the fields of a single submission). Each item "
        "is answered on its own, in order: created, duplicate (its external_id was stored "
        "before; id is the first response) or error with its field errors; nothing is stored "
        "for an item with errors. Alert rules run afterwards, in one batch."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "maxItems": services.BULK_MAX,
                        # Any item is answered on its own, so the document cannot say an
                        # item that is not a ResponseIn makes the request invalid.
                        "items": {
                            "anyOf": [{"$ref": "#/components/schemas/ResponseIn"}, {}],
                            "description": "A response (the fields of ResponseIn); an item "
                            "that is not a valid one is answered with status error and its "
                            "field errors.",
                        },
                    }
                }
            },
        }
    },
)
def response_bulk(request, workspace: str, survey_id: int):
    access = api_access(request, workspace, require=Perm.USE_CARE)
    survey = selectors.survey_get(access, survey_id)
    try:
        items = json_loads(request.body or b"null")
    except JSONError as exc:
        raise FieldErrors.one("items", str(exc)) from None
    result = services.responses_ingest(survey=survey, items=items)
    return {
        "created": result.count("created"),
        "duplicate": result.count("duplicate"),
        "error": result.count("error"),
        "results": result.results,
    }


@router.get(RULES, response={200: list[RuleOut], **ERRORS}, summary="List alert rules")
def rule_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    return [rule_out(r) for r in selectors.rules_for(access)]


@router.post(RULES, response={201: RuleOut, **ERRORS}, summary="Create an alert rule")
def rule_create(request, workspace: str, payload: RuleIn):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    rule = services.rule_create(
        workspace=access.workspace,
        name=payload.name,
        survey_id=payload.survey,
        criteria=payload.criteria,
        actions=payload.actions,
        is_active=payload.is_active,
    )
    return Status(201, rule_out(rule))


@router.put(f"{RULES}/{{rule_id}}", response={200: RuleOut, **ERRORS}, summary="Edit a rule")
def rule_update(request, workspace: str, rule_id: int, payload: RuleIn):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    rule = selectors.rule_get(access, rule_id)
    services.rule_update(
        rule=rule,
        name=payload.name,
        survey_id=payload.survey,
        criteria=payload.criteria,
        actions=payload.actions,
    )
    services.rule_set_active(rule=rule, is_active=payload.is_active)
    return rule_out(rule)


@router.post(
    f"{RULES}/{{rule_id}}/active", response={200: RuleOut, **ERRORS}, summary="Switch on/off"
)
def rule_active(request, workspace: str, rule_id: int, payload: RuleActiveIn):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    rule = selectors.rule_get(access, rule_id)
    return rule_out(services.rule_set_active(rule=rule, is_active=payload.is_active))
