"""Rescoring (caredesk.quality.rescoring): set-based SQL that must give exactly what
`scoring.score` gives. A property test draws random scorecards, random answers and a random
edit of the scorecard (weights, scales, N/A, auto-fail, bonus, dropped and new criteria, pass
mark) and compares every evaluation with the Python arithmetic."""

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caredesk.care.models import Case, Origin
from caredesk.quality import scoring
from caredesk.quality.models import Answer, Evaluation, EvaluationChange, Scorecard
from caredesk.quality.rescoring import rescore_evaluations
from caredesk.quality.scorecards import scorecard_create, scorecard_update
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import Access, get_access

from .conftest import all_good

SCALES = ["yes_no", "1_5", "0_10", "custom"]
POINTS = [
    {"value": 0, "label": "None", "score": 0},
    {"value": 1, "label": "Some", "score": 37.5},
    {"value": 2, "label": "All", "score": 100},
]


def criterion_st():
    return st.fixed_dictionaries(
        {
            "question": st.just("Q"),
            "weight": st.one_of(
                st.integers(1, 10), st.sampled_from([0.1, 0.3, 1.5, 2.25, 7.7, 33.3])
            ),
            "scale": st.sampled_from(SCALES),
            "na_allowed": st.booleans(),
            "auto_fail": st.booleans(),
            "bonus": st.sampled_from([False, False, False, True]),
        }
    ).map(_fix)


def _fix(c):
    if c["bonus"]:
        c["auto_fail"] = False
    if c["scale"] == "custom":
        c["points"] = POINTS
    return c


def _store(ws, card, version, given: dict[int, scoring.Given]) -> Evaluation:
    """An evaluation written as services.evaluation_create writes one (the test's own data)."""
    result = scoring.score(scoring.criteria_of(version.sections), given, version.pass_mark)
    e = Evaluation.objects.create(
        workspace=ws,
        scorecard=card,
        version=version,
        score=result.score,
        passed=result.passed,
        auto_failed=result.auto_failed,
        occurred_at=timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(
            evaluation=e,
            criterion_id=s.criterion.id,
            value=s.given.value,
            na=s.given.na,
            fraction=s.share,
            weight=s.criterion.weight,
            bonus=s.criterion.bonus,
            failed=s.failed,
        )
        for s in result.answers
    )
    return e


def _answers_st(criteria, draw):
    """Random valid answers for `criteria` (None when scoring would refuse them)."""
    given = {}
    for c in criteria:
        options = list(c.values) + (["na"] if c.na_allowed else []) + ([None] if c.bonus else [])
        pick = draw(st.sampled_from(options))
        if pick == "na":
            given[c.id] = scoring.Given(na=True)
        elif pick is not None:
            given[c.id] = scoring.Given(pick)
    try:
        scoring.check_answers(criteria, given)
    except Exception:
        return None
    return given


def expected(new_criteria, given, pass_mark):
    """What scoring.score says on the new version for the answers it can take (the rest, and
    criteria new in the version, unanswered); None when no regular answer counts."""
    by_id = {c.id: c for c in new_criteria}
    kept = {}
    for cid, g in given.items():
        c = by_id.get(cid)
        if c is None:
            continue
        if (g.na and c.na_allowed) or (not g.na and g.value in c.values):
            kept[cid] = g
    if not any(not by_id[cid].bonus and not g.na for cid, g in kept.items()):
        return None, kept
    result = scoring.score([c for c in new_criteria if c.id in kept or c.bonus], kept, pass_mark)
    return result, kept


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_rescoring_gives_exactly_what_scoring_gives(q, data):
    system = Access.system(q.ws)
    draw = data.draw
    old = draw(st.lists(criterion_st(), min_size=2, max_size=6))
    old[0]["bonus"] = False
    card = scorecard_create(
        access=system,
        name="Random",
        sections=[{"title": "S", "criteria": old}],
        pass_mark=draw(st.integers(0, 100)),
    )
    v1 = card.current_version
    criteria = scoring.criteria_of(v1.sections)
    stored = []
    for _ in range(draw(st.integers(1, 8))):
        given_answers = _answers_st(criteria, draw)
        if given_answers is not None:
            stored.append((_store(q.ws, card, v1, given_answers), given_answers))
    # The edit: change, drop and add criteria.
    new = []
    for c in v1.sections[0]["criteria"]:
        if draw(st.integers(0, 4)) == 0:
            continue  # dropped
        changed = draw(criterion_st())
        keep = {k: c[k] for k in ("id", "question")}
        new.append({**c, **keep} if draw(st.booleans()) else {**changed, **keep})
    new += draw(st.lists(criterion_st(), max_size=2))
    if all(c.get("bonus") for c in new):
        new.append({"question": "Fresh", "weight": 1, "scale": "yes_no"})
    card, made = scorecard_update(
        access=system,
        scorecard=card,
        sections=[{"title": "S", "criteria": new}],
        pass_mark=draw(st.integers(0, 100)),
    )
    v2 = card.current_version
    new_criteria = scoring.criteria_of(v2.sections)
    v1_ids = {c.id for c in criteria}
    if not stored:
        assert not made
        return
    if not made:
        # The edit drew the same definition again: no version, nothing to rescore.
        assert v2 == v1
        assert rescore_evaluations(scorecard=card, to_version=v2) == 0
        return
    assert v2.number == 2

    moved = rescore_evaluations(scorecard=card, to_version=v2)

    want_moved = 0
    for e, given_answers in stored:
        want, kept = expected(new_criteria, given_answers, v2.pass_mark)
        # Rows stay for the answers kept and for bonus criteria left unanswered then and now.
        rows_kept = set(kept) | {
            c.id for c in new_criteria if c.bonus and c.id in v1_ids and c.id not in given_answers
        }
        got = Evaluation.objects.get(pk=e.pk)
        if want is None:
            assert (got.version_id, got.score, got.passed) == (v1.pk, e.score, e.passed)
            continue
        want_moved += 1
        assert (got.version_id, got.score, got.passed, got.auto_failed) == (
            v2.pk,
            want.score,
            want.passed,
            want.auto_failed,
        )
        rows = {
            a.criterion_id: (a.value, a.na, a.fraction, a.weight, a.bonus, a.failed)
            for a in Answer.objects.filter(evaluation=got)
        }
        assert rows == {
            s.criterion.id: (
                s.given.value,
                s.given.na,
                s.share,
                s.criterion.weight,
                s.criterion.bonus,
                s.failed,
            )
            for s in want.answers
            if s.criterion.id in rows_kept
        }
        log = list(
            EvaluationChange.objects.filter(evaluation=got, action="rescored").values_list(
                "field", "old_value", "new_value", "reason"
            )
        )
        if (want.score, want.passed) == (e.score, e.passed):
            assert log == []
        else:
            assert log == [("score", f"{e.score:g}", f"{want.score:g}", "Rescored on version 2")]
    assert moved == want_moved


def test_rescore_exact_figures_and_no_coaching_case(q):
    """q.card: greet w1, tone w2 (N/A), identity w3 auto-fail, resolution w4 (points), bonus w5.
    Version 2 doubles greet, drops the bonus, makes tone 0–10 and adds a new criterion."""
    coach = get_access(q.coach, "support")
    greet, tone, identity, resolution, bonus = q.criteria
    first = evaluation_create(
        access=coach,
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q, **{str(greet): {"value": 0}, str(tone): {"value": 3}}),
    ).evaluation
    # 100 × (0 + 2×0.5 + 3 + 4) / 10 = 80: passes
    assert (first.score, first.passed) == (80.0, True)
    second = evaluation_create(
        access=coach,
        scorecard_id=q.card.pk,
        activity_id=q.chat2.pk,
        answers=all_good(q, **{str(tone): {"na": True}, str(bonus): {"value": 1}}),
    ).evaluation
    assert second.score == 100.0
    sections = q.card.current_version.sections
    v2_sections = [
        {
            "title": "Greeting",
            "criteria": [
                {**sections[0]["criteria"][0], "weight": 6},
                {**sections[0]["criteria"][1], "scale": "0_10", "na_allowed": False},
            ],
        },
        {
            "title": "Compliance",
            "criteria": [
                sections[1]["criteria"][0],
                sections[1]["criteria"][1],
                {"question": "Offered a survey", "weight": 2, "scale": "yes_no"},
            ],
        },
    ]
    card, made = scorecard_update(
        access=Access.system(q.ws), scorecard=q.card, sections=v2_sections
    )
    assert made
    v2 = card.current_version
    assert rescore_evaluations(scorecard=card, to_version=v2) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    # first: greet 0×6, tone 3 on 0–10 = 0.3×2, identity 3, resolution 4 → 100×7.6/15
    assert (first.version, first.score, first.passed) == (v2, 50.67, False)
    # second: tone N/A no longer allowed → unanswered; bonus dropped → 100 × 13/13
    assert (second.version, second.score, second.passed) == (v2, 100.0, True)
    assert set(second.answers.values_list("criterion_id", flat=True)) == {
        greet,
        identity,
        resolution,
    }
    assert list(
        EvaluationChange.objects.filter(action="rescored").values_list(
            "evaluation_id", "field", "old_value", "new_value", "reason"
        )
    ) == [(first.pk, "score", "80", "50.67", "Rescored on version 2")]
    # No coaching case from a rescore.
    assert not Case.objects.filter(origin=Origin.EVALUATION).exists()
    assert first.coaching_case_id is None
    # Again: nothing left on an older version.
    assert rescore_evaluations(scorecard=card, to_version=v2) == 0
    assert Scorecard.objects.get(pk=card.pk).current_version == v2
