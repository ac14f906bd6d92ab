"""The scorecards API: create, read, edit (in place while unused, a new version once used),
versions, on/off, rescoring as a job; bad input named with nothing changed; refusals."""

from caredesk.audit.models import AuditEntry
from caredesk.quality.models import (
    Evaluation,
    RescoreJob,
    Scorecard,
    ScorecardVersion,
)
from caredesk.quality.selectors import scorecards_for
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import get_access

from .conftest import CHAT_SECTIONS, all_good

BASE = "/api/v1/workspaces/support/scorecards"


def _state():
    return (
        list(Scorecard.objects.values_list("id", "name", "active", "current_version_id")),
        list(ScorecardVersion.objects.values_list("id", "number", "pass_mark", "sections")),
    )


def test_create_and_read(q, api_client):
    admin = api_client(q.admin)
    r = admin.post(
        BASE,
        {"name": "Calls", "sections": CHAT_SECTIONS, "pass_mark": 70, "media_types": ["call"]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["name"], body["current_version"], body["pass_mark"], body["media_types"]) == (
        "Calls",
        1,
        70,
        ["call"],
    )
    assert [c["question"] for s in body["sections"] for c in s["criteria"]] == [
        "Greeted the customer by name",
        "Tone",
        "Verified the customer's identity",
        "Resolution",
        "Went the extra mile",
    ]
    # Reading: any member with use_care (the agent too).
    agent = api_client(q.agent)
    listed = agent.get(BASE).json()
    assert [c["name"] for c in listed] == ["Calls", "Chat quality"]
    assert agent.get(f"{BASE}/{body['id']}").json()["id"] == body["id"]
    versions = agent.get(f"{BASE}/{body['id']}/versions").json()
    assert [(v["number"], v["evaluations"]) for v in versions] == [(1, 0)]
    assert AuditEntry.objects.filter(
        object_type="scorecard", object_id=body["id"], action="created"
    ).exists()


def test_bad_definition_is_named_and_nothing_changes(q, api_client):
    admin = api_client(q.admin)
    before = _state()
    bad = [{"title": "S", "criteria": [{"question": "Q", "weight": 0, "scale": "yes_no"}]}]
    r = admin.post(BASE, {"name": "X", "sections": bad}, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["errors"] == {"sections.0.criteria.0.weight": "A number above 0, at most 1000."}
    r = admin.patch(
        f"{BASE}/{q.card.pk}",
        {"pass_mark": 101, "media_types": ["fax"]},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"pass_mark", "media_types"}
    r = admin.patch(f"{BASE}/{q.card.pk}", {"name": " "}, content_type="application/json")
    assert (r.status_code, r.json()["errors"]) == (400, {"name": "Required."})
    assert _state() == before


def test_edit_in_place_while_unused_then_a_new_version(q, api_client):
    admin = api_client(q.admin)
    url = f"{BASE}/{q.card.pk}"
    r = admin.patch(url, {"pass_mark": 75}, content_type="application/json")
    assert (r.status_code, r.json()["current_version"], r.json()["pass_mark"]) == (200, 1, 75)
    assert ScorecardVersion.objects.filter(scorecard=q.card).count() == 1
    e = evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q),
    ).evaluation
    sections = r.json()["sections"]
    sections[0]["criteria"][0]["weight"] = 3
    r = admin.patch(url, {"sections": sections}, content_type="application/json")
    assert (r.status_code, r.json()["current_version"]) == (200, 2)
    e.refresh_from_db()
    assert e.version.number == 1
    # Criteria keep their ids across versions.
    ids = [c["id"] for s in r.json()["sections"] for c in s["criteria"]]
    assert ids == q.criteria
    one = admin.get(f"{url}/versions/1").json()
    assert (one["number"], one["pass_mark"], one["evaluations"]) == (1, 75, 1)
    assert one["sections"][0]["criteria"][0]["weight"] == 1
    assert admin.get(f"{url}/versions/3").status_code == 404


def test_switched_off_is_offered_nowhere(q, api_client):
    admin = api_client(q.admin)
    coach = get_access(q.coach, "support")
    assert scorecards_for(coach, q.chat) == [q.card]
    r = admin.patch(f"{BASE}/{q.card.pk}", {"active": False}, content_type="application/json")
    assert (r.status_code, r.json()["active"]) == (200, False)
    assert scorecards_for(coach, q.chat) == []
    assert ScorecardVersion.objects.filter(scorecard=q.card).count() == 1


def test_rescore_job_through_the_api(q, api_client, django_capture_on_commit_callbacks):
    coach = get_access(q.coach, "support")
    e = evaluation_create(
        access=coach, scorecard_id=q.card.pk, activity_id=q.chat.pk, answers=all_good(q)
    ).evaluation
    admin = api_client(q.admin)
    url = f"{BASE}/{q.card.pk}"
    # Nothing on an older version yet.
    r = admin.post(f"{url}/rescore")
    assert r.status_code == 400 and "scorecard" in r.json()["errors"]
    sections = admin.get(url).json()["sections"]
    sections[1]["criteria"][1]["weight"] = 14  # resolution: 2 of 2 still full marks
    sections[0]["criteria"][0]["weight"] = 10
    admin.patch(url, {"sections": sections, "pass_mark": 90}, content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(f"{url}/rescore")
    assert r.status_code == 202, r.content
    job = r.json()
    assert (job["status"], job["to_version"], job["total"]) == ("queued", 2, 1)
    r = admin.get(f"{url}/rescores/{job['id']}")
    assert (r.json()["status"], r.json()["done"], r.json()["total"]) == ("done", 1, 1)
    e.refresh_from_db()
    assert (e.version.number, e.score, e.passed) == (2, 100.0, True)
    audit = AuditEntry.objects.filter(
        object_type="scorecard", object_id=q.card.pk, action="rescored"
    )
    assert sorted(audit.values_list("field", "new_value")) == [
        ("evaluations", "1"),
        ("version", "2"),
    ]
    assert audit.first().actor == q.admin
    assert admin.get(f"{url}/rescores/999999").status_code == 404


def test_rescore_refused_while_one_is_under_way(q, api_client):
    coach = get_access(q.coach, "support")
    evaluation_create(
        access=coach, scorecard_id=q.card.pk, activity_id=q.chat.pk, answers=all_good(q)
    )
    admin = api_client(q.admin)
    url = f"{BASE}/{q.card.pk}"
    admin.patch(url, {"pass_mark": 90}, content_type="application/json")
    # Not run: no commit in this test, so the job stays queued.
    assert admin.post(f"{url}/rescore").status_code == 202
    r = admin.post(f"{url}/rescore")
    assert r.status_code == 400
    assert r.json()["errors"] == {"scorecard": "A rescore of this scorecard is under way."}
    assert RescoreJob.objects.count() == 1


def test_refusals(q, api_client):
    agent = api_client(q.agent)
    before = _state()
    r = agent.post(BASE, {"name": "X", "sections": CHAT_SECTIONS}, content_type="application/json")
    assert r.status_code == 403
    assert (
        agent.patch(
            f"{BASE}/{q.card.pk}", {"active": False}, content_type="application/json"
        ).status_code
        == 403
    )
    assert agent.post(f"{BASE}/{q.card.pk}/rescore").status_code == 403
    assert _state() == before
    # Another workspace's scorecard: 404 from here; another organization: 404.
    admin = api_client(q.admin)
    sales = admin.post(
        "/api/v1/workspaces/sales/scorecards",
        {"name": "Sales", "sections": CHAT_SECTIONS},
        content_type="application/json",
    ).json()
    assert admin.get(f"{BASE}/{sales['id']}").status_code == 404
    assert (
        admin.patch(
            f"{BASE}/{sales['id']}", {"active": False}, content_type="application/json"
        ).status_code
        == 404
    )
    outsider = api_client(q.world.outsider)
    assert outsider.get(f"/api/v1/workspaces/support/scorecards/{q.card.pk}").status_code == 404
    assert Evaluation.objects.count() == 0
