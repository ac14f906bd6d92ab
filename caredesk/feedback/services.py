"""Writes for surveys and responses, and the evaluation of alert rules.

A response is validated, then stored; its rules are evaluated afterwards by a task
(caredesk.feedback.tasks), so a slow rule never delays or loses a response."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from caredesk.care.models import Case, Origin, Priority, Status
from caredesk.care.services import case_create
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.customers.services import contact_for_email, normalize_email
from caredesk.feedback.models import AlertRule, AlertRuleCase, Response, Survey, SurveyKind
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Segment, Workspace
from caredesk.workspaces.permissions import ALL_PERMS

SCORE_RANGES = {SurveyKind.NPS: (0, 10), SurveyKind.CSAT: (1, 5)}
DETRACTOR_RULE_NAME = "Detractors (score 0–6) → ticket"


def system_access(workspace: Workspace) -> Access:
    """The standing of caredesk itself when a rule acts: every permission, no user."""
    return Access(user=None, workspace=workspace, perms=ALL_PERMS, user_kind="system")


@transaction.atomic
def survey_create(*, workspace: Workspace, kind: str, name: str, is_active: bool = True) -> Survey:
    errors = {}
    errors.update(choice_errors((kind, "kind", SurveyKind)))
    if not (name or "").strip():
        errors["name"] = "A survey needs a name."
    if errors:
        raise FieldErrors(errors)
    survey = Survey.objects.create(
        workspace=workspace, kind=kind, name=name.strip(), is_active=is_active
    )
    if kind == SurveyKind.NPS:
        AlertRule.objects.create(
            workspace=workspace,
            survey=survey,
            name=DETRACTOR_RULE_NAME,
            criteria={"score_min": 0, "score_max": 6},
            actions={
                "create_case": {
                    "priority": Priority.HIGH,
                    "status": Status.NEW,
                    "segment": "response",
                }
            },
        )
    return survey


def _clean_score(survey: Survey, score):
    low_high = SCORE_RANGES.get(survey.kind)
    if score is None or score == "":
        if low_high:
            raise FieldErrors.one(
                "score", f"A score from {low_high[0]} to {low_high[1]} is needed."
            )
        return None
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(score, bool) or str(value) != str(score).strip():
        raise FieldErrors.one("score", f"Not a whole number: {score!r}")
    if low_high and not (low_high[0] <= value <= low_high[1]):
        raise FieldErrors.one("score", f"The score must be from {low_high[0]} to {low_high[1]}.")
    return value


def _clean_transaction(data) -> dict:
    if data in (None, ""):
        return {}
    if not isinstance(data, dict):
        raise FieldErrors.one("transaction", "Transaction data must be an object of key/values.")
    for key, value in data.items():
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise FieldErrors.one(
                "transaction", f"Transaction field {key!r} must be a text, number or boolean."
            )
    return data


def response_submit(
    *,
    survey: Survey,
    score=None,
    comment: str = "",
    customer_email: str = "",
    segment_id=None,
    transaction_data=None,
    answers=None,
    external_id: str | None = None,
) -> tuple[Response, bool]:
    """Store a response and queue its rules. Returns (response, created): a response whose
    external_id is already stored for the survey is not stored again, and the first one comes
    back with created=False."""
    external_id = (external_id or "").strip() or None
    if external_id is not None:
        if len(external_id) > 200:
            raise FieldErrors.one("external_id", "At most 200 characters.")
        first = Response.objects.filter(survey=survey, external_id=external_id).first()
        if first is not None:
            return first, False

    errors: dict[str, str] = {}
    clean = {}
    for field, check in (
        ("score", lambda: _clean_score(survey, score)),
        ("transaction", lambda: _clean_transaction(transaction_data)),
    ):
        try:
            clean[field] = check()
        except FieldErrors as e:
            errors.update(e.errors)
    email = ""
    if (customer_email or "").strip():
        try:
            email = normalize_email(customer_email, "customer_email")
        except FieldErrors as e:
            errors.update(e.errors)
    segment = None
    if segment_id not in (None, ""):
        segment = (
            Segment.objects.filter(
                organization_id=survey.workspace.organization_id, pk=str(segment_id)
            ).first()
            if str(segment_id).isdigit()
            else None
        )
        if segment is None:
            errors["segment"] = "No such segment."
    if answers not in (None, "") and not isinstance(answers, dict):
        errors["answers"] = "Answers must be an object keyed by question."
    if not survey.is_active:
        errors["survey"] = "This survey is closed."
    if errors:
        raise FieldErrors(errors)

    try:
        with transaction.atomic():
            contact = (
                contact_for_email(organization=survey.workspace.organization, email=email)
                if email
                else None
            )
            response = Response.objects.create(
                workspace=survey.workspace,
                survey=survey,
                external_id=external_id,
                score=clean["score"],
                comment=(comment or "").strip(),
                customer_email=email,
                contact=contact,
                segment=segment,
                transaction=clean["transaction"],
                answers=answers or {},
            )
    except IntegrityError:
        # The same external_id arrived concurrently: the first one stored wins.
        first = Response.objects.filter(survey=survey, external_id=external_id).first()
        if first is None:
            raise
        return first, False

    from caredesk.feedback.tasks import evaluate_response

    transaction.on_commit(lambda: evaluate_response(response.pk))
    return response, True


def rule_matches(rule: AlertRule, response: Response) -> bool:
    criteria = rule.criteria or {}
    if "score_min" in criteria or "score_max" in criteria:
        if response.score is None:
            return False
        if "score_min" in criteria and response.score < int(criteria["score_min"]):
            return False
        if "score_max" in criteria and response.score > int(criteria["score_max"]):
            return False
    return True


def _rule_case(rule: AlertRule, response: Response) -> Case | None:
    """Open the rule's case for the response, unless it already did."""
    spec = (rule.actions or {}).get("create_case")
    if spec is None:
        return None
    if AlertRuleCase.objects.filter(rule=rule, response=response).exists():
        return None
    segment = spec.get("segment", "response")
    segment_id = response.segment_id if segment == "response" else segment
    score = "no score" if response.score is None else f"score {response.score}"
    try:
        with transaction.atomic():
            case = case_create(
                access=system_access(response.workspace),
                customer_email=response.customer_email,
                customer_email_optional=True,
                comment=(
                    f"Opened by the alert rule “{rule.name}” from survey response "
                    f"{response.pk} ({response.survey.name}, {score})."
                ),
                priority=spec.get("priority", Priority.HIGH),
                status=spec.get("status", Status.NEW),
                segment_id=segment_id,
                origin=Origin.SURVEY_RESPONSE,
                title=f"{response.survey.name}: {score}",
                customer_comment=response.comment,
                reported_at=response.created_at,
            )
            AlertRuleCase.objects.create(rule=rule, response=response, case=case)
    except IntegrityError:
        # Another evaluation of the same response got there first; its case stands.
        return None
    return case


def response_evaluate(response_id: int) -> list[Case]:
    """Run every active rule of the response's workspace and survey; safe to repeat."""
    response = (
        Response.objects.select_related("workspace__organization", "survey")
        .filter(pk=response_id)
        .first()
    )
    if response is None:
        return []
    rules = AlertRule.objects.filter(workspace=response.workspace, is_active=True).filter(
        Q(survey__isnull=True) | Q(survey=response.survey)
    )
    created = []
    for rule in rules.order_by("id"):
        if rule_matches(rule, response):
            case = _rule_case(rule, response)
            if case is not None:
                created.append(case)
    return created
