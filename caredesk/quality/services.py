"""Writing evaluations: create (from a page, the review queue, a calibration session or an
integration), edit after the fact, change the agent, acknowledge. A failing regular
evaluation opens exactly one coaching case (`caredesk.quality.coaching_cases`)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk.care.models import Case
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY, check_text
from caredesk.journey.models import Activity
from caredesk.quality import scoring
from caredesk.quality.coaching_cases import coaching_case_for_evaluation
from caredesk.quality.models import (
    Answer,
    CalibrationSession,
    Evaluation,
    EvaluationChange,
    EvaluationKind,
    EvaluationSource,
    ReviewItem,
    ReviewStatus,
    Scorecard,
)
from caredesk.quality.people import agent_segment_path, int_or_none, member_of
from caredesk.quality.scorecards import TICKET
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import User
from caredesk.workspaces.permissions import Perm


def parse_answers(raw) -> dict[int, scoring.Given]:
    """Answers as a client sends them: {"<criterion id>": {"value": int | null, "na": bool,
    "comment": str, "message_ref": str}} (or a list of such objects with "criterion").
    FieldErrors naming "answers" or "answers.<id>" when the shape is wrong."""
    if isinstance(raw, list):
        items = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or "criterion" not in item:
                raise FieldErrors.one(f"answers.{i}", _("Each answer names its criterion."))
            items.append((item["criterion"], item))
    elif isinstance(raw, dict):
        items = list(raw.items())
    else:
        raise FieldErrors.one("answers", _("The answers, one per criterion."))
    out: dict[int, scoring.Given] = {}
    for key, item in items:
        try:
            cid = int(key)
        except (TypeError, ValueError):
            raise FieldErrors.one("answers", _("Unknown criterion %(id)s.") % {"id": key}) from None
        field = f"answers.{cid}"
        if not isinstance(item, dict):
            raise FieldErrors.one(field, _("An answer is an object with a value or N/A."))
        na = item.get("na", False)
        if not isinstance(na, bool):
            raise FieldErrors.one(field, _("N/A is true or false."))
        comment, ref = item.get("comment") or "", item.get("message_ref") or ""
        if not isinstance(comment, str) or not isinstance(ref, str | int):
            raise FieldErrors.one(field, _("A comment is text."))
        out[cid] = scoring.Given(
            value=item.get("value"), na=na, comment=comment, message_ref=str(ref)
        )
    return out


def _target(access: Access, activity_id, case_id) -> tuple[Activity | None, Case | None]:
    if (activity_id in (None, "")) == (case_id in (None, "")):
        raise FieldErrors.one("activity", _("Evaluate either an activity or a ticket."))
    if activity_id not in (None, ""):
        activity = (
            Activity.objects.visible_to(access).filter(pk=int_or_none(activity_id)).first()
            if int_or_none(activity_id)
            else None
        )
        if activity is None:
            raise FieldErrors.one("activity", _("No such activity."))
        return activity, None
    case = None
    if (pk := int_or_none(case_id)) is not None:
        case = Case.objects.visible_to(access).filter(pk=pk).first()
    if case is None:
        raise FieldErrors.one("case", _("No such ticket."))
    return None, case


def applies_to(version, activity: Activity | None, case: Case | None) -> bool:
    kind = activity.media_type if activity is not None else TICKET
    if version.media_types and kind not in version.media_types:
        return False
    if version.queue_names and (activity is None or activity.queue_name not in version.queue_names):
        return False
    return True


def _occurred_at(activity: Activity | None, case: Case | None) -> dt.datetime:
    if activity is not None:
        return activity.ended_at or activity.started_at or activity.occurred_at
    return case.reported_at


@dataclass
class Created:
    evaluation: Evaluation
    created: bool


def evaluation_create(
    *,
    access: Access,
    scorecard_id,
    answers,
    activity_id=None,
    case_id=None,
    agent_id=None,
    comment: str = "",
    external_id: str = "",
    source: str = EvaluationSource.MANUAL,
    calibration: CalibrationSession | None = None,
) -> Created:
    """Score and store an evaluation. Posting the same one again (the same external_id, or
    the same evaluator, scorecard and activity or ticket) answers the stored evaluation,
    unchanged, with created=False: a retry never makes a second one, nor a second
    coaching case."""
    access.require(Perm.EVALUATE)
    if not isinstance(external_id, str):
        raise FieldErrors.one("external_id", _("A text."))
    check_text(external_id, "external_id", 200)
    check_text(comment, "comment", MAX_BODY)
    external_id = external_id.strip()
    if external_id:
        found = Evaluation.objects.filter(
            workspace=access.workspace, external_id=external_id
        ).first()
        if found is not None:
            return Created(found, False)
    if calibration is not None:
        activity, case = calibration.activity, calibration.case
    else:
        activity, case = _target(access, activity_id, case_id)
    card = (
        Scorecard.objects.filter(workspace=access.workspace, pk=int_or_none(scorecard_id))
        .select_related("current_version")
        .first()
        if int_or_none(scorecard_id)
        else None
    )
    if card is None:
        raise FieldErrors.one("scorecard", _("No such scorecard."))
    version = calibration.version if calibration is not None else card.current_version
    if calibration is None:
        if not card.active:
            raise FieldErrors.one("scorecard", _("This scorecard is switched off."))
        if not applies_to(version, activity, case):
            raise FieldErrors.one("scorecard", _("This scorecard does not apply to this work."))
    given = parse_answers(answers)
    result = scoring.score(scoring.criteria_of(version.sections), given, version.pass_mark)

    if agent_id not in (None, ""):
        agent = member_of(access, agent_id)
        if agent is None:
            raise FieldErrors.one("agent", _("No such member of this workspace."))
    else:
        agent_pk = activity.agent_id if activity is not None else case.owner_id
        agent = User.objects.filter(pk=agent_pk).first() if agent_pk else None
        if agent is None:
            raise FieldErrors.one("agent", _("This work has no agent; name the agent evaluated."))
    if access.user is not None and agent.pk == access.user.pk:
        raise FieldErrors.one("agent", _("You cannot evaluate your own work."))

    kind = EvaluationKind.CALIBRATION if calibration is not None else EvaluationKind.REGULAR
    if kind == EvaluationKind.REGULAR and access.user is not None:
        same = Evaluation.objects.filter(
            workspace=access.workspace,
            kind=kind,
            scorecard=card,
            evaluator=access.user,
            activity=activity,
            case=case,
        ).first()
        if same is not None:
            return Created(same, False)

    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                workspace=access.workspace,
                scorecard=card,
                version=version,
                activity=activity,
                case=case,
                agent=agent,
                evaluator=access.user,
                segment_path=agent_segment_path(access.workspace, agent.pk),
                kind=kind,
                calibration=calibration,
                source=source,
                external_id=external_id,
                score=result.score,
                passed=result.passed,
                auto_failed=result.auto_failed,
                comment=comment.strip(),
                occurred_at=_occurred_at(activity, case),
            )
            _write_answers(evaluation, result)
            EvaluationChange.objects.create(
                evaluation=evaluation,
                actor=access.user,
                action="created",
                field="score",
                new_value=f"{result.score:g}",
            )
            if activity is not None and kind == EvaluationKind.REGULAR:
                ReviewItem.objects.filter(
                    activity=activity, scorecard=card, status=ReviewStatus.PENDING
                ).update(status=ReviewStatus.DONE, evaluation=evaluation)
            if kind == EvaluationKind.REGULAR and not result.passed:
                coaching_case_for_evaluation(access, evaluation)
    except IntegrityError:
        # The same submission raced this one and won: answer what it stored.
        same = Evaluation.objects.filter(workspace=access.workspace, kind=kind, scorecard=card)
        if external_id:
            same = same.filter(external_id=external_id)
        else:
            same = same.filter(evaluator=access.user, activity=activity, case=case)
        found = same.first()
        if found is None:
            raise
        return Created(found, False)
    return Created(evaluation, True)


def _write_answers(evaluation: Evaluation, result: scoring.Result) -> None:
    Answer.objects.bulk_create(
        Answer(
            evaluation=evaluation,
            criterion_id=s.criterion.id,
            value=s.given.value,
            na=s.given.na,
            fraction=s.share,
            weight=s.criterion.weight,
            bonus=s.criterion.bonus,
            failed=s.failed,
            comment=s.given.comment.strip(),
            message_ref=s.given.message_ref,
        )
        for s in result.answers
    )


def given_of(evaluation: Evaluation) -> dict[int, scoring.Given]:
    """The evaluation's stored answers as scoring input (unanswered bonus criteria left out)."""
    return {
        a.criterion_id: scoring.Given(
            value=a.value, na=a.na, comment=a.comment, message_ref=a.message_ref
        )
        for a in evaluation.answers.all()
        if a.na or a.value is not None
    }


def can_edit(access: Access, evaluation: Evaluation) -> bool:
    """Its evaluator (still holding `evaluate`), or whoever may decide appeals on it."""
    if evaluation.kind != EvaluationKind.REGULAR:
        return False
    if access.user is not None and evaluation.evaluator_id == access.user.pk:
        return access.has(Perm.EVALUATE)
    return access.has(Perm.REVIEW_APPEALS)


def _require_edit(access: Access, evaluation: Evaluation) -> None:
    if not (access.has(Perm.EVALUATE) or access.has(Perm.REVIEW_APPEALS)):
        access.require(Perm.EVALUATE)
    if not can_edit(access, evaluation):
        raise PermissionDenied(_("Only its evaluator or an appeals reviewer may edit it."))


def evaluation_rescore_answers(
    *,
    access: Access,
    evaluation: Evaluation,
    changed: dict[int, scoring.Given],
    action: str,
    reason: str,
) -> Evaluation:
    """Replace the answers of `changed` criteria (the rest stay), score again on the
    evaluation's own version, and log each change (criterion, old → new, why) and the score.
    A regular evaluation that fails now and had no coaching case gets one. Used by edits and
    by accepted appeals."""
    version = evaluation.version
    criteria = scoring.criteria_of(version.sections)
    by_id = {c.id: c for c in criteria}
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        before = given_of(evaluation)
        merged = {**before, **changed}
        result = scoring.score(criteria, merged, version.pass_mark)
        log = []
        for cid, g in changed.items():
            old = before.get(cid, scoring.Given())
            c = by_id[cid]
            if (old.value, old.na) != (g.value, g.na):
                log.append(
                    EvaluationChange(
                        evaluation=evaluation,
                        actor=access.user,
                        action=action,
                        criterion_id=cid,
                        field="answer",
                        old_value=c.label_of(old.value, old.na),
                        new_value=c.label_of(g.value, g.na),
                        reason=reason,
                    )
                )
            if old.comment != g.comment and g.comment is not None:
                log.append(
                    EvaluationChange(
                        evaluation=evaluation,
                        actor=access.user,
                        action=action,
                        criterion_id=cid,
                        field="comment",
                        old_value=old.comment[:500],
                        new_value=g.comment[:500],
                        reason=reason,
                    )
                )
        if evaluation.score != result.score or evaluation.passed != result.passed:
            log.append(
                EvaluationChange(
                    evaluation=evaluation,
                    actor=access.user,
                    action=action,
                    field="score",
                    old_value=f"{evaluation.score:g}",
                    new_value=f"{result.score:g}",
                    reason=reason,
                )
            )
        evaluation.answers.all().delete()
        _write_answers(evaluation, result)
        evaluation.score = result.score
        evaluation.passed = result.passed
        evaluation.auto_failed = result.auto_failed
        evaluation.save(update_fields=["score", "passed", "auto_failed", "updated_at"])
        EvaluationChange.objects.bulk_create(log)
        if (
            evaluation.kind == EvaluationKind.REGULAR
            and not result.passed
            and evaluation.coaching_case_id is None
        ):
            coaching_case_for_evaluation(access, evaluation)
    return evaluation


def evaluation_edit(
    *, access: Access, evaluation: Evaluation, answers, reason: str, comment=None
) -> Evaluation:
    """An evaluator or manager changes a result after the fact; `reason` is required and is
    logged with every change."""
    _require_edit(access, evaluation)
    if not isinstance(reason, str) or not reason.strip():
        raise FieldErrors.one("reason", _("Say why the result changes."))
    check_text(reason, "reason", MAX_BODY)
    changed = parse_answers(answers if answers is not None else {})
    if comment is not None:
        check_text(comment, "comment", MAX_BODY)
    if not changed and comment is None:
        raise FieldErrors.one("answers", _("Change at least one answer or the comment."))
    evaluation = evaluation_rescore_answers(
        access=access, evaluation=evaluation, changed=changed, action="edited", reason=reason
    )
    if comment is not None and comment.strip() != evaluation.comment:
        EvaluationChange.objects.create(
            evaluation=evaluation,
            actor=access.user,
            action="edited",
            field="comment",
            old_value=evaluation.comment[:500],
            new_value=comment.strip()[:500],
            reason=reason.strip(),
        )
        evaluation.comment = comment.strip()
        evaluation.save(update_fields=["comment", "updated_at"])
    return evaluation


def evaluation_set_agent(
    *, access: Access, evaluation: Evaluation, agent_id, reason: str
) -> Evaluation:
    """The evaluation was about someone else's work: name the right agent (logged)."""
    _require_edit(access, evaluation)
    if not isinstance(reason, str) or not reason.strip():
        raise FieldErrors.one("reason", _("Say why the result changes."))
    agent = member_of(access, agent_id)
    if agent is None:
        raise FieldErrors.one("agent", _("No such member of this workspace."))
    if agent.pk == evaluation.evaluator_id:
        raise FieldErrors.one("agent", _("You cannot evaluate your own work."))
    if agent.pk == evaluation.agent_id:
        return evaluation
    with transaction.atomic():
        old = User.objects.filter(pk=evaluation.agent_id).first()
        EvaluationChange.objects.create(
            evaluation=evaluation,
            actor=access.user,
            action="agent_changed",
            field="agent",
            old_value=str(old or ""),
            new_value=str(agent),
            reason=reason.strip(),
        )
        evaluation.agent = agent
        evaluation.segment_path = agent_segment_path(access.workspace, agent.pk)
        evaluation.acknowledged_at = None
        evaluation.save(update_fields=["agent", "segment_path", "acknowledged_at", "updated_at"])
    return evaluation


def evaluation_acknowledge(*, access: Access, evaluation: Evaluation) -> Evaluation:
    """The evaluated agent says they have read it (once; again is a no-op)."""
    if access.user is None or evaluation.agent_id != access.user.pk:
        raise PermissionDenied(_("Only the agent evaluated can acknowledge an evaluation."))
    if evaluation.acknowledged_at is None:
        with transaction.atomic():
            evaluation.acknowledged_at = timezone.now()
            evaluation.save(update_fields=["acknowledged_at"])
            EvaluationChange.objects.create(
                evaluation=evaluation, actor=access.user, action="acknowledged"
            )
    return evaluation
