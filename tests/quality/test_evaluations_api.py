"""The evaluations API (/api/v1/workspaces/{ws}/evaluations): the score arithmetic with exact
figures, a property test of the score's bounds and auto-fail, one coaching case per failing
evaluation however often it is posted, bad input refused naming the field with nothing
written, edits logged exactly, who sees which evaluation, and every permission refused."""

import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caredesk.care.models import Case, Origin
from caredesk.quality.models import (
    Answer,
    CalibrationSession,
    CoachAssignment,
    Evaluation,
    EvaluationChange,
)
from caredesk.quality.scorecards import scorecard_update
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import Access, get_access

from .conftest import all_good, chat_for

URL = "/api/v1/workspaces/support/evaluations"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def body(q, activity=None, **over):
    out = {
        "scorecard": q.card.pk,
        "activity": (activity or q.chat).pk,
        "answers": all_good(q),
    }
    out.update(over)
    return out


def snapshot():
    return (
        Evaluation.objects.count(),
        Answer.objects.count(),
        EvaluationChange.objects.count(),
        Case.objects.count(),
    )


@pytest.fixture
def coach_api(q, api_client):
    return api_client(q.coach)


# -- the score ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("over", "score", "passed", "auto_failed"),
    [
        ({}, 100.0, True, False),
        # greet (weight 1) missed: 9 of 10.
        ({0: {"value": 0}}, 90.0, True, False),
        # tone 3 of 5 earns half its weight 2: 1 + 1 + 3 + 4 = 9 of 10.
        ({1: {"value": 3}}, 90.0, True, False),
        # tone 2 of 5 earns a quarter: 8.5 of 10.
        ({1: {"value": 2}}, 85.0, True, False),
        # tone N/A leaves its weight out: 8 of 8; with greet missed 7 of 8.
        ({1: {"na": True}}, 100.0, True, False),
        ({1: {"na": True}, 0: {"value": 0}}, 87.5, True, False),
        # resolution "Partly" = 50 of its weight 4: 8 of 10, exactly the pass mark.
        ({3: {"value": 1}}, 80.0, True, False),
        ({3: {"value": 1}, 0: {"value": 0}}, 70.0, False, False),
        # the bonus (weight 5) adds its points on top, never beyond 100.
        ({0: {"value": 0}, 4: {"value": 1}}, 95.0, True, False),
        ({4: {"value": 1}}, 100.0, True, False),
        ({3: {"value": 1}, 0: {"value": 0}, 4: {"value": 1}}, 75.0, False, False),
        # identity is auto-fail: a failing answer is 0 and a fail, whatever the rest.
        ({2: {"value": 0}, 4: {"value": 1}}, 0.0, False, True),
    ],
)
def test_the_score_through_the_api(q, coach_api, over, score, passed, auto_failed):
    answers = all_good(q, **{str(q.criteria[i]): a for i, a in over.items()})
    r = post(coach_api, URL, body(q, answers=answers))
    assert r.status_code == 201, r.content
    data = r.json()
    assert (data["score"], data["passed"], data["auto_failed"]) == (score, passed, auto_failed)
    assert data["version"] == 1 and data["pass_mark"] == 80
    assert data["agent"]["username"] == "agent" and data["evaluator"]["username"] == "coach"
    assert data["source"] == "api"
    stored = Evaluation.objects.get(pk=data["id"])
    assert (stored.score, stored.passed, stored.auto_failed) == (score, passed, auto_failed)
    assert [(a["criterion"], a["label"]) for a in data["answers"]][:2] == [
        (q.criteria[0], "Yes" if over.get(0, {}).get("value", 1) else "No"),
        (q.criteria[1], data["answers"][1]["label"]),
    ]
    assert [c["action"] for c in data["log"]] == ["created"]


def test_answers_show_their_points(q, coach_api):
    answers = all_good(
        q, **{str(q.criteria[1]): {"value": 2, "comment": "Curt", "message_ref": "7"}}
    )
    data = post(coach_api, URL, body(q, answers=answers)).json()
    tone = data["answers"][1]
    assert {k: tone[k] for k in ("label", "weight", "earned", "failed", "comment")} == {
        "label": "2 / 5",
        "weight": 2.0,
        "earned": 0.5,
        "failed": True,
        "comment": "Curt",
    }
    assert tone["message_ref"] == "7"
    # The bonus left unanswered earns nothing and is not listed as N/A.
    assert data["answers"][4]["value"] is None and data["answers"][4]["earned"] is None


# criterion index → the values its scale accepts (q.card)
SCALES = {0: [0, 1], 1: [1, 2, 3, 4, 5, "na"], 2: [0, 1], 3: [0, 1, 2], 4: [None, 0, 1]}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(picks=st.tuples(*(st.sampled_from(v) for v in SCALES.values())))
def test_property_score_within_0_100_and_auto_fail_always_fails(q, coach_api, picks):
    with transaction.atomic():
        activity = chat_for(q.ws, q.agent)
        answers = {}
        for i, value in enumerate(picks):
            if value is None:
                continue
            answers[str(q.criteria[i])] = {"na": True} if value == "na" else {"value": value}
        r = post(coach_api, URL, body(q, activity=activity, answers=answers))
        assert r.status_code == 201, r.content
        data = r.json()
        assert 0 <= data["score"] <= 100
        if picks[2] == 0:  # identity, auto-fail, answered No
            assert (data["score"], data["passed"], data["auto_failed"]) == (0.0, False, True)
        else:
            assert data["auto_failed"] is False
            assert data["passed"] == (data["score"] >= 80)
        transaction.set_rollback(True)


# -- one coaching case -------------------------------------------------------------------------


def test_failing_evaluation_posted_twice_opens_one_coaching_case(q, coach_api):
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    failing = all_good(q, **{str(q.criteria[2]): {"value": 0}})
    first = post(coach_api, URL, body(q, answers=failing, external_id="qa-1"))
    again = post(coach_api, URL, body(q, answers=failing, external_id="qa-1"))
    # The same evaluator, scorecard and activity without the external id: the same one too.
    third = post(coach_api, URL, body(q, answers=failing))
    assert (first.status_code, again.status_code, third.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == third.json()["id"]
    assert Evaluation.objects.count() == 1
    case = Case.objects.get(origin=Origin.EVALUATION)
    assert (case.about_agent, case.owner) == (q.agent, q.coach)
    assert first.json()["coaching_case"] == again.json()["coaching_case"] == case.number


def test_passing_evaluation_opens_no_coaching_case(q, coach_api):
    assert post(coach_api, URL, body(q)).status_code == 201
    assert not Case.objects.filter(origin=Origin.EVALUATION).exists()


def test_an_integration_with_evaluate_posts_by_external_id(q, api_client):
    # An automatic QA system posting with its user's token: the user must hold evaluate.
    r = post(api_client(q.agent2), URL, body(q, external_id="auto-1"))
    assert r.status_code == 403
    assert post(api_client(q.admin), URL, body(q, external_id="auto-1")).status_code == 201
    again = post(api_client(q.admin), URL, body(q, external_id="auto-1", answers={}))
    assert again.status_code == 200  # stored, not scored again
    assert Evaluation.objects.get().source == "api"


# -- bad input ---------------------------------------------------------------------------------


def _bad_cases(q):
    greet, tone, identity, _res, _bonus = q.criteria
    return [
        (body(q, answers=all_good(q, **{str(greet): {"value": 3}})), f"answers.{greet}"),
        (body(q, answers=all_good(q, **{str(identity): {"na": True}})), f"answers.{identity}"),
        (body(q, answers=all_good(q, **{"999999": {"value": 1}})), "answers.999999"),
        (body(q, answers={str(greet): {"value": 1}}), f"answers.{tone}"),
        (body(q, answers=all_good(q, **{"abc": {"value": 1}})), "answers"),
        (body(q, scorecard=999999), "scorecard"),
        ({**body(q), "activity": None}, "activity"),
        (body(q, agent=q.world.outsider.pk), "agent"),
        (body(q, agent=q.coach.pk), "agent"),
        ({**body(q), "case": 1}, "activity"),
        ({**body(q), "activity": None, "case": 999999}, "case"),
    ]


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(q, coach_api):
    for payload, field in _bad_cases(q):
        before = snapshot()
        r = post(coach_api, URL, payload)
        assert r.status_code == 400, (payload, r.content)
        assert field in r.json()["errors"], (field, r.json())
        assert snapshot() == before


def test_a_scorecard_switched_off_or_not_applying_is_refused(q, coach_api):
    call = chat_for(q.ws, q.agent)
    call.media_type = "call"
    call.save()
    r = post(coach_api, URL, body(q, activity=call))
    assert (r.status_code, list(r.json()["errors"])) == (400, ["scorecard"])
    q.card.active = False
    q.card.save()
    r = post(coach_api, URL, body(q))
    assert (r.status_code, list(r.json()["errors"])) == (400, ["scorecard"])
    assert Evaluation.objects.count() == 0


def test_an_activity_the_evaluator_does_not_see_is_refused(q, api_client, world):
    # The Lisbon manager (evaluate by default) evaluating a chat on an Italian ticket: not
    # theirs to see.
    q.chat2.case = world.make_case(q.ws, segment=world.italy)
    q.chat2.save()
    r = post(api_client(q.manager), URL, body(q, activity=q.chat2))
    assert (r.status_code, list(r.json()["errors"])) == (400, ["activity"])
    assert Evaluation.objects.count() == 0


# -- edits ---------------------------------------------------------------------------------------


def test_edit_is_logged_exactly(q, coach_api):
    created = post(coach_api, URL, body(q)).json()
    greet, tone = q.criteria[0], q.criteria[1]
    url = f"{URL}/{created['id']}"
    r = patch(
        coach_api,
        url,
        {
            "answers": {str(greet): {"value": 0}, str(tone): {"value": 3, "comment": "Flat"}},
            "comment": "Watch the greeting",
            "reason": "Listened again",
        },
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["score"], data["passed"], data["comment"]) == (80.0, True, "Watch the greeting")
    assert [
        (c["action"], c["criterion"], c["field"], c["old_value"], c["new_value"], c["reason"])
        for c in data["log"]
    ] == [
        ("created", None, "score", "", "100", ""),
        ("edited", greet, "answer", "Yes", "No", "Listened again"),
        ("edited", tone, "answer", "5 / 5", "3 / 5", "Listened again"),
        ("edited", tone, "comment", "", "Flat", "Listened again"),
        ("edited", None, "score", "100", "80", "Listened again"),
        ("edited", None, "comment", "", "Watch the greeting", "Listened again"),
    ]
    assert all(c["actor"]["username"] == "coach" for c in data["log"])


def test_edit_without_reason_or_with_a_bad_answer_changes_nothing(q, coach_api):
    created = post(coach_api, URL, body(q)).json()
    url = f"{URL}/{created['id']}"
    before = snapshot()
    greet, identity = q.criteria[0], q.criteria[2]
    for payload, field in (
        ({"answers": {str(greet): {"value": 0}}, "reason": " "}, "reason"),
        ({"answers": {str(greet): {"value": 7}}, "reason": "x"}, f"answers.{greet}"),
        ({"answers": {str(identity): {"na": True}}, "reason": "x"}, f"answers.{identity}"),
        ({"reason": "x"}, "answers"),
    ):
        r = patch(coach_api, url, payload)
        assert r.status_code == 400, r.content
        assert field in r.json()["errors"]
    assert snapshot() == before
    assert Evaluation.objects.get().score == 100.0


def test_edit_that_fails_opens_the_coaching_case(q, coach_api):
    created = post(coach_api, URL, body(q)).json()
    r = patch(
        coach_api,
        f"{URL}/{created['id']}",
        {"answers": {str(q.criteria[2]): {"value": 0}}, "reason": "No identity check"},
    )
    assert (r.json()["score"], r.json()["passed"]) == (0.0, False)
    assert Case.objects.filter(origin=Origin.EVALUATION).count() == 1
    assert r.json()["coaching_case"] is not None


def test_only_evaluator_or_appeals_reviewer_edits(q, api_client, coach_api):
    created = post(coach_api, URL, body(q)).json()
    url = f"{URL}/{created['id']}"
    edit = {"answers": {str(q.criteria[0]): {"value": 0}}, "reason": "x"}
    # The agent sees it but may not edit it.
    assert patch(api_client(q.agent), url, edit).status_code == 403
    # Italy's manager does not see it at all.
    assert patch(api_client(q.world.italy_manager), url, edit).status_code == 404
    # The Lisbon manager (review_appeals, their area) may.
    assert patch(api_client(q.manager), url, edit).status_code == 200
    assert Evaluation.objects.get().score == 90.0


def test_change_agent_and_acknowledge(q, api_client, coach_api):
    created = post(coach_api, URL, body(q)).json()
    url = f"{URL}/{created['id']}"
    agent_api = api_client(q.agent)
    # Only the agent acknowledges.
    assert post(coach_api, f"{url}/acknowledge", {}).status_code == 403
    r = post(agent_api, f"{url}/acknowledge", {})
    assert r.status_code == 200 and r.json()["acknowledged_at"] is not None
    r = post(coach_api, f"{url}/agent", {"agent": q.agent2.pk, "reason": ""})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["reason"])
    r = post(coach_api, f"{url}/agent", {"agent": q.agent2.pk, "reason": "Transferred chat"})
    assert r.status_code == 200
    assert r.json()["agent"]["username"] == "agent2" and r.json()["acknowledged_at"] is None
    assert r.json()["log"][-1] | {"at": None} == {
        "at": None,
        "actor": r.json()["log"][-1]["actor"],
        "action": "agent_changed",
        "criterion": None,
        "field": "agent",
        "old_value": "Agent",
        "new_value": "Agent2",
        "reason": "Transferred chat",
    }
    # The first agent no longer sees it.
    assert agent_api.get(url).status_code == 404


# -- who sees what -------------------------------------------------------------------------------


def test_agent_sees_only_their_own(q, api_client, coach_api):
    mine = post(coach_api, URL, body(q)).json()["id"]
    other = post(coach_api, URL, body(q, activity=q.chat2)).json()["id"]
    calibration = CalibrationSession.objects.create(
        workspace=q.ws,
        activity=q.chat,
        scorecard=q.card,
        version=q.card.current_version,
        started_by=q.admin,
    )
    calib = evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        answers=all_good(q),
        calibration=calibration,
    ).evaluation
    agent_api = api_client(q.agent)
    listed = agent_api.get(URL).json()
    assert [e["id"] for e in listed["items"]] == [mine]
    assert listed["counts"] == {"total": 1, "passed": 1, "failed": 0, "unacknowledged": 1}
    assert agent_api.get(f"{URL}/{mine}").status_code == 200
    for pk in (other, calib.pk):
        assert agent_api.get(f"{URL}/{pk}").status_code == 404
        assert post(agent_api, f"{URL}/{pk}/acknowledge", {}).status_code == 404
    # The coach (their evaluator) sees both regular ones in the list, not the calibration one.
    assert sorted(e["id"] for e in coach_api.get(URL).json()["items"]) == sorted([mine, other])
    # The Lisbon manager sees the Lisbon agent's only.
    assert [e["id"] for e in api_client(q.manager).get(URL).json()["items"]] == [mine]
    assert api_client(q.manager).get(f"{URL}/{other}").status_code == 404


def test_list_filters_and_pages(q, coach_api):
    a = post(coach_api, URL, body(q)).json()["id"]
    failing = all_good(q, **{str(q.criteria[2]): {"value": 0}})
    b = post(coach_api, URL, body(q, activity=q.chat2, answers=failing)).json()["id"]
    assert [e["id"] for e in coach_api.get(f"{URL}?passed=false").json()["items"]] == [b]
    assert [e["id"] for e in coach_api.get(f"{URL}?passed=true").json()["items"]] == [a]
    assert [e["id"] for e in coach_api.get(f"{URL}?agent={q.agent2.pk}").json()["items"]] == [b]
    assert coach_api.get(f"{URL}?scorecard={q.card.pk}").json()["counts"]["total"] == 2
    assert coach_api.get(f"{URL}?date_from=2000-01-01&date_to=2000-01-02").json()["items"] == []
    first = coach_api.get(f"{URL}?limit=1").json()
    second = coach_api.get(f"{URL}?limit=1&cursor={first['next_cursor']}").json()
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {a, b}
    assert second["next_cursor"] is None
    r = coach_api.get(f"{URL}?date_from=2026-02-02&date_to=2026-01-01")
    assert (r.status_code, list(r.json()["errors"])) == (400, ["date_to"])
    r = coach_api.get(f"{URL}?cursor=nonsense")
    assert (r.status_code, list(r.json()["errors"])) == (400, ["cursor"])


def test_version_kept_after_scorecard_edit(q, coach_api):
    first = post(coach_api, URL, body(q)).json()
    sections = q.card.current_version.sections
    scorecard_update(access=Access.system(q.ws), scorecard=q.card, sections=sections, pass_mark=90)
    second = post(coach_api, URL, body(q, activity=q.chat2)).json()
    assert (first["version"], second["version"]) == (1, 2)
    assert coach_api.get(f"{URL}/{first['id']}").json()["pass_mark"] == 80


# -- permissions --------------------------------------------------------------------------------


def test_agent_cannot_post_and_other_organization_gets_404(q, api_client, world):
    before = snapshot()
    r = post(api_client(q.agent), URL, body(q))
    assert r.status_code == 403
    outsider = api_client(world.outsider)
    assert post(outsider, URL, body(q)).status_code in (400, 404)
    created = post(api_client(q.coach), URL, body(q)).json()["id"]
    assert snapshot() != before
    before = snapshot()
    assert outsider.get(f"{URL}/{created}").status_code == 404
    assert outsider.get(URL).json()["items"] == []
    assert patch(outsider, f"{URL}/{created}", {"reason": "x", "comment": "y"}).status_code == 404
    assert snapshot() == before
