"""The appeals API: the agent appeals, the reviewer decides, lists with counts; bad input is a
400 naming the field with nothing written; refusals are 403 (no right) and 404 (not seen)."""

import datetime as dt
import json

import pytest

from caredesk.quality.models import Appeal, AppealItem, Evaluation, EvaluationChange
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import get_access

from .conftest import all_good

API = "/api/v1/workspaces/support"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def written():
    return (
        Appeal.objects.count(),
        AppealItem.objects.count(),
        list(Evaluation.objects.order_by("pk").values_list("pk", "score", "passed")),
        EvaluationChange.objects.count(),
        list(Appeal.objects.order_by("pk").values_list("pk", "status")),
    )


@pytest.fixture
def scored(q):
    """The coach's evaluation of the agent's chat: identity not verified (auto-fail), 0."""
    identity = q.criteria[2]
    return evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q, **{str(identity): {"value": 0}}),
    ).evaluation


def test_appeal_and_accept_through_the_api(q, api_client, scored):
    identity = q.criteria[2]
    assert (scored.score, scored.passed, scored.auto_failed) == (0.0, False, True)
    agent = api_client(q.agent)
    r = post(
        agent,
        f"{API}/evaluations/{scored.pk}/appeals",
        {
            "comment": "I asked for the PIN",
            "items": {str(identity): {"value": 1, "comment": "l.2"}},
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    appeal_id = body["id"]
    assert body["status"] == "open"
    assert body["evaluation"] == scored.pk
    assert body["agent"]["id"] == q.agent.pk
    assert body["reviewer"]["id"] == q.manager.pk
    assert body["items"] == [
        {
            "criterion": identity,
            "proposed_value": 1,
            "proposed_na": False,
            "comment": "l.2",
            "accepted": None,
        }
    ]
    manager = api_client(q.manager)
    r = post(
        manager,
        f"{API}/appeals/{appeal_id}/decision",
        {"decision": "accept", "comment": "PIN asked at 10:02"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["score_before"], body["score_after"]) == ("accepted", 0.0, 100.0)
    assert body["decided_by"]["id"] == q.manager.pk
    assert body["items"][0]["accepted"] is True
    e = Evaluation.objects.get()
    assert (e.score, e.passed, e.auto_failed) == (100.0, True, False)
    assert list(
        EvaluationChange.objects.filter(evaluation=e).values_list(
            "action", "field", "old_value", "new_value"
        )
    ) == [
        ("created", "score", "", "0"),
        ("appeal_accepted", "answer", "No", "Yes"),
        ("appeal_accepted", "score", "0", "100"),
    ]
    # Read back, as the agent.
    r = agent.get(f"{API}/appeals/{appeal_id}")
    assert r.status_code == 200
    assert r.json()["decision_comment"] == "PIN asked at 10:02"


def test_bad_appeals_name_the_field_and_write_nothing(q, api_client, scored):
    greet, tone, identity, resolution, _bonus = q.criteria
    agent = api_client(q.agent)
    url = f"{API}/evaluations/{scored.pk}/appeals"
    before = written()
    for body, field in (
        ({"comment": "x", "items": {str(greet): {"na": True}}}, f"items.{greet}"),
        ({"comment": "x", "items": {str(resolution): {"value": 3}}}, f"items.{resolution}"),
        ({"comment": "x", "items": {str(tone): {"value": 5.5}}}, f"items.{tone}"),
        ({"comment": "x", "items": {str(identity): {"value": 0}}}, f"items.{identity}"),
        ({"comment": "x", "items": {"999999": {"value": 1}}}, "items.999999"),
        ({"comment": "x", "items": {}}, "items"),
        ({"comment": "", "items": {str(identity): {"value": 1}}}, "comment"),
        ({"comment": "x", "items": {str(identity): "yes"}}, f"items.{identity}"),
    ):
        r = post(agent, url, body)
        assert r.status_code == 400, (body, r.content)
        assert field in r.json()["errors"], (field, r.json())
        assert written() == before


def test_appeal_refusals(q, api_client, scored):
    identity = q.criteria[2]
    body = {"comment": "x", "items": {str(identity): {"value": 1}}}
    url = f"{API}/evaluations/{scored.pk}/appeals"
    before = written()
    # Someone other than the agent: 403 if they see the evaluation, 404 if not.
    assert post(api_client(q.coach), url, body).status_code == 403
    assert post(api_client(q.manager), url, body).status_code == 403
    assert post(api_client(q.agent2), url, body).status_code == 404
    assert post(api_client(q.world.outsider), url, body).status_code == 404
    assert written() == before
    # After the window.
    Evaluation.objects.filter(pk=scored.pk).update(
        created_at=scored.created_at - dt.timedelta(days=7, minutes=1)
    )
    r = post(api_client(q.agent), url, body)
    assert r.status_code == 400
    assert r.json()["errors"]["evaluation"].startswith(
        "The time to appeal this evaluation ended on "
    )
    assert written() == before


def test_second_open_appeal_and_the_database_backstop(q, api_client, scored, monkeypatch):
    identity, resolution = q.criteria[2], q.criteria[3]
    agent = api_client(q.agent)
    url = f"{API}/evaluations/{scored.pk}/appeals"
    assert (
        post(agent, url, {"comment": "x", "items": {str(identity): {"value": 1}}}).status_code
        == 201
    )
    before = written()
    r = post(agent, url, {"comment": "y", "items": {str(resolution): {"value": 1}}})
    assert r.status_code == 400
    assert r.json()["errors"] == {"evaluation": "This evaluation already has an open appeal."}
    assert written() == before
    # Two appeals filed at once: both pass the check, the index one_open_appeal refuses the
    # second write (simulated by an appeal written between this one's check and its write).
    Appeal.objects.update(status="rejected")
    from caredesk.quality import appeals

    reviewer = appeals.appeal_reviewer

    def racing(workspace, evaluation):
        Appeal.objects.create(
            workspace=workspace, evaluation=evaluation, agent=q.agent, comment="first"
        )
        return reviewer(workspace, evaluation)

    monkeypatch.setattr(appeals, "appeal_reviewer", racing)
    r = post(agent, url, {"comment": "second", "items": {str(resolution): {"value": 1}}})
    assert r.status_code == 400
    assert r.json()["errors"] == {"evaluation": "This evaluation already has an open appeal."}
    assert list(Appeal.objects.order_by("pk").values_list("status", "comment")) == [
        ("rejected", "x"),
        ("open", "first"),
    ]
    assert AppealItem.objects.count() == 1


def test_decision_refusals_and_bad_input(q, api_client, scored):
    identity = q.criteria[2]
    r = post(
        api_client(q.agent),
        f"{API}/evaluations/{scored.pk}/appeals",
        {"comment": "x", "items": {str(identity): {"value": 1}}},
    )
    url = f"{API}/appeals/{r.json()['id']}/decision"
    ok = {"decision": "accept", "comment": "ok"}
    before = written()
    # No review_appeals: the agent (403). The evaluator (403). Outside their area: 404.
    assert post(api_client(q.agent), url, ok).status_code == 403
    assert post(api_client(q.coach), url, ok).status_code == 403
    assert post(api_client(q.world.italy_manager), url, ok).status_code == 404
    assert post(api_client(q.world.outsider), url, ok).status_code == 404
    assert api_client(q.agent2).get(url.rsplit("/", 1)[0]).status_code == 404
    manager = api_client(q.manager)
    for body, field in (
        ({"decision": "later", "comment": "x"}, "decision"),
        ({"decision": "accept", "comment": ""}, "comment"),
        ({"decision": "partial", "comment": "x"}, "accepted_items"),
        ({"decision": "partial", "comment": "x", "accepted_items": [999]}, "accepted_items"),
    ):
        r = post(manager, url, body)
        assert r.status_code == 400, body
        assert field in r.json()["errors"]
        assert written() == before
    assert post(manager, url, {"decision": "reject", "comment": "no"}).status_code == 200
    after = written()
    r = post(manager, url, ok)
    assert r.status_code == 400
    assert r.json()["errors"] == {"appeal": "This appeal was already decided."}
    assert written() == after


def test_list_with_counts_and_filters(q, api_client):
    identity = q.criteria[2]
    agent = api_client(q.agent)
    ids = []
    for evaluator in (q.coach, q.admin, q.world.manager2):
        e = evaluation_create(
            access=get_access(evaluator, "support"),
            scorecard_id=q.card.pk,
            activity_id=q.chat.pk,
            answers=all_good(q, **{str(identity): {"value": 0}}),
        ).evaluation
        r = post(
            agent,
            f"{API}/evaluations/{e.pk}/appeals",
            {"comment": "x", "items": {str(identity): {"value": 1}}},
        )
        ids.append(r.json()["id"])
    manager = api_client(q.manager)
    post(manager, f"{API}/appeals/{ids[0]}/decision", {"decision": "accept", "comment": "ok"})
    post(manager, f"{API}/appeals/{ids[1]}/decision", {"decision": "reject", "comment": "no"})
    r = manager.get(f"{API}/appeals")
    assert r.status_code == 200
    body = r.json()
    assert body["counts"] == {"open": 1, "accepted": 1, "partial": 0, "rejected": 1, "total": 3}
    assert [a["id"] for a in body["items"]] == list(reversed(ids))
    r = manager.get(f"{API}/appeals?status=open")
    assert [a["id"] for a in r.json()["items"]] == [ids[2]]
    assert r.json()["counts"]["total"] == 3
    r = manager.get(f"{API}/appeals?mine=true")
    assert [a["id"] for a in r.json()["items"]] == [ids[2]]
    assert r.json()["counts"] == {"open": 1, "accepted": 0, "partial": 0, "rejected": 0, "total": 1}
    r = manager.get(f"{API}/appeals?agent={q.agent2.pk}")
    assert r.json()["counts"]["total"] == 0
    r = manager.get(f"{API}/appeals?limit=2")
    assert [a["id"] for a in r.json()["items"]] == [ids[2], ids[1]]
    r = manager.get(f"{API}/appeals?limit=2&cursor={r.json()['next_cursor']}")
    assert [a["id"] for a in r.json()["items"]] == [ids[0]]
    # The agent sees their own; agent2 none; the outsider's own workspace has none.
    assert agent.get(f"{API}/appeals").json()["counts"]["total"] == 3
    assert api_client(q.agent2).get(f"{API}/appeals").json()["counts"]["total"] == 0
    assert api_client(q.world.outsider).get(f"{API}/appeals").json()["counts"]["total"] == 0
    bad = manager.get(f"{API}/appeals?status=lost&reviewer=me&cursor=zz")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"cursor"}
    bad = manager.get(f"{API}/appeals?status=lost&reviewer=me")
    assert set(bad.json()["errors"]) == {"status", "reviewer"}
