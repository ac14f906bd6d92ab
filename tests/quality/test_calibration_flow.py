"""Calibration sessions through the pages and the API: starting one (review_appeals), blind
scoring, one score per evaluator, who may score and see, closing, and calibration scores kept
out of everything a regular evaluation counts in."""

import json

import pytest
from django.http import Http404
from django.test import Client

from caredesk.care.models import Case, Origin
from caredesk.quality import selectors
from caredesk.quality.calibration import calibration_start
from caredesk.quality.models import (
    Answer,
    CalibrationSession,
    CalibrationStatus,
    Evaluation,
    EvaluationChange,
    EvaluationKind,
)
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import UserType
from caredesk.workspaces.permissions import Perm, UserKind

from .conftest import all_good

W = "/w/support/coaching/calibrations"
API = "/api/v1/workspaces/support/calibrations"


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def form_answers(q, answers: dict, **comments) -> dict:
    """The scorecard form's fields (a<id>, c<id>) for `answers` as the API takes them."""
    data = {}
    for cid, a in answers.items():
        data[f"a{cid}"] = "na" if a.get("na") else str(a["value"])
    for cid, text in comments.items():
        data[f"c{cid.lstrip('c')}"] = text
    return data


def start(q, *invitees, by=None, **extra):
    access = get_access(by or q.manager, "support")
    return calibration_start(
        access=access,
        activity_id=q.chat.pk,
        scorecard_id=q.card.pk,
        invitee_ids=[u.pk for u in invitees],
        **extra,
    )


def counts():
    return (
        CalibrationSession.objects.count(),
        Evaluation.objects.count(),
        Answer.objects.count(),
        EvaluationChange.objects.count(),
        list(CalibrationSession.objects.values_list("pk", "status")),
    )


# -- starting ---------------------------------------------------------------------------------


def test_a_manager_starts_a_session_from_the_page_with_the_scorecard_version_pinned(q):
    w = q.world
    manager = client_of(q.manager)
    r = manager.get(f"{W}/new/?activity={q.chat.pk}")
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="activity-found"' in body and "Chat quality" in body
    # The chat's agent is not offered as an evaluator; those who may evaluate are.
    assert f'value="{q.agent.pk}"' not in body and f'value="{q.coach.pk}"' in body
    r = manager.post(
        f"{W}/new/",
        {
            "activity": q.chat.pk,
            "scorecard": q.card.pk,
            "title": "March calibration",
            "invitees": [q.coach.pk, w.manager2.pk],
        },
    )
    session = CalibrationSession.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{W}/{session.pk}/"
    assert (
        session.title,
        session.activity,
        session.scorecard,
        session.version,
        session.started_by,
        session.status,
    ) == ("March calibration", q.chat, q.card, q.card.current_version, q.manager, "open")
    assert set(session.invitees.all()) == {q.coach, w.manager2}
    # The list shows it open; the coach has it to score.
    assert f'id="session-{session.pk}"' in manager.get(f"{W}/").content.decode()
    assert f'id="to-score-{session.pk}"' in client_of(q.coach).get(f"{W}/").content.decode()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"invitees": "coach"}, "invitees"),  # only one
        ({"invitees": "agent"}, "invitees"),  # may not evaluate, and it is their chat
        ({"scorecard": "999999"}, "scorecard"),
        ({"activity": "999999"}, "activity"),
        ({"activity": ""}, "activity"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_input_to_the_start_form_names_the_field_and_changes_nothing(q, change, field):
    w = q.world
    data = {
        "activity": q.chat.pk,
        "scorecard": q.card.pk,
        "invitees": [q.coach.pk, w.manager2.pk],
    }
    if change.get("invitees") == "coach":
        change = {"invitees": [q.coach.pk]}
    elif change.get("invitees") == "agent":
        change = {"invitees": [q.coach.pk, q.agent.pk]}
    data.update(change)
    before = counts()
    r = client_of(q.manager).post(f"{W}/new/", data)
    assert r.status_code == 400
    assert f'data-field="{field}"' in r.content.decode()
    assert counts() == before


def test_a_scorecard_that_does_not_apply_is_refused_by_the_api(q, api_client):
    from caredesk.quality.scorecards import scorecard_create
    from caredesk.workspaces.access import Access

    calls = scorecard_create(
        access=Access.system(q.ws),
        name="Calls only",
        sections=[{"title": "", "criteria": [{"question": "Q", "weight": 1, "scale": "yes_no"}]}],
        pass_mark=80,
        media_types=["call"],
    )
    before = counts()
    r = post_json(
        api_client(q.manager),
        API,
        {"activity": q.chat.pk, "scorecard": calls.pk, "invitees": [q.coach.pk, q.admin.pk]},
    )
    assert r.status_code == 400 and list(r.json()["errors"]) == ["scorecard"]
    assert counts() == before


def test_starting_needs_review_appeals_manage_scorecards_is_not_enough(q, api_client):
    w = q.world
    body = {"activity": q.chat.pk, "scorecard": q.card.pk, "invitees": [w.manager2.pk, q.admin.pk]}
    # The coach's user type keeps evaluate and manage_scorecards, loses review_appeals.
    UserType.objects.filter(organization=w.org, kind=UserKind.COACH).update(
        permissions=[Perm.USE_CARE, Perm.INBOX_ACCESS, Perm.EVALUATE, Perm.MANAGE_SCORECARDS]
    )
    before = counts()
    for user in (q.coach, q.agent):
        assert post_json(api_client(user), API, body).status_code == 403
        assert client_of(user).get(f"{W}/new/").status_code == 403
        r = client_of(user).post(
            f"{W}/new/",
            {"activity": q.chat.pk, "scorecard": q.card.pk, "invitees": body["invitees"]},
        )
        assert r.status_code == 403
    assert counts() == before
    # The list is for evaluators and appeal reviewers: the coach still sees it, not the agent.
    assert client_of(q.coach).get(f"{W}/").status_code == 200
    assert client_of(q.agent).get(f"{W}/").status_code == 403
    assert api_client(q.agent).get(API).status_code == 403


def test_the_api_starts_a_session_on_a_ticket_by_its_number(q, world, api_client):
    from caredesk.care import services as care
    from caredesk.quality.scorecards import scorecard_create
    from caredesk.workspaces.access import Access

    admin = get_access(q.admin, "support")
    case = care.case_create(
        access=admin, customer_email="a@example.com", comment="x", segment_id=world.store1.pk
    )
    tickets = scorecard_create(
        access=Access.system(q.ws),
        name="Tickets",
        sections=[{"title": "", "criteria": [{"question": "Q", "weight": 1, "scale": "yes_no"}]}],
        pass_mark=80,
        media_types=["ticket"],
    )
    r = post_json(
        api_client(q.manager),
        API,
        {"ticket": case.number, "scorecard": tickets.pk, "invitees": [q.coach.pk, q.admin.pk]},
    )
    assert r.status_code == 201, r.content
    out = r.json()
    assert (out["ticket"], out["activity"], out["status"], out["submitted"], out["result"]) == (
        case.number,
        None,
        "open",
        0,
        None,
    )
    r = post_json(
        api_client(q.manager),
        API,
        {"ticket": 999999, "scorecard": tickets.pk, "invitees": [q.coach.pk, q.admin.pk]},
    )
    assert r.status_code == 400 and list(r.json()["errors"]) == ["ticket"]


# -- blind scoring ----------------------------------------------------------------------------


def test_nobody_sees_the_others_answers_before_submitting_their_own(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    greet = q.criteria[0]
    url = f"{W}/{session.pk}/"
    coach = client_of(q.coach)
    page = coach.get(url).content.decode()
    # The invitee scores with the transcript beside the form.
    assert 'id="score-form"' in page and "Hi, how can I help?" in page
    r = coach.post(f"{url}score/", form_answers(q, all_good(q), **{f"c{greet}": "COACH-NOTE-1"}))
    assert r.status_code == 302
    mine = Evaluation.objects.get(calibration=session)
    assert (mine.kind, mine.evaluator, mine.agent, mine.score, mine.version) == (
        EvaluationKind.CALIBRATION,
        q.coach,
        q.agent,
        100.0,
        session.version,
    )
    assert "COACH-NOTE-1" in coach.get(url).content.decode()

    # manager2 has not scored: neither the page nor the API shows the coach's answers.
    other = client_of(w.manager2)
    page = other.get(url).content.decode()
    assert "COACH-NOTE-1" not in page and 'id="side-by-side"' not in page
    assert 'id="score-form"' in page and "1 of 2 evaluators" in page
    out = api_client(w.manager2).get(f"{API}/{session.pk}").json()
    assert (out["submitted"], out["result"], out["my_evaluation"]) == (1, None, None)
    assert "COACH-NOTE-1" not in json.dumps(out)
    # Nor does the list of sessions.
    assert "COACH-NOTE-1" not in json.dumps(api_client(w.manager2).get(API).json())

    # Once they have scored (through the API), they see both.
    answers = all_good(q, **{str(greet): {"value": 0}})
    r = post_json(api_client(w.manager2), f"{API}/{session.pk}/evaluations", {"answers": answers})
    assert r.status_code == 201, r.content
    result = r.json()["result"]
    assert [e["evaluator"]["id"] for e in result["evaluators"]] == [q.coach.pk, w.manager2.pk]
    first = result["criteria"][0]
    assert [(a["label"], a["comment"]) for a in first["answers"]] == [
        ("Yes", "COACH-NOTE-1"),
        ("No", ""),
    ]
    page = other.get(url).content.decode()
    assert "COACH-NOTE-1" in page and 'id="side-by-side"' in page


def test_the_starter_who_does_not_score_sees_the_answers_once_the_session_is_closed(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    post_json(
        api_client(q.coach),
        f"{API}/{session.pk}/evaluations",
        {"answers": all_good(q, **{str(q.criteria[0]): {"value": 1, "comment": "NOTE-C"}})},
    )
    manager = client_of(q.manager)
    url = f"{W}/{session.pk}/"
    page = manager.get(url).content.decode()
    # The starter may score it too (the form), but sees nobody's answers.
    assert "NOTE-C" not in page and 'id="side-by-side"' not in page
    assert 'id="close-form"' in page and 'id="score-form"' in page
    assert api_client(q.manager).get(f"{API}/{session.pk}").json()["result"] is None
    # Only the starter closes it.
    assert client_of(q.coach).post(f"{url}close/").status_code == 403
    assert post_json(api_client(w.manager2), f"{API}/{session.pk}/close", {}).status_code == 403
    assert CalibrationSession.objects.get().status == CalibrationStatus.OPEN
    r = manager.post(f"{url}close/")
    assert r.status_code == 302
    assert CalibrationSession.objects.get().status == CalibrationStatus.CLOSED
    page = manager.get(url).content.decode()
    assert "NOTE-C" in page and 'id="side-by-side"' in page
    out = api_client(q.manager).get(f"{API}/{session.pk}").json()
    assert out["status"] == "closed" and out["result"]["evaluators"][0]["score"] == 100.0
    # Closed: manager2 can no longer score, and sees the answers without scoring.
    before = counts()
    r = post_json(
        api_client(w.manager2), f"{API}/{session.pk}/evaluations", {"answers": all_good(q)}
    )
    assert r.status_code == 400 and list(r.json()["errors"]) == ["session"]
    assert counts() == before
    assert "NOTE-C" in client_of(w.manager2).get(url).content.decode()


def test_a_second_score_by_the_same_evaluator_is_refused_and_changes_nothing(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    url = f"{API}/{session.pk}/evaluations"
    assert post_json(api_client(q.coach), url, {"answers": all_good(q)}).status_code == 201
    before = counts()
    again = all_good(q, **{str(q.criteria[0]): {"value": 0}})
    r = post_json(api_client(q.coach), url, {"answers": again})
    assert r.status_code == 400 and list(r.json()["errors"]) == ["session"]
    r = client_of(q.coach).post(f"{W}/{session.pk}/score/", form_answers(q, again))
    assert r.status_code == 400
    assert counts() == before
    assert Evaluation.objects.get(calibration=session).score == 100.0


def test_bad_answers_name_the_criterion_and_write_nothing(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    before = counts()
    identity = q.criteria[2]
    bad = all_good(q, **{str(identity): {"na": True}})
    r = post_json(api_client(q.coach), f"{API}/{session.pk}/evaluations", {"answers": bad})
    assert r.status_code == 400 and list(r.json()["errors"]) == [f"answers.{identity}"]
    r = client_of(q.coach).post(f"{W}/{session.pk}/score/", form_answers(q, bad))
    assert r.status_code == 400
    assert 'id="score-form"' in r.content.decode()
    assert counts() == before


def test_who_may_score_and_who_may_see_a_session(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    body = {"answers": all_good(q)}
    before = counts()
    # The admin sees every session but is not invited: refused (403).
    page = client_of(q.admin).get(f"{W}/{session.pk}/").content.decode()
    assert 'id="answers-hidden"' in page and 'id="score-form"' not in page
    r = post_json(api_client(q.admin), f"{API}/{session.pk}/evaluations", body)
    assert r.status_code == 403
    assert client_of(q.admin).post(f"{W}/{session.pk}/score/", {}).status_code == 403
    # Italy's manager may evaluate but was not invited: the session does not exist for them.
    italy = w.italy_manager
    assert client_of(italy).get(f"{W}/{session.pk}/").status_code == 404
    assert api_client(italy).get(f"{API}/{session.pk}").status_code == 404
    assert post_json(api_client(italy), f"{API}/{session.pk}/evaluations", body).status_code == 404
    assert session.pk not in [s["id"] for s in api_client(italy).get(API).json()]
    # The agent may not evaluate at all.
    assert api_client(q.agent).get(f"{API}/{session.pk}").status_code == 403
    assert client_of(q.agent).get(f"{W}/{session.pk}/").status_code == 403
    assert (
        post_json(api_client(q.agent), f"{API}/{session.pk}/evaluations", body).status_code == 403
    )
    # Another organization's admin: no such workspace.
    assert api_client(w.outsider).get(f"{API}/{session.pk}").status_code == 404
    assert counts() == before
    # The starter may score it, though not invited.
    r = post_json(api_client(q.manager), f"{API}/{session.pk}/evaluations", body)
    assert r.status_code == 201


# -- calibration scores count nowhere ---------------------------------------------------------


def test_calibration_evaluations_are_never_the_agents_nor_in_any_count(q, api_client):
    w = q.world
    session = start(q, q.coach, w.manager2)
    # A failing score (auto-fail): still no coaching case.
    failing = all_good(q, **{str(q.criteria[2]): {"value": 0}})
    r = post_json(api_client(q.coach), f"{API}/{session.pk}/evaluations", {"answers": failing})
    assert r.status_code == 201
    e = Evaluation.objects.get(calibration=session)
    assert (e.passed, e.auto_failed, e.coaching_case) == (False, True, None)
    assert not Case.objects.filter(origin=Origin.EVALUATION).exists()
    client_of(q.manager).post(f"{W}/{session.pk}/close/")

    agent = get_access(q.agent, "support")
    assert list(selectors.evaluations_visible(agent, include_calibration=True)) == []
    with pytest.raises(Http404):
        selectors.evaluation_get(agent, e.pk)
    # Whoever sees every evaluation counts none of the calibration ones.
    for user in (q.admin, q.manager, q.coach):
        assert list(selectors.evaluations_visible(get_access(user, "support"))) == []
    # The agent cannot reach the session either, closed or not.
    assert api_client(q.agent).get(f"{API}/{session.pk}").status_code == 403
    assert api_client(q.agent).get(API).status_code == 403
    assert client_of(q.agent).get(f"{W}/{session.pk}/").status_code == 403
