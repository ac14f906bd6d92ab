"""Writes for surveys, responses and alert rules.

A response is validated, then stored; its rules are evaluated afterwards by a task
(caredesk.feedback.evaluation, queued on commit), so a slow rule never delays or loses a
response. Bulk intake validates every item on its own, stores the good ones in one INSERT and
queues one evaluation task for the whole batch."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from caredesk import events
from caredesk.analysis.models import Topic
from caredesk.care.models import Priority, Status
from caredesk.core import zones
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.core.i18n import supported
from caredesk.core.limits import (
    MAX_BODY,
    check_datetime,
    check_json,
    check_text,
    json_error,
    text_errors,
)
from caredesk.customers.models import ContactEmail
from caredesk.customers.services import (
    EMAIL_LENGTH,
    contact_for_email,
    contacts_for_emails,
    normalize_email,
)
from caredesk.feedback import pg, rules, tasks
from caredesk.feedback.models import (
    AlertRule,
    Invitation,
    PendingEvaluation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyKind,
    SurveyTranslation,
)
from caredesk.feedback.schemas import RuleContext, actions_clean, criteria_clean
from caredesk.workspaces.models import Segment, Workspace

SCORE_RANGES = {SurveyKind.NPS: (0, 10), SurveyKind.CSAT: (1, 5)}
DETRACTOR_RULE_NAME = gettext_lazy("Detractors (score 0–6) → ticket")
MAX_TEXT = 5000
BULK_MAX = 1000
RESPONSE_FIELDS = (
    "external_id",
    "score",
    "comment",
    "customer_email",
    "segment",
    "transaction",
    "answers",
    "responded_at",
    "language",
)
RESPONSE_FIELD_SET = frozenset(RESPONSE_FIELDS)
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


# --------------------------------------------------------------------------- surveys


def _language(value, field: str = "default_language") -> str:
    if not isinstance(value, str | None):
        raise FieldErrors.one(
            field, _("Not a language code like en or pt-br: %(value)s") % {"value": repr(value)}
        )
    lang = (value or "").strip().lower()
    if not LANGUAGE_RE.match(lang):
        raise FieldErrors.one(
            field, _("Not a language code like en or pt-br: %(value)s") % {"value": repr(value)}
        )
    return lang


def _clean_questions(questions) -> list[dict]:
    if questions in (None, ""):
        return []
    if not isinstance(questions, list):
        raise FieldErrors.one("questions", _("Questions must be a list."))
    check_json(questions, "questions")
    out, keys = [], set()
    for n, q in enumerate(questions):
        where = f"questions.{n}"
        if not isinstance(q, dict):
            raise FieldErrors.one(where, _("Each question must be an object."))
        key = str(q.get("key") or "").strip()
        if not re.fullmatch(r"[a-z0-9_-]{1,60}", key) or key in ("score", "comment"):
            raise FieldErrors.one(
                f"{where}.key", _("A key of a-z, 0-9, _ or - (not score/comment).")
            )
        if key in keys:
            raise FieldErrors.one(
                f"{where}.key", _("The key %(key)s is used twice.") % {"key": repr(key)}
            )
        keys.add(key)
        kind = q.get("kind")
        if kind not in QuestionKind.values:
            raise FieldErrors.one(
                f"{where}.kind",
                _("Unknown kind %(kind)s; one of: %(kinds)s")
                % {"kind": repr(kind), "kinds": ", ".join(QuestionKind.values)},
            )
        label = str(q.get("label") or "").strip()
        if not label:
            raise FieldErrors.one(f"{where}.label", _("A question needs a label."))
        options = []
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            raw = q.get("options") or []
            if not isinstance(raw, list) or len(raw) < 2:
                raise FieldErrors.one(f"{where}.options", _("A choice needs at least two options."))
            for opt in raw:
                if isinstance(opt, str):
                    opt = {"value": opt, "label": opt}
                value = str((opt or {}).get("value") or "").strip() if isinstance(opt, dict) else ""
                if not value or "|" in value:
                    raise FieldErrors.one(
                        f"{where}.options", _("Each option needs a value (no |).")
                    )
                options.append({"value": value, "label": str(opt.get("label") or value).strip()})
            if len({o["value"] for o in options}) != len(options):
                raise FieldErrors.one(f"{where}.options", _("Option values must differ."))
        low, high = 1, 5
        if kind == QuestionKind.RATING:
            low = rules.whole_number(q.get("scale_min", 1), f"{where}.scale_min")
            high = rules.whole_number(q.get("scale_max", 5), f"{where}.scale_max")
            if not (0 <= low < high <= 10):
                raise FieldErrors.one(f"{where}.scale_max", _("The scale must be within 0–10."))
        out.append(
            {
                "key": key,
                "kind": kind,
                "label": label[:500],
                "required": bool(q.get("required", False)),
                "position": n,
                "options": options,
                "scale_min": low,
                "scale_max": high,
            }
        )
    return out


def _clean_translations(translations, default_language: str) -> dict[str, dict]:
    if translations in (None, ""):
        return {}
    if not isinstance(translations, dict):
        raise FieldErrors.one(
            "translations", _("Translations must be an object keyed by language.")
        )
    check_json(translations, "translations", max_keys=500)
    out = {}
    for lang, texts in translations.items():
        code = _language(lang, f"translations.{lang}")
        if code == default_language:
            raise FieldErrors.one(f"translations.{lang}", _("That is the default language."))
        if not isinstance(texts, dict) or not isinstance(texts.get("labels", {}), dict):
            raise FieldErrors.one(f"translations.{lang}", _("Texts must be an object."))
        out[code] = {
            "title": str(texts.get("title") or "").strip()[:200],
            "intro": str(texts.get("intro") or "").strip(),
            "thank_you": str(texts.get("thank_you") or "").strip(),
            "labels": {str(k): str(v) for k, v in (texts.get("labels") or {}).items()},
        }
    return out


@transaction.atomic
def _int_or_zero(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _survey_checked(
    workspace,
    kind,
    name,
    intro,
    thank_you,
    default_language,
    questions,
    translations,
    send_on_case_resolve,
    segment,
    *,
    errors=None,
    other_than=None,
) -> dict:
    """The checks survey_create and survey_update share: the cleaned language, questions,
    translations and segment, or FieldErrors with every problem found (added to `errors`)."""
    errors = dict(errors or {})
    seg = None
    if segment not in (None, ""):
        seg = Segment.objects.filter(
            organization_id=workspace.organization_id, pk=_int_or_zero(segment)
        ).first()
        if seg is None:
            errors["segment"] = gettext("No such segment.")
    if not (name or "").strip():
        errors["name"] = _("A survey needs a name.")
    errors.update(
        text_errors(
            (name, "name", 200), (intro, "intro", MAX_BODY), (thank_you, "thank_you", MAX_BODY)
        )
    )
    clean_questions, clean_translations, lang = [], {}, "en"
    try:
        lang = _language(default_language)
        clean_questions = _clean_questions(questions)
        clean_translations = _clean_translations(translations, lang)
    except FieldErrors as e:
        errors.update(e.errors)
    if kind == SurveyKind.CUSTOM and not clean_questions and "questions" not in errors:
        errors["questions"] = _("A custom questionnaire needs at least one question.")
    if send_on_case_resolve:
        already = Survey.objects.filter(workspace=workspace, send_on_case_resolve=True)
        if kind != SurveyKind.CSAT:
            errors["send_on_case_resolve"] = _(
                "Only a CSAT survey is sent when a ticket is resolved."
            )
        elif already.exclude(pk=other_than).exists():
            errors["send_on_case_resolve"] = _("Another survey of the workspace is sent already.")
    if errors:
        raise FieldErrors(errors)
    return {
        "language": lang,
        "questions": clean_questions,
        "translations": clean_translations,
        "segment": seg,
    }


def survey_create(
    *,
    workspace: Workspace,
    kind: str,
    name: str,
    is_active: bool = True,
    intro: str = "",
    thank_you: str = "",
    default_language: str = "en",
    questions=None,
    translations=None,
    send_on_case_resolve: bool = False,
    segment=None,
) -> Survey:
    """`segment`: the id of the segment its responses' tickets take when they name none."""
    errors = choice_errors((kind, "kind", SurveyKind))
    checked = _survey_checked(
        workspace,
        kind,
        name,
        intro,
        thank_you,
        default_language,
        questions,
        translations,
        send_on_case_resolve,
        segment,
        errors=errors,
    )
    clean_questions, clean_translations = checked["questions"], checked["translations"]
    survey = Survey.objects.create(
        workspace=workspace,
        kind=kind,
        name=name.strip(),
        is_active=is_active,
        intro=(intro or "").strip(),
        thank_you=(thank_you or "").strip(),
        default_language=checked["language"],
        send_on_case_resolve=send_on_case_resolve,
        segment=checked["segment"],
    )
    Question.objects.bulk_create(Question(survey=survey, **q) for q in clean_questions)
    SurveyTranslation.objects.bulk_create(
        SurveyTranslation(survey=survey, language=code, **texts)
        for code, texts in clean_translations.items()
    )
    if kind == SurveyKind.NPS:
        AlertRule.objects.create(
            workspace=workspace,
            survey=survey,
            # A name the workspace's people read: in its language, as stored data.
            name=_rule_name_in(workspace),
            criteria={"scores": [{"kind": "nps", "min": 0, "max": 6}]},
            actions={
                "create_case": {
                    "priority": Priority.HIGH,
                    "status": Status.NEW,
                    "segment": "response",
                },
                "assign": {"to": "segment_manager"},
            },
        )
    return survey


def _rule_name_in(workspace: Workspace) -> str:
    with translation.override(supported(workspace.language) or "en"):
        return str(DETRACTOR_RULE_NAME)


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    name: str,
    is_active: bool = True,
    intro: str = "",
    thank_you: str = "",
    default_language: str = "en",
    questions=None,
    translations=None,
    send_on_case_resolve: bool = False,
    segment=None,
) -> Survey:
    """Change a survey, checked like survey_create (its kind stays: responses are scored by
    it). Questions and translations are replaced by the ones given; the answers stored under
    a question's key stay with the responses."""
    checked = _survey_checked(
        survey.workspace,
        survey.kind,
        name,
        intro,
        thank_you,
        default_language,
        questions,
        translations,
        send_on_case_resolve,
        segment,
        other_than=survey.pk,
    )
    clean_questions, clean_translations = checked["questions"], checked["translations"]
    survey.name = name.strip()
    survey.is_active = bool(is_active)
    survey.intro = (intro or "").strip()
    survey.thank_you = (thank_you or "").strip()
    survey.default_language = checked["language"]
    survey.send_on_case_resolve = bool(send_on_case_resolve)
    survey.segment = checked["segment"]
    survey.save()
    survey.questions.all().delete()
    Question.objects.bulk_create(Question(survey=survey, **q) for q in clean_questions)
    survey.translations.all().delete()
    SurveyTranslation.objects.bulk_create(
        SurveyTranslation(survey=survey, language=code, **texts)
        for code, texts in clean_translations.items()
    )
    return survey


# --------------------------------------------------------------------------- responses


def _whole_number(value, field: str) -> int:
    if isinstance(value, bool) or value in (None, ""):
        raise FieldErrors.one(field, _("Not a whole number: %(value)s") % {"value": repr(value)})
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip():
        raise FieldErrors.one(field, _("Not a whole number: %(value)s") % {"value": repr(value)})
    return number


class Intake:
    """Validates responses to one survey; reads the survey's questions and the organization's
    segments once, so a batch of a thousand costs two queries, not two thousand."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self.org_id = survey.workspace.organization_id
        self.questions = {q.key: q for q in survey.questions.all()}
        self.question_keys = frozenset(self.questions)
        # The option values of each choice question, in the question's order.
        self.options = {key: [o["value"] for o in q.options] for key, q in self.questions.items()}
        self._segments: dict | None = None
        self.now = timezone.now()
        self.latest = self.now + dt.timedelta(minutes=5)
        self.tz = zones.zone(survey.workspace.time_zone)
        # (item key, check) in the order the errors are reported.
        self.checks = (
            ("external_id", _external_id),
            ("score", self.score),
            ("comment", _comment),
            ("customer_email", _email),
            ("segment", self.segment),
            ("transaction", _transaction),
            ("answers", self.answers),
            ("responded_at", self.responded_at),
            ("language", _optional_language),
        )

    def segments(self) -> tuple[dict[int, Segment], dict[str, list[Segment]]]:
        if self._segments is None:
            by_id, by_name = {}, {}
            for s in Segment.objects.filter(organization_id=self.org_id).only("id", "name", "path"):
                by_id[s.pk] = s
                by_name.setdefault(s.name.casefold(), []).append(s)
            self._segments = (by_id, by_name)
        return self._segments

    def segment(self, value) -> Segment | None:
        if value in (None, ""):
            return None
        by_id, by_name = self.segments()
        if type(value) is int:
            segment = by_id.get(value)
            if segment is None:
                raise FieldErrors.one("segment", _("No such segment."))
            return segment
        if isinstance(value, int) and not isinstance(value, bool) or str(value).isdigit():
            segment = by_id.get(int(value))
            if segment is None:
                raise FieldErrors.one("segment", _("No such segment."))
            return segment
        if not isinstance(value, str):
            raise FieldErrors.one("segment", _("A segment id or name."))
        found = by_name.get(value.strip().casefold(), [])
        if len(found) != 1:
            raise FieldErrors.one(
                "segment",
                _("No segment is called %(name)s.") % {"name": repr(value)}
                if not found
                else _("Several segments are called %(name)s; send its id.")
                % {"name": repr(value)},
            )
        return found[0]

    def score(self, value) -> int | None:
        low_high = SCORE_RANGES.get(self.survey.kind)
        if value is None or value == "":
            if low_high:
                raise FieldErrors.one(
                    "score",
                    _("A score from %(low)s to %(high)s is needed.")
                    % {"low": low_high[0], "high": low_high[1]},
                )
            return None
        if not low_high:
            raise FieldErrors.one("score", _("This questionnaire has no score; use answers."))
        number = value if type(value) is int else _whole_number(value, "score")
        if not (low_high[0] <= number <= low_high[1]):
            raise FieldErrors.one(
                "score",
                _("The score must be from %(low)s to %(high)s.")
                % {"low": low_high[0], "high": low_high[1]},
            )
        return number

    def answers(self, data) -> dict:
        if data in (None, ""):
            data = {}
        if not isinstance(data, dict):
            raise FieldErrors.one("answers", _("Answers must be an object keyed by question."))
        check_json(data, "answers")
        if not self.questions and not data:
            return {}
        unknown = sorted(data.keys() - self.question_keys)
        if unknown:
            raise FieldErrors.one(
                "answers", _("Unknown question: %(keys)s") % {"keys": ", ".join(map(str, unknown))}
            )
        errors, clean = {}, {}
        for key, q in self.questions.items():
            value = data.get(key)
            if value in (None, "", []):
                if q.required:
                    errors[f"answers.{key}"] = _("An answer is required.")
                continue
            field_name = f"answers.{key}"
            if q.kind == QuestionKind.SINGLE and type(value) is str and value in self.options[key]:
                clean[key] = value
                continue
            try:
                clean[key] = self._answer(q, value, field_name)
            except FieldErrors as e:
                errors.update(e.errors)
        if errors:
            raise FieldErrors(errors)
        return clean

    @staticmethod
    def _answer(q: Question, value, field_name: str):
        values = [o["value"] for o in q.options]
        if q.kind == QuestionKind.RATING:
            number = _whole_number(value, field_name)
            if not (q.scale_min <= number <= q.scale_max):
                raise FieldErrors.one(
                    field_name,
                    _("The rating must be from %(low)s to %(high)s.")
                    % {"low": q.scale_min, "high": q.scale_max},
                )
            return number
        if q.kind == QuestionKind.SINGLE:
            if str(value) not in values:
                raise FieldErrors.one(
                    field_name, _("Not one of: %(values)s") % {"values": ", ".join(values)}
                )
            return str(value)
        if q.kind == QuestionKind.MULTIPLE:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise FieldErrors.one(field_name, _("A list of options."))
            bad = [v for v in value if v not in values]
            if bad:
                raise FieldErrors.one(
                    field_name, _("Not an option: %(value)s") % {"value": repr(bad[0])}
                )
            return [v for v in values if v in value]
        if not isinstance(value, str):
            raise FieldErrors.one(field_name, _("A text."))
        if len(value) > MAX_TEXT:
            raise FieldErrors.one(
                field_name, _("At most %(count)s characters.") % {"count": MAX_TEXT}
            )
        return value.strip()

    def responded_at(self, value) -> dt.datetime | None:
        return _responded_at(value, self.latest, self.tz)

    def clean(self, item: dict) -> dict:
        """One response's fields, validated; FieldErrors with every bad field."""
        errors: dict[str, str] = {}
        out: dict = {}
        get = item.get
        for name, check in self.checks:
            try:
                out[name] = check(get(name))
            except FieldErrors as e:
                errors.update(e.errors)
        if not RESPONSE_FIELD_SET.issuperset(item):
            unknown = sorted(set(item) - RESPONSE_FIELD_SET)
            errors[unknown[0]] = _("Unknown field: %(fields)s") % {"fields": ", ".join(unknown)}
        if not self.survey.is_active:
            errors["survey"] = _("This survey is closed.")
        if errors:
            raise FieldErrors(errors)
        return out

    def build(self, clean: dict, contact_id: int | None, case=None) -> Response:
        segment = clean["segment"]
        return Response(
            workspace_id=self.survey.workspace_id,
            survey=self.survey,
            external_id=clean["external_id"],
            score=clean["score"],
            comment=clean["comment"],
            customer_email=clean["customer_email"],
            contact_id=contact_id,
            segment=segment,
            segment_path=segment.path if segment else "",
            transaction=clean["transaction"],
            answers=clean["answers"],
            language=clean["language"],
            responded_at=clean["responded_at"] or timezone.now(),
            case=case,
        )

    def row(self, clean: dict, contact_id: int | None) -> tuple:
        """What build() makes, as a row for caredesk.feedback.pg.responses_insert."""
        segment = clean["segment"]
        return (
            self.survey.workspace_id,
            self.survey.pk,
            clean["external_id"],
            clean["score"],
            clean["comment"],
            clean["customer_email"],
            contact_id,
            segment.pk if segment else None,
            segment.path if segment else "",
            clean["transaction"],
            clean["answers"],
            clean["language"],
            clean["responded_at"] or self.now,
            self.now,
        )


def _external_id(value) -> str | None:
    if type(value) is str and 0 < len(value) <= 200 and not value[0].isspace():
        if not value[-1].isspace() and "\x00" not in value:
            return value
    if value is not None and not isinstance(value, str | int) or isinstance(value, bool):
        raise FieldErrors.one("external_id", _("A text."))
    check_text(value if isinstance(value, str) else None, "external_id")
    value = str(value if value is not None else "").strip() or None
    if value is not None and len(value) > 200:
        raise FieldErrors.one("external_id", _("At most %(count)s characters.") % {"count": 200})
    return value


def _comment(value) -> str:
    return _text(value, "comment")


def _text(value, field_name: str) -> str:
    if value is None:
        return ""
    check_text(value, field_name, MAX_TEXT)
    return value.strip()


# Plain ASCII addresses (name.part@sub.domain.tld): a strict subset of what Django's email
# validator accepts, checked with one regex; anything else goes through normalize_email.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@"
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"\.[a-z]{2,63}"
)


def _email(value) -> str:
    if value is not None and not isinstance(value, str):
        raise FieldErrors.one("customer_email", _("A text."))
    email = (value or "").strip().lower()
    if not email:
        return ""
    if len(email) <= EMAIL_LENGTH and _PLAIN_EMAIL.fullmatch(email):
        return email
    return normalize_email(value, "customer_email")


def _transaction(data) -> dict:
    if data in (None, ""):
        return {}
    if not isinstance(data, dict):
        raise FieldErrors.one("transaction", _("Transaction data must be an object of key/values."))
    check_json(data, "transaction")
    for key, value in data.items():
        if len(key) > 100:
            raise FieldErrors.one(
                "transaction", f"A key is at most 100 characters ({key[:20]!r}…)."
            )
        if type(value) is str:
            continue
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise FieldErrors.one(
                "transaction", f"Transaction field {key!r} must be a text, number or boolean."
            )
    return data


def _responded_at(
    value, latest: dt.datetime | None = None, tz: dt.tzinfo = dt.UTC
) -> dt.datetime | None:
    """An ISO 8601 date and time; one without an offset is a wall-clock time of `tz` (the
    workspace's: what a person exporting from a shop's till or typing a sheet means)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        at = value
    else:
        try:
            at = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise FieldErrors.one(
                "responded_at", f"Not a date and time like 2026-05-01T10:30:00Z: {value!r}"
            ) from None
    if timezone.is_naive(at):
        at = timezone.make_aware(at, tz)
    check_datetime(at, "responded_at")
    if at > (latest or timezone.now() + dt.timedelta(minutes=5)):
        raise FieldErrors.one("responded_at", _("In the future."))
    return at


def _optional_language(value) -> str:
    return "" if value in (None, "") else _language(value, "language")


def _received(survey: Survey, ids: list[int]) -> None:
    """In the transaction that stores the responses: response.received, whose listeners
    (FeedbackConfig) write their PendingEvaluation rows in it and queue their evaluation
    once it has committed."""
    if ids:
        events.emit(
            events.ResponseReceived(workspace=survey.workspace_id, survey=survey.pk, responses=ids)
        )


def evaluation_pending(event: events.ResponseReceived) -> None:
    """In the transaction that stores the responses: their PendingEvaluation rows commit
    with them. The task queued after the commit (`evaluation_queue`) can still be lost (a
    process killed after the commit, a worker killed while it runs): the worker's sweep
    evaluates whatever those rows say is left (caredesk.feedback.tasks)."""
    ids = event.responses
    if pg.enabled():
        pg.copy_rows(pg.PENDING_TABLE, ("response_id",), ("int8",), [(pk,) for pk in ids])
    else:
        PendingEvaluation.objects.bulk_create(PendingEvaluation(response_id=pk) for pk in ids)


def evaluation_queue(event: events.ResponseReceived) -> None:
    """After the commit: the fast path of the responses' evaluation."""
    tasks.evaluate_responses(list(event.responses))


def _queue_evaluation_again(ids: list[int]) -> None:
    """For responses answered as duplicates: a client retries when it got no answer, which
    may be because the process died between storing the response and queueing its
    evaluation; the ones still pending are queued again (evaluating twice does nothing the
    second time)."""
    pending = list(
        PendingEvaluation.objects.filter(response_id__in=ids).values_list("response_id", flat=True)
    )
    if pending:
        transaction.on_commit(lambda: tasks.evaluate_responses(pending))


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
    responded_at=None,
    language: str = "",
    invitation: Invitation | None = None,
) -> tuple[Response, bool]:
    """Store a response and queue its rules. Returns (response, created): a response whose
    external_id is already stored for the survey is not stored again, and the first one comes
    back with created=False. Through an invitation the response answers its case, and the
    invitation cannot be answered again."""
    item = {
        "score": score,
        "comment": comment,
        "customer_email": customer_email,
        "segment": segment_id,
        "transaction": transaction_data,
        "answers": answers,
        "external_id": external_id,
        "responded_at": responded_at,
        "language": language,
    }
    if invitation is not None:
        item["customer_email"] = invitation.email
    clean_id = _external_id(external_id)
    if clean_id is not None:
        first = Response.objects.filter(survey=survey, external_id=clean_id).first()
        if first is not None:
            if first.evaluated_at is None:
                _queue_evaluation_again([first.pk])
            return first, False
    intake = Intake(survey)
    clean = intake.clean(item)
    try:
        with transaction.atomic():
            email = clean["customer_email"]
            contact = (
                contact_for_email(organization=survey.workspace.organization, email=email)
                if email
                else None
            )
            response = intake.build(
                clean,
                contact.pk if contact else None,
                case=invitation.case if invitation else None,
            )
            response.save()
            _received(survey, [response.pk])
            if invitation is not None:
                taken = Invitation.objects.filter(pk=invitation.pk, answered_at=None).update(
                    answered_at=timezone.now(), response=response
                )
                if not taken:
                    raise FieldErrors.one("invitation", _("This survey was already answered."))
    except IntegrityError:
        # The same external_id arrived concurrently: the first one stored wins.
        first = Response.objects.filter(survey=survey, external_id=clean_id).first()
        if first is None:
            raise
        if first.evaluated_at is None:
            _queue_evaluation_again([first.pk])
        return first, False
    return response, True


@dataclass
class BulkResult:
    results: list[dict] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r["status"] == status)


def _contacts_for(org, emails: set[str]) -> dict[str, int]:
    """Contact id per email: the known ones in one query (ids only: no model instances), the
    new ones in a few multi-row INSERTs (customers.services.contacts_for_emails)."""
    if pg.enabled():
        found = pg.contact_ids(org.pk, emails)
    else:
        found = dict(
            ContactEmail.objects.filter(organization=org, email__in=emails).values_list(
                "email", "contact_id"
            )
        )
    if missing := emails - set(found):
        made = contacts_for_emails(organization=org, emails=missing)
        found.update((email, contact.pk) for email, contact in made.items())
    return found


def _stored_ids(survey: Survey, external_ids: set[str]) -> dict[str, int]:
    """{external_id: id} of the survey's stored responses among these external_ids."""
    if not external_ids:
        return {}
    if pg.enabled():
        return pg.stored_ids(survey.pk, external_ids)
    return dict(
        Response.objects.filter(survey=survey, external_id__in=external_ids).values_list(
            "external_id", "id"
        )
    )


def _store_copy(survey: Survey, intake: Intake, to_create, contacts) -> list[tuple[int, int, bool]]:
    """PostgreSQL: the batch by COPY (caredesk.feedback.pg), no model instances. An
    external_id another request stored meanwhile is skipped by ON CONFLICT and answered with
    the stored id. Returns (index, id, created) per item."""
    rows = [intake.row(c, contacts.get(c["customer_email"])) for _, c in to_create]
    with transaction.atomic():
        ids = pg.responses_insert(rows)
        _received(survey, [pk for pk in ids if pk is not None])
    lost = {c["external_id"] for (_, c), pk in zip(to_create, ids, strict=True) if pk is None}
    firsts = _stored_ids(survey, lost)
    return [
        (i, pk, True) if pk is not None else (i, firsts[c["external_id"]], False)
        for (i, c), pk in zip(to_create, ids, strict=True)
    ]


def _store_orm(survey: Survey, intake: Intake, to_create, contacts) -> list[tuple[int, int, bool]]:
    """Other databases (SQLite): one bulk INSERT through the ORM; one by one when another
    request stored one of the external_ids meanwhile. Returns (index, id, created) per item."""
    objs = [intake.build(c, contacts.get(c["customer_email"])) for _, c in to_create]
    try:
        with transaction.atomic():
            Response.objects.bulk_create(objs, batch_size=1000)
            _received(survey, [o.pk for o in objs])
        return [(i, o.pk, True) for (i, _), o in zip(to_create, objs, strict=True)]
    except IntegrityError:
        created = []
        for (i, c), obj in zip(to_create, objs, strict=True):
            obj.pk = None
            try:
                with transaction.atomic():
                    obj.save()
                    _received(survey, [obj.pk])
                created.append((i, obj.pk, True))
            except IntegrityError:
                first = Response.objects.get(survey=survey, external_id=c["external_id"])
                created.append((i, first.pk, False))
        return created


def responses_ingest(*, survey: Survey, items) -> BulkResult:
    """Store a batch: each item is created, a duplicate of a stored external_id (answered with
    the first id), or an error with its field errors (nothing stored for it). The created ones
    go in one INSERT (on PostgreSQL by COPY), and one evaluation task runs the rules over all
    of them."""
    if not isinstance(items, list):
        raise FieldErrors.one("items", _("A JSON list of responses."))
    if len(items) > BULK_MAX:
        raise FieldErrors.one(
            "items", _("At most %(count)s responses per request.") % {"count": BULK_MAX}
        )
    intake = Intake(survey)
    out = BulkResult(results=[{} for _ in items])
    pending: list[tuple[int, dict]] = []
    clean = intake.clean
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            out.results[i] = {"index": i, "status": "error", "errors": {"item": "An object."}}
            continue
        try:
            pending.append((i, clean(item)))
        except FieldErrors as e:
            out.results[i] = {"index": i, "status": "error", "errors": e.errors}

    stored = _stored_ids(survey, {c["external_id"] for _, c in pending if c["external_id"]})
    to_create: list[tuple[int, dict]] = []
    repeats: list[tuple[int, str]] = []
    seen: set[str] = set()
    for i, c in pending:
        eid = c["external_id"]
        if eid in stored:
            out.results[i] = {"index": i, "status": "duplicate", "id": stored[eid]}
        elif eid is not None and eid in seen:
            repeats.append((i, eid))
        else:
            if eid is not None:
                seen.add(eid)
            to_create.append((i, c))

    if to_create:
        org = survey.workspace.organization
        emails = {c["customer_email"] for _, c in to_create if c["customer_email"]}
        contacts = _contacts_for(org, emails) if emails else {}
        store = _store_copy if pg.enabled() else _store_orm
        created = store(survey, intake, to_create, contacts)
        ext_of = {i: c["external_id"] for i, c in to_create}
        for i, pk, new in created:
            out.results[i] = {"index": i, "status": "created" if new else "duplicate", "id": pk}
            if new:
                out.created_ids.append(pk)
            if eid := ext_of[i]:
                stored[eid] = pk
    for i, eid in repeats:
        out.results[i] = {"index": i, "status": "duplicate", "id": stored[eid]}
    if duplicates := [r["id"] for r in out.results if r.get("status") == "duplicate"]:
        _queue_evaluation_again(duplicates)
    return out


# --------------------------------------------------------------------------- alert rules


def _rule_fields(workspace: Workspace, *, name, survey_id, criteria, actions) -> dict:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("A rule needs a name.")
    survey = None
    if survey_id not in (None, ""):
        survey = (
            Survey.objects.filter(workspace=workspace, pk=survey_id).first()
            if str(survey_id).isdigit()
            else None
        )
        if survey is None:
            errors["survey"] = _("No such survey.")
    context = RuleContext(
        organization_id=workspace.organization_id,
        segment_ids=frozenset(
            Segment.objects.filter(organization_id=workspace.organization_id).values_list(
                "pk", flat=True
            )
        ),
        question_keys=frozenset(survey.questions.values_list("key", flat=True)) if survey else None,
        topic_ids=frozenset(Topic.objects.filter(workspace=workspace).values_list("pk", flat=True)),
    )
    errors.update(text_errors((name, "name", 200)))

    def checked(field: str, value, clean) -> dict:
        try:
            if error := json_error(value):
                raise FieldErrors.one(field, error)
            return clean(value, context)
        except FieldErrors as e:
            errors.update(e.errors)
            return {}

    clean_criteria = checked("criteria", criteria, criteria_clean)
    clean_actions = checked("actions", actions, actions_clean)
    if errors:
        raise FieldErrors(errors)
    return {
        "name": name[:200],
        "survey": survey,
        "criteria": clean_criteria,
        "actions": clean_actions,
    }


def rule_create(
    *, workspace: Workspace, name: str, criteria, actions, survey_id=None, is_active=True
) -> AlertRule:
    fields = _rule_fields(
        workspace, name=name, survey_id=survey_id, criteria=criteria, actions=actions
    )
    return AlertRule.objects.create(workspace=workspace, is_active=bool(is_active), **fields)


def rule_update(*, rule: AlertRule, name: str, criteria, actions, survey_id=None) -> AlertRule:
    fields = _rule_fields(
        rule.workspace, name=name, survey_id=survey_id, criteria=criteria, actions=actions
    )
    for key, value in fields.items():
        setattr(rule, key, value)
    rule.save()
    return rule


def rule_set_active(*, rule: AlertRule, is_active: bool) -> AlertRule:
    AlertRule.objects.filter(pk=rule.pk).update(is_active=is_active)
    rule.is_active = is_active
    return rule


def rule_run_past(*, rule: AlertRule, date_from: dt.date, date_to: dt.date) -> None:
    """Queue the rule over the responses answered in [date_from, date_to], days of the active
    zone (the one the person choosing them sees the responses in); the worker has no request,
    so the zone goes with the task."""
    if date_from > date_to:
        raise FieldErrors.one("date_to", _("The end is before the start."))
    zone = timezone.get_current_timezone_name()
    transaction.on_commit(
        lambda: tasks.run_rule_on_past(
            rule.pk, date_from.isoformat(), date_to.isoformat(), zone=zone
        )
    )
