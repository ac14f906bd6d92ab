"""The score arithmetic (caredesk.quality.scoring): exact figures for each rule, and a
property: whatever the answers, the score lies in 0–100 and a failing auto-fail answer fails."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caredesk.core.errors import FieldErrors
from caredesk.quality.scoring import Given, criteria_of, score

from .conftest import CHAT_SECTIONS


def defs():
    sections = [
        {**s, "criteria": [{**c, "id": i} for i, c in enumerate(s["criteria"], start=start)]}
        for s, start in zip(CHAT_SECTIONS, (1, 3), strict=True)
    ]
    return criteria_of(sections)


def test_weights_and_scales():
    # greet yes (1/1), tone 4 of 5 → 0.75 × 2, identity yes 3/3, resolution partly 0.5 × 4
    r = score(defs(), {1: Given(1), 2: Given(4), 3: Given(1), 4: Given(1)}, 80)
    assert r.score == round(100 * (1 + 1.5 + 3 + 2) / 10, 2) == 75.0
    assert r.passed is False and r.auto_failed is False


def test_na_leaves_the_criterion_out_of_the_denominator():
    r = score(defs(), {1: Given(1), 2: Given(na=True), 3: Given(1), 4: Given(1)}, 80)
    assert r.score == round(100 * (1 + 3 + 2) / 8, 2) == 75.0


def test_auto_fail_gives_zero_whatever_the_rest():
    r = score(defs(), {1: Given(1), 2: Given(5), 3: Given(0), 4: Given(2), 5: Given(1)}, 0)
    assert (r.score, r.passed, r.auto_failed) == (0.0, False, True)


def test_bonus_lifts_but_never_above_100():
    base = {1: Given(0), 2: Given(5), 3: Given(1), 4: Given(2)}
    assert score(defs(), base, 80).score == 90.0
    assert score(defs(), {**base, 5: Given(1)}, 80).score == 95.0
    full = {1: Given(1), 2: Given(5), 3: Given(1), 4: Given(2), 5: Given(1)}
    assert score(defs(), full, 80).score == 100.0


@pytest.mark.parametrize(
    "answers,key",
    [
        ({1: Given(2), 2: Given(5), 3: Given(1), 4: Given(2)}, "answers.1"),
        ({1: Given(na=True), 2: Given(5), 3: Given(1), 4: Given(2)}, "answers.1"),
        ({1: Given(1), 2: Given(5), 3: Given(1)}, "answers.4"),
        ({1: Given(1), 2: Given(6), 3: Given(1), 4: Given(2)}, "answers.2"),
        ({1: Given(1), 2: Given(5), 3: Given(1), 4: Given(2), 9: Given(1)}, "answers.9"),
    ],
)
def test_bad_answers_name_the_criterion(answers, key):
    with pytest.raises(FieldErrors) as e:
        score(defs(), answers, 80)
    assert key in e.value.errors


values = {1: [0, 1], 2: [1, 2, 3, 4, 5, None], 3: [0, 1], 4: [0, 1, 2], 5: [0, 1, None]}


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries({k: st.sampled_from(v) for k, v in values.items()}), st.integers(0, 100)
)
def test_score_is_within_0_100_and_auto_fail_fails(picked, pass_mark):
    answers = {
        k: Given(na=True) if v is None and k == 2 else Given(v)
        for k, v in picked.items()
        if not (v is None and k == 5)
    }
    r = score(defs(), answers, pass_mark)
    assert 0 <= r.score <= 100
    if picked[3] == 0:
        assert r.passed is False and r.score == 0
    assert r.passed == (picked[3] == 1 and r.score >= pass_mark)
