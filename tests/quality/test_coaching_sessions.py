"""Coaching sessions over the API and the pages: create, read, change, action items, done,
delete; who may (a coach of the agent, a manager of the area; the agent reads and ticks their
own items); bad input named and nothing changed; the effect before and after, exact."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from caredesk.coaching.models import ActionItem, CoachingSession
from caredesk.quality.models import CoachAssignment

from .coaching_data import at, evaluate

URL = "/api/v1/workspaces/support/coaching-sessions"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def state():
    return (
        list(CoachingSession.objects.order_by("pk").values_list("pk", "status", "notes")),
        list(ActionItem.objects.order_by("pk").values_list("pk", "text", "done")),
    )


@pytest.fixture
def coached(q):
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    return q


def new_session(client, q, **over):
    _g, tone, _i, resolution, _b = q.criteria
    body = {
        "agent": q.agent.pk,
        "scheduled_at": "2026-12-10T10:00:00Z",
        "criteria": [resolution, tone],
        "notes": "Work on <b>resolution</b>",
        **over,
    }
    return post(client, URL, body)


def test_a_coach_schedules_a_session_with_action_items_and_marks_it_done(coached, api_client):
    q = coached
    coach = api_client(q.coach)
    r = new_session(coach, q)
    assert r.status_code == 201, r.content
    s = r.json()
    assert s["agent"]["id"] == q.agent.pk
    assert s["coach"]["id"] == q.coach.pk
    assert s["status"] == "scheduled"
    assert s["criteria"] == sorted([q.criteria[1], q.criteria[3]])
    item = post(
        coach, f"{URL}/{s['id']}/action-items", {"text": "Read the guide", "due_date": "2026-12-20"}
    )
    assert item.status_code == 201, item.content
    assert item.json()["due_date"] == "2026-12-20"
    assert item.json()["done"] is False
    r = patch(coach, f"{URL}/{s['id']}", {"notes": "Went well", "status": "done"})
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["notes"]) == ("done", "Went well")
    assert r.json()["done_at"] is not None
    # A done session stays done.
    r = patch(coach, f"{URL}/{s['id']}", {"status": "cancelled"})
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"status"}
    # The agent reads it and ticks their item done, but changes nothing else.
    agent = api_client(q.agent)
    assert agent.get(f"{URL}/{s['id']}").json()["action_items"][0]["text"] == "Read the guide"
    r = patch(agent, f"{URL}/{s['id']}/action-items/{item.json()['id']}", {"done": True})
    assert r.status_code == 200
    assert r.json()["done"] is True
    before = state()
    assert patch(agent, f"{URL}/{s['id']}", {"notes": "mine"}).status_code == 403
    r = patch(agent, f"{URL}/{s['id']}/action-items/{item.json()['id']}", {"text": "x"})
    assert r.status_code == 403
    assert post(agent, f"{URL}/{s['id']}/action-items", {"text": "x"}).status_code == 403
    assert agent.delete(f"{URL}/{s['id']}").status_code == 403
    assert state() == before
    assert coach.delete(f"{URL}/{s['id']}").status_code == 204
    assert CoachingSession.objects.count() == 0


def test_who_may_schedule_and_see_sessions(coached, api_client):
    q = coached
    # The manager runs Lisbon (the agent's store); Italy's agent is outside it.
    manager = api_client(q.manager)
    assert new_session(manager, q).status_code == 201
    before = state()
    r = new_session(manager, q, agent=q.agent2.pk)
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"agent"}
    # An agent holds no evaluate permission.
    assert new_session(api_client(q.agent2), q, agent=q.agent.pk).status_code == 403
    # The coach coaches the agent, not agent2.
    assert new_session(api_client(q.coach), q, agent=q.agent2.pk).status_code == 400
    assert state() == before
    sid = CoachingSession.objects.get().pk
    # Seen by the agent, their coach, the manager, the admin; not by agent2 (404).
    for user, code in (
        (q.agent, 200),
        (q.coach, 200),
        (q.manager, 200),
        (q.admin, 200),
        (q.agent2, 404),
    ):
        assert api_client(user).get(f"{URL}/{sid}").status_code == code, user
    assert api_client(q.agent2).get(URL).json() == []
    assert [s["id"] for s in api_client(q.agent).get(URL).json()] == [sid]
    # Writes by someone who does not see it: 404, nothing changed.
    before = state()
    other = api_client(q.agent2)
    assert patch(other, f"{URL}/{sid}", {"notes": "x"}).status_code == 404
    assert post(other, f"{URL}/{sid}/action-items", {"text": "x"}).status_code == 404
    assert other.delete(f"{URL}/{sid}").status_code == 404
    assert state() == before


def test_bad_session_input_is_named_and_changes_nothing(coached, api_client):
    q = coached
    coach = api_client(q.coach)
    before = state()
    r = new_session(coach, q, criteria=[])
    assert (r.status_code, set(r.json()["errors"])) == (400, {"criteria"})
    r = new_session(coach, q, criteria=[q.criteria[4] + 1000])
    assert (r.status_code, set(r.json()["errors"])) == (400, {"criteria"})
    r = new_session(coach, q, criteria=[q.criteria[4]])  # a bonus criterion is no focus
    assert (r.status_code, set(r.json()["errors"])) == (400, {"criteria"})
    r = new_session(coach, q, agent=q.coach.pk)
    assert (r.status_code, set(r.json()["errors"])) == (400, {"agent"})
    r = new_session(coach, q, notes="x\x00y")
    assert (r.status_code, set(r.json()["errors"])) == (400, {"notes"})
    r = new_session(coach, q, scheduled_at="soon")
    assert r.status_code == 422
    assert "scheduled_at" in r.json()["errors"]
    r = coach.get(f"{URL}?status=later")
    assert (r.status_code, set(r.json()["errors"])) == (400, {"status"})
    assert state() == before
    sid = new_session(coach, q).json()["id"]
    before = state()
    r = post(coach, f"{URL}/{sid}/action-items", {"text": "  "})
    assert (r.status_code, set(r.json()["errors"])) == (400, {"text"})
    r = patch(coach, f"{URL}/{sid}", {"status": "later"})
    assert (r.status_code, set(r.json()["errors"])) == (400, {"status"})
    assert state() == before


def test_the_effect_is_the_score_before_and_after_the_session(coached, api_client):
    q = coached
    now = timezone.now()
    session_at = now - dt.timedelta(days=14)
    # Resolution before: Partly (50) and Not resolved (0) → 25; after: Resolved twice → 100.
    # Tone before: 3/5 (50) then N/A (left out) → 50; after: 5/5 and 4/5 → 87.5.
    evaluate(q, q.agent, at(45, now), 1, 2, 1, 1)  # more than 4 weeks before: left out
    evaluate(q, q.agent, at(20, now), 1, 3, 1, 1)
    evaluate(q, q.agent, at(16, now), 1, "na", 1, 0)
    evaluate(q, q.agent, at(10, now), 1, 5, 1, 2)
    evaluate(q, q.agent, at(2, now), 1, 4, 1, 2)
    evaluate(q, q.agent2, at(3, now), 1, 1, 1, 0)  # another agent: left out
    r = new_session(api_client(q.coach), q, scheduled_at=session_at.isoformat())
    effect = {e["criterion"]: e for e in r.json()["effect"]}
    tone, resolution = q.criteria[1], q.criteria[3]
    assert effect[resolution] | {"question": ""} == {
        "criterion": resolution,
        "question": "",
        "before": 25.0,
        "before_answers": 2,
        "after": 100.0,
        "after_answers": 2,
    }
    assert (effect[tone]["before"], effect[tone]["before_answers"]) == (50.0, 1)
    assert (effect[tone]["after"], effect[tone]["after_answers"]) == (87.5, 2)
    assert effect[tone]["question"] == "Tone"
    # The plan page shows it too.
    c = Client()
    c.force_login(q.agent)
    html = c.get(f"/w/support/coaching/plans/{q.agent.pk}/").content.decode()
    assert f'data-criterion="{resolution}"' in html
    html = c.get(f"/w/support/coaching/sessions/{r.json()['id']}/").content.decode()
    assert "Work on &lt;b&gt;resolution&lt;/b&gt;" in html


def test_the_session_pages(coached):
    q = coached
    c = Client()
    c.force_login(q.coach)
    _g, tone, _i, resolution, _b = q.criteria
    before = state()
    r = c.post(
        "/w/support/coaching/sessions/",
        {"agent": q.agent.pk, "scheduled_at": "", "criteria": [resolution]},
    )
    assert r.status_code == 400
    assert "A date and time is required." in r.content.decode()
    assert state() == before
    r = c.post(
        "/w/support/coaching/sessions/",
        {"agent": q.agent.pk, "scheduled_at": "2026-12-10T10:00", "criteria": [resolution, tone]},
    )
    assert r.status_code == 302
    s = CoachingSession.objects.get()
    assert r["Location"] == f"/w/support/coaching/sessions/{s.pk}/"
    assert c.post(r["Location"], {"notes": "Agreed to verify"}).status_code == 302
    assert (
        c.post(
            f"{r['Location']}items/", {"text": "Shadow a senior", "due_date": "2026-12-24"}
        ).status_code
        == 302
    )
    item = ActionItem.objects.get()
    assert (item.text, item.due_date) == ("Shadow a senior", dt.date(2026, 12, 24))
    # The agent ticks it done; may not change the notes.
    a = Client()
    a.force_login(q.agent)
    assert a.post(f"{r['Location']}items/{item.pk}/", {"done": "1"}).status_code == 302
    assert ActionItem.objects.get().done is True
    assert a.post(r["Location"], {"notes": "mine"}).status_code == 403
    assert c.post(r["Location"], {"status": "done"}).status_code == 302
    s.refresh_from_db()
    assert (s.status, s.notes) == ("done", "Agreed to verify")
    listing = c.get("/w/support/coaching/sessions/").content.decode()
    assert f'id="session-{s.pk}"' in listing
    # agent2 sees neither the session nor its page.
    b = Client()
    b.force_login(q.agent2)
    assert b.get(r["Location"]).status_code == 404
    assert f'id="session-{s.pk}"' not in b.get("/w/support/coaching/sessions/").content.decode()
