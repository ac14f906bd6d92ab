"""An alert rule's criteria and actions as typed schemas (pydantic).

One set of models for every way in and out: the rule form and the API both hand the service
(`services.rule_create` / `rule_update`) what they were sent, the service validates it by
these models, and the API's OpenAPI document shows them as the request and response shapes of
`…/alert-rules`. What a model dumps is the JSON stored in `AlertRule.criteria` / `.actions`
(the same shape as before these models existed; see the AlertRule docstring); evaluation
(`rules.compile_rule`, `evaluation`) reads that JSON.

Validated without a context, a model checks the shape only (the API's answers). The service
validates with a `RuleContext`, which adds what the rule names: its segments, the questions of
its survey, the organization's users, and the webhook's host (`webhook_target.url_problem`).

Errors keep the keys and texts the form and the API have always shown (`rule_errors`):
`criteria` / `criteria.<criterion>` (e.g. "criteria.scores": "nps: min is above max."), and
`actions` / `actions.<action>` / `actions.<action>.<field>`. Numbers and ids may come as
texts of digits (the form sends nothing else)."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    create_model,
    field_validator,
    model_serializer,
    model_validator,
)

from caredesk.care.models import Priority, Status
from caredesk.core.errors import FieldErrors, choice_errors, refused, schema_errors
from caredesk.feedback import webhook_target
from caredesk.feedback.rules import NPS_BANDS, whole_number
from caredesk.workspaces.models import User

NPS_CATEGORIES = tuple(NPS_BANDS)
OPS = ("equals", "contains")
ASSIGN_TO = ("segment_manager", "queue", "user")
WEBHOOK_URL_MAX = 500


@dataclass(frozen=True)
class RuleContext:
    """What a rule may name, for the service's validation."""

    organization_id: int
    segment_ids: frozenset[int]
    # The questions of the rule's survey; None for a rule on every survey (any key).
    question_keys: frozenset[str] | None
    # The workspace's topics (its taxonomy); None: not checked.
    topic_ids: frozenset[int] | None = None


def _context(info: ValidationInfo) -> RuleContext | None:
    return info.context if isinstance(info.context, RuleContext) else None


class _Model(BaseModel):
    # One JSON schema for requests and answers (the document names each model once).
    model_config = ConfigDict(json_schema_mode_override="validation")


# --------------------------------------------------------------------------- value types


def _whole(value) -> int:
    try:
        return whole_number(value, "")
    except FieldErrors as exc:
        raise refused(exc.errors[""]) from None


_DIGITS = {"type": "string", "pattern": r"^\s*[+-]?\d+\s*$"}
WholeNumber = Annotated[
    int, BeforeValidator(_whole), WithJsonSchema({"anyOf": [{"type": "integer"}, _DIGITS]})
]


def _list(value) -> list | None:
    if value is not None and not isinstance(value, list):
        raise refused(_("Must be a list."))
    return value


def ListOf(item, **schema):  # noqa: N802
    """A list (null: none) whose bad shape is refused as the service always did."""
    return Annotated[
        list[item] | None,
        BeforeValidator(_list),
        AfterValidator(lambda value: value or []),
        Field(default_factory=list, **schema),
    ]


def _id(value, message: str) -> int:
    # An id as the form sends it (a text of digits) or as JSON does.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise refused(message)


_ID = {"anyOf": [{"type": "integer"}, _DIGITS]}


# --------------------------------------------------------------------------- criteria


class ScoreRange(_Model):
    """A score within [min, max]: the NPS or CSAT score (the response must be to a survey of
    that kind) or the answer to a rating question."""

    kind: str = Field(description="nps, csat or the key of a rating question")
    min: WholeNumber
    max: WholeNumber

    @model_validator(mode="before")
    @classmethod
    def _a_range(cls, data):
        kind = data.get("kind") if isinstance(data, dict) else None
        if not isinstance(kind, str) or not kind.strip():
            raise refused(_("Each range needs a kind, min and max."))
        return {"min": None, "max": None, **data, "kind": data["kind"].strip()}

    @field_validator("kind")
    @classmethod
    def _known(cls, kind: str, info: ValidationInfo) -> str:
        context = _context(info)
        if context and context.question_keys is not None:
            if kind not in ("nps", "csat", *context.question_keys):
                raise refused(_("No such score: %(kind)s") % {"kind": repr(kind)})
        return kind

    @model_validator(mode="after")
    def _ordered(self):
        if self.min > self.max:
            raise refused(_("%(kind)s: min is above max.") % {"kind": self.kind})
        return self


def _op(value):
    if value not in OPS:
        raise refused(_("Unknown op %(op)s; one of: equals, contains") % {"op": repr(value)})
    return value


def _condition_value(value, info: ValidationInfo) -> str:
    if value in (None, "") or isinstance(value, dict | list):
        name = next(iter(info.data.values()), "")
        raise refused(_("%(name)s: a value is needed.") % {"name": name})
    return str(value).strip()


ConditionValue = Annotated[
    str,
    BeforeValidator(_condition_value),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}, {"type": "boolean"}]}
    ),
]


Op = Annotated[Literal["equals", "contains"], BeforeValidator(_op)]
OP_HELP = (
    '"equals": the answer (for multiple choice: the one option chosen) is the value; '
    '"contains": the value is among the options chosen, or in the text (any case)'
)


def _condition(name: str):
    def check(data):
        if not isinstance(data, dict):
            raise refused(_("Each condition must be an object."))
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise refused(_("Each condition needs a %(name)s.") % {"name": name})
        return {"value": None, **data, name: data[name].strip()}

    return check


def _known_question(cls, key: str, info: ValidationInfo) -> str:
    context = _context(info)
    if context and context.question_keys is not None and key not in context.question_keys:
        raise refused(_("No such question: %(key)s") % {"key": repr(key)})
    return key


def _condition_model(model: str, name: str, description: str, **validators) -> type[_Model]:
    """{<name>, op, value}: a condition on the thing `name` names."""
    return create_model(
        model,
        __base__=_Model,
        __validators__={"_a_condition": model_validator(mode="before")(_condition(name))}
        | {key: field_validator(name)(fn) for key, fn in validators.items()},
        **{name: (str, Field(description=description))},
        op=(Op, Field("equals", description=OP_HELP)),
        value=(ConditionValue, ...),
    )


AnswerCondition = _condition_model(
    "AnswerCondition", "question", "A question's key", _known=_known_question
)
TransactionCondition = _condition_model(
    "TransactionCondition", "field", "A key of the response's transaction data"
)


def _category(value):
    if not isinstance(value, str) or value not in NPS_CATEGORIES:
        raise refused(
            _("Unknown category %(value)s; one of: detractor, passive, promoter")
            % {"value": repr(value)}
        )
    return value


def _keyword(value) -> str:
    if not isinstance(value, str):
        raise refused(_("Keywords must be texts."))
    return unicodedata.normalize("NFC", " ".join(value.split()))


def _segment(value):
    return None if value in (None, "") else _whole(value)


SENTIMENT_LABELS = ("negative", "neutral", "positive")


def _sentiment_label(value):
    if value not in SENTIMENT_LABELS:
        raise refused(
            _("Unknown sentiment %(value)s; one of: negative, neutral, positive")
            % {"value": repr(value)}
        )
    return value


def _sentiment_bound(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise refused(_("A number from -1 to 1."))
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise refused(_("A number from -1 to 1.")) from None
    if not -1 <= number <= 1:
        raise refused(_("A number from -1 to 1."))
    return number


SentimentBound = Annotated[
    float | None,
    BeforeValidator(_sentiment_bound),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -1, "maximum": 1},
                {"type": "string"},
                {"type": "null"},
            ]
        }
    ),
]


class SentimentCriterion(_Model):
    """The sentiment of the customer comment (the offline analysis, caredesk.analysis): its
    label is one of `labels`, and its score (from -1, most negative, to 1) within
    [min, max]; what is given must hold."""

    labels: ListOf(
        Annotated[Literal["negative", "neutral", "positive"], BeforeValidator(_sentiment_label)],
        description="One of them",
    )
    min: SentimentBound = Field(None, description="The score is at least this")
    max: SentimentBound = Field(None, description="The score is at most this")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        if not isinstance(data, dict):
            raise refused(_("Must be an object."))
        return data

    @model_validator(mode="after")
    def _something(self):
        if not self.labels and self.min is None and self.max is None:
            raise refused(_("Choose a sentiment or a score."))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise refused(_("The minimum is above the maximum."))
        return self

    @field_validator("labels")
    @classmethod
    def _in_order(cls, values: list[str]) -> list[str]:
        return sorted(set(values), key=SENTIMENT_LABELS.index)

    @model_serializer(mode="wrap")
    def _stored(self, handler: SerializerFunctionWrapHandler):
        return {k: v for k, v in handler(self).items() if v not in (None, [])}


def _topic(value) -> int:
    return _id(value, _("A list of topic ids."))


class RuleCriteria(_Model):
    """Every criterion given must match (see caredesk.feedback.rules)."""

    model_config = ConfigDict(extra="forbid")

    scores: ListOf(ScoreRange, description="Each range must hold")
    nps_category: ListOf(
        Annotated[Literal["detractor", "passive", "promoter"], BeforeValidator(_category)],
        description="One of them (NPS surveys only)",
    )
    answers: ListOf(AnswerCondition, description="Each must hold")
    keywords: ListOf(
        Annotated[str, BeforeValidator(_keyword)],
        description="One of the words or phrases is in the verbatim, as whole words, ignoring "
        "case but not accents",
    )
    segment: Annotated[
        int | None,
        BeforeValidator(_segment),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "integer"},
                    {"type": "string", "pattern": r"^$|^\s*[+-]?\d+\s*$"},
                    {"type": "null"},
                ]
            }
        ),
    ] = Field(None, description="Segment id: the response's segment is it or below it")
    transaction: ListOf(TransactionCondition, description="Each must hold")
    sentiment: SentimentCriterion | None = Field(
        None, description="The sentiment of the customer comment"
    )
    topics: ListOf(
        Annotated[int, BeforeValidator(_topic), WithJsonSchema(_ID)],
        description="Topic ids of the workspace's taxonomy: the customer comment is about one "
        "of them (or a topic below one)",
    )

    @model_validator(mode="before")
    @classmethod
    def _known_criteria(cls, data):
        if not isinstance(data, dict):
            raise refused(_("Criteria must be an object."))
        if unknown := sorted(str(k) for k in set(data) - set(cls.model_fields)):
            raise refused(_("Unknown criteria: %(names)s") % {"names": ", ".join(unknown)})
        return data

    @field_validator("nps_category")
    @classmethod
    def _in_band_order(cls, values: list[str]) -> list[str]:
        return sorted(set(values), key=NPS_CATEGORIES.index)

    @field_validator("keywords")
    @classmethod
    def _once_each(cls, words: list[str]) -> list[str]:
        return [w for i, w in enumerate(words) if w and w not in words[:i]]

    @field_validator("topics")
    @classmethod
    def _known_topics(cls, topics: list[int], info: ValidationInfo) -> list[int]:
        topics = sorted(set(topics))
        context = _context(info)
        if context and context.topic_ids is not None:
            if missing := [t for t in topics if t not in context.topic_ids]:
                raise refused(_("No such topic: %(topic)s") % {"topic": missing[0]})
        return topics

    @field_validator("segment")
    @classmethod
    def _known_segment(cls, segment: int | None, info: ValidationInfo) -> int | None:
        context = _context(info)
        if segment is not None and context and segment not in context.segment_ids:
            raise refused(_("No such segment."))
        return segment

    @model_serializer(mode="wrap")
    def _stored(self, handler: SerializerFunctionWrapHandler):
        # Stored (and answered) without the criteria left empty.
        return {k: v for k, v in handler(self).items() if v not in (None, [], "")}


class StoredCriteria(RuleCriteria):
    """Criteria as stored: also those of rules written before `scores`, which no longer
    validate as input."""

    score_min: int | None = Field(
        None, description="Rules written before scores: any score at least this"
    )
    score_max: int | None = Field(
        None, description="Rules written before scores: any score at most this"
    )


# --------------------------------------------------------------------------- actions


def _choice(choices, name: str, default: str):
    def check(value):
        if value in (None, ""):
            return default
        if errors := choice_errors((value, name, choices)):
            raise refused(errors[name])
        return value

    return check


def _case_segment(value, info: ValidationInfo):
    if isinstance(value, bool):
        raise refused(_("No such segment."))
    if value in (None, "", 0, "response"):
        return "response"
    if not str(value).isdigit():
        raise refused(_("No such segment."))
    context = _context(info)
    if context and int(value) not in context.segment_ids:
        raise refused(_("No such segment."))
    return int(value)


class CreateCase(_Model):
    """Open a ticket from the response."""

    priority: Annotated[
        str,
        BeforeValidator(_choice(Priority, "priority", Priority.HIGH)),
        WithJsonSchema({"enum": [*Priority.values, "", None]}),
    ] = Priority.HIGH.value
    status: Annotated[
        str,
        BeforeValidator(_choice(Status, "status", Status.NEW)),
        WithJsonSchema({"enum": [*Status.values, "", None]}),
    ] = Status.NEW.value
    segment: Annotated[
        Literal["response"] | int,
        BeforeValidator(_case_segment),
        WithJsonSchema(
            {
                "anyOf": [
                    {"enum": ["response", "", None]},
                    {"type": "integer", "minimum": 0},
                    {"type": "string", "pattern": r"^\d+$"},
                ]
            }
        ),
    ] = Field("response", description='"response": the response\'s segment; or a segment id')

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        if not isinstance(data, dict):
            raise refused(_("Must be an object."), "actions.create_case")
        return data


def _queue(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise refused(_("Name the queue."))
    return value.strip()[:100]


def _user(value, info: ValidationInfo) -> int:
    user = _id(value, "A list of user ids.")
    context = _context(info)
    if context and _org_users(context, {user}) != {user}:
        raise refused(_("No such user: %(user)s") % {"user": user})
    return user


class AssignToSegmentManager(_Model):
    to: Literal["segment_manager"] = Field(description="The segment's (first) manager")


class AssignToQueue(_Model):
    to: Literal["queue"]
    queue: Annotated[str, BeforeValidator(_queue)] = Field(
        description="A queue's name (noted on the ticket)"
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data):
        return {"queue": None, **data}


class AssignToUser(_Model):
    to: Literal["user"]
    user: Annotated[int, BeforeValidator(_user), WithJsonSchema(_ID)] = Field(
        description="A user id; assigned when they manage the ticket's segment"
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data):
        return {"user": None, **data}


Assign = AssignToSegmentManager | AssignToQueue | AssignToUser


def _org_users(context: RuleContext, ids: set[int]) -> set[int]:
    # An id past the database's integer range is nobody (SQLite refuses to bind it).
    ids = {i for i in ids if 0 < i < 2**63}
    return set(
        User.objects.filter(
            organization_id=context.organization_id, pk__in=ids, is_active=True
        ).values_list("pk", flat=True)
    )


def _users(value, info: ValidationInfo) -> list[int]:
    value = [] if value is None else value
    if not isinstance(value, list):
        raise refused(_("A list of user ids."))
    wanted = {_id(v, "A list of user ids.") for v in value}
    context = _context(info)
    if context and (missing := wanted - _org_users(context, wanted)):
        raise refused(_("No such user: %(user)s") % {"user": sorted(missing)[0]})
    if not wanted:
        raise refused(_("Choose at least one user."))
    return sorted(wanted)


class Notify(_Model):
    """Email these users about the response."""

    users: Annotated[
        list[int],
        BeforeValidator(_users),
        WithJsonSchema({"type": "array", "items": _ID, "minItems": 1}),
    ] = Field(description="User ids of the organization")

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data):
        return {"users": None, **data} if isinstance(data, dict) else {"users": None}


def _url(value, info: ValidationInfo) -> str:
    url = value.strip() if isinstance(value, str) else ""
    if not re.match(r"^https?://[^\s/]+", url) or len(url) > WEBHOOK_URL_MAX:
        raise refused(_("An http:// or https:// address."))
    if _context(info) and (problem := webhook_target.url_problem(url)):
        raise refused(problem)
    return url


class Webhook(_Model):
    """POST the response, signed, to this address."""

    url: Annotated[
        str,
        BeforeValidator(_url),
        WithJsonSchema({"type": "string", "pattern": r"^\s*https?://[^\s/]+"}),
    ] = Field(
        description=(
            "An http(s) address of a public host, at most 500 characters: a loopback, "
            "private, link-local, multicast, reserved or unspecified address, or a name "
            "resolving to one, is refused (400, actions.webhook.url) unless the installation "
            "sets CAREDESK_WEBHOOK_ALLOW_PRIVATE; it is checked again at each delivery."
        )
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data):
        return {"url": None, **data} if isinstance(data, dict) else {"url": None}


# Stands for an assign action given without create_case: refused as such, not read further.
_WITHOUT_CASE = object()


def _assign(value):
    if value is _WITHOUT_CASE:
        raise refused(_("Assigning needs the create a ticket action."), "actions.assign")
    if not isinstance(value, dict) or value.get("to") not in ASSIGN_TO:
        raise refused(
            _("One of: %(values)s") % {"values": ", ".join(ASSIGN_TO)}, "actions.assign.to"
        )
    return value


class RuleActions(_Model):
    """What a rule does when it matches a response; any of them, at least one."""

    model_config = ConfigDict(extra="forbid")

    create_case: CreateCase | None = None
    assign: Annotated[Assign | None, BeforeValidator(_assign)] = Field(
        None, discriminator="to", description="Needs create_case"
    )
    notify: Notify | None = None
    webhook: Webhook | None = None

    @model_validator(mode="before")
    @classmethod
    def _known_actions(cls, data, info: ValidationInfo):
        if not isinstance(data, dict):
            raise refused(_("Actions must be an object."))
        if unknown := sorted(str(k) for k in set(data) - set(cls.model_fields)):
            raise refused(_("Unknown actions: %(names)s") % {"names": ", ".join(unknown)})
        data = {k: v for k, v in data.items() if v is not None}
        if _context(info):
            if not data:
                raise refused(_("Choose at least one action."))
            if "assign" in data and "create_case" not in data:
                data["assign"] = _WITHOUT_CASE
        return data

    @model_serializer(mode="wrap")
    def _stored(self, handler: SerializerFunctionWrapHandler):
        return {k: v for k, v in handler(self).items() if v is not None}


# --------------------------------------------------------------------------- the service's way in


def rule_errors(exc: ValidationError, prefix: str) -> dict[str, str]:
    """The keys the form and the API show: criteria.<criterion>, actions.<action>.<field>."""
    return schema_errors(exc, prefix, depth=1 if prefix == "criteria" else 2)


def criteria_clean(criteria, context: RuleContext) -> dict:
    """Validated criteria, as stored; FieldErrors keyed criteria.<criterion>."""
    if criteria in (None, ""):
        return {}
    try:
        return RuleCriteria.model_validate(criteria, context=context).model_dump()
    except ValidationError as exc:
        raise FieldErrors(rule_errors(exc, "criteria")) from None


def actions_clean(actions, context: RuleContext) -> dict:
    """Validated actions, as stored; FieldErrors keyed actions.<action>.<field>."""
    try:
        return RuleActions.model_validate(
            {} if actions in (None, "") else actions, context=context
        ).model_dump()
    except ValidationError as exc:
        raise FieldErrors(rule_errors(exc, "actions")) from None
