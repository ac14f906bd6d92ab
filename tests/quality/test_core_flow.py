"""The evaluation core through its services: a failing evaluation opens exactly one coaching
case for the agent's coach, also when it is posted twice; edits are logged."""

from caredesk.care.models import Case, Origin
from caredesk.quality.models import CoachAssignment, Evaluation, EvaluationChange
from caredesk.quality.services import evaluation_create, evaluation_edit
from caredesk.workspaces.access import get_access

from .conftest import all_good


def test_failing_evaluation_opens_one_coaching_case_for_the_coach(q):
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    access = get_access(q.coach, "support")
    answers = all_good(q, **{str(q.criteria[2]): {"value": 0}})
    first = evaluation_create(
        access=access, scorecard_id=q.card.pk, activity_id=q.chat.pk, answers=answers
    )
    again = evaluation_create(
        access=access, scorecard_id=q.card.pk, activity_id=q.chat.pk, answers=answers
    )
    assert first.created and not again.created
    assert again.evaluation.pk == first.evaluation.pk
    e = Evaluation.objects.get()
    assert (e.score, e.passed, e.auto_failed, e.agent, e.segment_path) == (
        0.0,
        False,
        True,
        q.agent,
        q.world.store1.path,
    )
    case = Case.objects.get(origin=Origin.EVALUATION)
    assert (case.about_agent, case.owner, case.segment) == (q.agent, q.coach, q.world.store1)
    assert e.coaching_case == case


def test_edit_rescores_and_logs_each_change(q):
    access = get_access(q.coach, "support")
    e = evaluation_create(
        access=access, scorecard_id=q.card.pk, activity_id=q.chat.pk, answers=all_good(q)
    ).evaluation
    assert (e.score, e.passed) == (100.0, True)
    e = evaluation_edit(
        access=access,
        evaluation=e,
        reason="Missed the name",
        answers={str(q.criteria[0]): {"value": 0}},
    )
    assert (e.score, e.passed) == (90.0, True)
    log = list(
        EvaluationChange.objects.filter(evaluation=e).values_list(
            "action", "field", "old_value", "new_value", "reason"
        )
    )
    assert log == [
        ("created", "score", "", "100", ""),
        ("edited", "answer", "Yes", "No", "Missed the name"),
        ("edited", "score", "100", "90", "Missed the name"),
    ]
    # Passing again opens nothing; manager owns no coaching case.
    assert not Case.objects.filter(origin=Origin.EVALUATION).exists()
