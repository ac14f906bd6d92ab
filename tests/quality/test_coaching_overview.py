"""The Coaching tab's overview: per agent quality score, pass rate, evaluations, trend against
the previous period, open appeals and CSAT; the area's contact-center metrics; sessions due;
who sees which agents. Settings → Coaches and the coach-assignments API."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from caredesk.coaching.models import CoachingSession
from caredesk.coaching.selectors import sessions_due
from caredesk.quality.models import Appeal, CoachAssignment
from caredesk.workspaces.access import get_access

from .coaching_data import at, evaluate, member, responses


@pytest.fixture
def team(q):
    now = timezone.now()
    k = type("K", (), {})()
    k.agent3 = member(q, "agent3", q.world.store1)
    k.a1 = evaluate(q, q.agent, at(10, now), 1, 5, 1, 2)  # 100, passed
    k.a2 = evaluate(q, q.agent, at(20, now), 0, 3, 1, 1)  # 60
    evaluate(q, q.agent, at(40, now), 0, 1, 1, 0)  # 30, the previous 30 days
    evaluate(q, k.agent3, at(5, now), 1, 5, 1, 2, minutes=20)  # 100
    evaluate(q, q.agent2, at(5, now), 1, 5, 1, 2)  # Italy: outside the manager's area
    Appeal.objects.create(workspace=q.ws, evaluation=k.a2, agent=q.agent, comment="Unfair")
    responses(q, k.a1.activity, "csat", [5, 4, 1], at(9, now))
    return k


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_team_overview_figures(q, team):
    r = client(q.manager).get("/w/support/coaching/?days=30")
    assert r.status_code == 200
    rows = {row.agent.pk: row for row, _plan in r.context["rows"]}
    assert set(rows) == {q.agent.pk, team.agent3.pk}
    a = rows[q.agent.pk]
    assert (a.evaluations, a.score, a.pass_rate) == (2, 80.0, 50.0)
    assert (a.previous_score, a.trend) == (30.0, 50.0)
    assert (a.open_appeals, a.csat, a.responses) == (1, 66.7, 3)
    b = rows[team.agent3.pk]
    assert (b.evaluations, b.score, b.pass_rate, b.trend, b.open_appeals, b.csat) == (
        1,
        100.0,
        100.0,
        None,
        0,
        None,
    )
    # The area: the fixture's chat (12 min), two evaluated chats of 10 min and agent3's of 20
    # in the last 30 days; evaluations 100, 60 and 100.
    assert r.context["metrics"] == {
        "volume": 4,
        "handle_seconds": 780.0,
        "handle_minutes": 13.0,
        "team_handle_minutes": None,
        "csat": 66.7,
        "score": 86.7,
        "evaluations": 3,
    }
    html = r.content.decode()
    assert f'id="agent-{q.agent.pk}"' in html
    assert f'id="agent-{q.agent2.pk}"' not in html


def test_a_coach_sees_the_agents_of_the_segment_they_coach(q, team):
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, segment=q.world.italy)
    r = client(q.coach).get("/w/support/coaching/")
    assert [row.agent.pk for row, _plan in r.context["rows"]] == [q.agent2.pk]


def test_sessions_due(q, team, api_client):
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    body = {
        "agent": q.agent.pk,
        "scheduled_at": "2030-01-07T09:00:00Z",
        "criteria": [q.criteria[0]],
    }
    first = api_client(q.coach).post(
        "/api/v1/workspaces/support/coaching-sessions",
        json.dumps(body),
        content_type="application/json",
    )
    body["scheduled_at"] = "2030-01-06T09:00:00Z"
    second = api_client(q.manager).post(
        "/api/v1/workspaces/support/coaching-sessions",
        json.dumps(body),
        content_type="application/json",
    )
    CoachingSession.objects.filter(pk=second.json()["id"]).update(status="cancelled")
    due = sessions_due(get_access(q.coach, "support"))
    assert [s.pk for s in due] == [first.json()["id"]]
    assert [s.pk for s in sessions_due(get_access(q.agent2, "support"))] == []
    html = client(q.coach).get("/w/support/coaching/").content.decode()
    assert f"/w/support/coaching/sessions/{first.json()['id']}/" in html


# -- Settings → Coaches and the API ------------------------------------------------------------


def test_coach_settings_assign_and_remove(q):
    admin = client(q.admin)
    r = admin.post("/w/support/settings/coaches/", {"coach": q.coach.pk, "agent": q.agent.pk})
    assert r.status_code == 302
    a = CoachAssignment.objects.get()
    assert (a.coach_id, a.agent_id, a.segment_id) == (q.coach.pk, q.agent.pk, None)
    page = admin.get("/w/support/settings/coaches/").content.decode()
    assert f'id="assignment-{a.pk}"' in page
    assert admin.post(f"/w/support/settings/coaches/{a.pk}/remove/").status_code == 302
    assert CoachAssignment.objects.count() == 0


@pytest.mark.parametrize(
    "data, field",
    [
        ({"coach": "", "agent": "AGENT"}, "coach"),
        ({"coach": "AGENT2", "agent": "AGENT"}, "coach"),  # an agent may not evaluate
        ({"coach": "COACH"}, "agent"),  # neither agent nor segment
        ({"coach": "COACH", "agent": "AGENT", "segment": "ITALY"}, "agent"),  # both
        ({"coach": "COACH", "agent": "99999999"}, "agent"),
        ({"coach": "COACH", "agent": "COACH"}, "agent"),
        ({"coach": "COACH", "segment": "99999999"}, "segment"),
    ],
)
def test_coach_settings_bad_input_is_named_and_changes_nothing(q, data, field):
    names = {
        "AGENT": q.agent.pk,
        "AGENT2": q.agent2.pk,
        "COACH": q.coach.pk,
        "ITALY": q.world.italy.pk,
    }
    data = {k: names.get(v, v) for k, v in data.items()}
    r = client(q.admin).post("/w/support/settings/coaches/", data)
    assert r.status_code == 400
    assert set(r.context["errors"]) == {field}
    assert CoachAssignment.objects.count() == 0


def test_an_agent_has_one_named_coach(q, api_client):
    url = "/api/v1/workspaces/support/coach-assignments"
    admin = api_client(q.admin)
    body = {"coach": q.coach.pk, "agent": q.agent.pk}
    r = admin.post(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["coach"]["id"] == q.coach.pk
    r = admin.post(
        url,
        json.dumps({"coach": q.manager.pk, "agent": q.agent.pk}),
        content_type="application/json",
    )
    assert (r.status_code, set(r.json()["errors"])) == (400, {"agent"})
    assert CoachAssignment.objects.count() == 1
    assert [x["agent"]["id"] for x in admin.get(url).json()] == [q.agent.pk]


def test_coach_assignments_need_manage_care(q, api_client):
    url = "/api/v1/workspaces/support/coach-assignments"
    a = CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    for user in (q.coach, q.manager, q.agent):
        c = api_client(user)
        assert c.get(url).status_code == 403
        body = json.dumps({"coach": q.coach.pk, "segment": q.world.italy.pk})
        assert c.post(url, body, content_type="application/json").status_code == 403
        assert c.delete(f"{url}/{a.pk}").status_code == 403
        assert client(user).get("/w/support/settings/coaches/").status_code == 403
        assert client(user).post(f"/w/support/settings/coaches/{a.pk}/remove/").status_code == 403
    assert CoachAssignment.objects.count() == 1
    # Another organization's admin does not reach it.
    outsider = api_client(q.world.outsider)
    assert outsider.delete(f"{url}/{a.pk}").status_code == 404
    assert api_client(q.admin).delete(f"{url}/{a.pk}").status_code == 204
    assert CoachAssignment.objects.count() == 0


def test_the_overview_reads_built_plans_and_what_came_after(q, team):
    from caredesk.coaching.plans import plans_build

    def figures():
        r = client(q.manager).get("/w/support/coaching/?days=30")
        rows = {row.agent.pk: row for row, _plan in r.context["rows"]}
        a = rows[q.agent.pk]
        return (a.evaluations, a.score, a.pass_rate, a.previous_score), r.context["metrics"]

    live = figures()
    assert live[0] == (2, 80.0, 50.0, 30.0)
    plans_build(q.ws)
    # The days before today come from the plans now: the same figures.
    assert figures() == live
    # Work evaluated after the build is read live.
    evaluate(q, q.agent, timezone.now(), 1, 5, 1, 0)
    (n, score, pass_rate, prev), metrics = figures()
    # 100, 60 and now 60 (everything but the resolution: 6 of 10 weighted points).
    assert (n, score, pass_rate, prev) == (3, 73.3, 33.3, 30.0)
    assert metrics["evaluations"] == 4
    assert metrics["volume"] == 5
    # An older chat evaluated after the build counts too, on its own day.
    evaluate(q, q.agent, timezone.now() - dt.timedelta(days=3), 1, 5, 1, 2)
    (n, score, pass_rate, prev), metrics = figures()
    assert (n, score, pass_rate, prev) == (4, 80.0, 50.0, 30.0)
    assert metrics["evaluations"] == 5
