"""Coaching plans built from known data: lost points, failures, ranking, focus areas with the
question, recommendation, team comparison, weekly trend and failing evaluations; the plan's
figures (score, pass rate, team score, CSAT, NPS, handle time, volume); who may read it."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from caredesk.coaching.models import CoachingPlan, FocusArea
from caredesk.coaching.plans import plan_build, plans_build
from caredesk.core import zones
from caredesk.quality.models import CoachAssignment

from .coaching_data import at, evaluate, member, responses


def monday(when, ws) -> str:
    local = when.astimezone(zones.zone(ws.time_zone)).date()
    return (local - dt.timedelta(days=local.weekday())).isoformat()


@pytest.fixture
def known(q):
    """agent (Lisbon Store 1) with three evaluations in the period and one before it, agent3 in
    the same store with one perfect evaluation, agent2 (Italy) with one bad one."""
    now = timezone.now()
    k = type("K", (), {})()
    k.now = now
    k.agent3 = member(q, "agent3", q.world.store1)
    k.old = evaluate(q, q.agent, at(100, now), 0, 1, 1, 0)  # outside the 90 days
    k.e1 = evaluate(q, q.agent, at(60, now), 0, 5, 1, 1)  # 70
    k.e2 = evaluate(q, q.agent, at(30, now), 0, 3, 1, 0)  # 40
    k.e3 = evaluate(q, q.agent, at(10, now), 1, "na", 1, 0)  # 50
    k.e4 = evaluate(q, k.agent3, at(20, now), 1, 5, 1, 2, minutes=20)  # 100
    k.e5 = evaluate(q, q.agent2, at(5, now), 0, 1, 0, 0)  # auto-fail: 0
    responses(q, k.e1.activity, "csat", [5, 2], at(59, now))
    responses(q, k.e2.activity, "nps", [10, 9, 3], at(29, now))
    return k


def test_plan_ranks_the_criteria_where_the_agent_loses_most_points(q, known, api_client):
    greet, tone, _identity, resolution, _bonus = q.criteria
    plan_build(q.ws, q.agent, now=known.now)
    r = api_client(q.manager).get(f"/api/v1/workspaces/support/coaching-plans/{q.agent.pk}")
    assert r.status_code == 200, r.content
    body = r.json()
    areas = body["focus_areas"]
    # resolution: lost 2 + 4 + 4 = 10, failed 2 of 3 (rank 10 × 2/3); greet: lost 2, failed
    # 2 of 3; tone: lost 1 (3/5 once; N/A left out), never failed; identity lost nothing.
    assert [a["criterion"] for a in areas] == [resolution, greet, tone]
    assert [(a["lost_points"], a["failures"], a["answers"]) for a in areas] == [
        (10.0, 2, 3),
        (2.0, 2, 3),
        (1.0, 0, 2),
    ]
    assert [a["question"] for a in areas] == [
        "Resolution",
        "Greeted the customer by name",
        "Tone",
    ]
    # The agent's mean share and the team's (Lisbon Store 1: agent and agent3; not Italy).
    assert [(a["score"], a["team_score"]) for a in areas] == [
        (16.7, 37.5),
        (33.3, 50.0),
        (75.0, 83.3),
    ]
    assert areas[2]["recommendation"] == "Listen to the tone module of the academy."
    assert areas[0]["recommendation"] == ""
    assert areas[0]["evaluation_ids"] == [known.e3.pk, known.e2.pk]
    assert areas[1]["evaluation_ids"] == [known.e2.pk, known.e1.pk]
    assert areas[0]["trend"] == [
        {"week": monday(known.e1.occurred_at, q.ws), "score": 50.0, "answers": 1},
        {"week": monday(known.e2.occurred_at, q.ws), "score": 0.0, "answers": 1},
        {"week": monday(known.e3.occurred_at, q.ws), "score": 0.0, "answers": 1},
    ]
    f = body["figures"]
    assert (f["evaluations"], f["score"], f["pass_rate"]) == (3, 53.3, 0.0)
    assert (f["team_score"], f["team_size"]) == (65.0, 2)
    # CSAT: one of two answers 4–5; NPS: 2 promoters, 1 detractor of 3.
    assert (f["csat"], f["nps"], f["responses"]) == (50.0, 33.3, 5)
    # Chats: the fixture's (12 min) and the three evaluated (10 min) in the period.
    assert (f["volume"], f["handle_seconds"]) == (4, 630.0)
    # agent3: one chat of 20 min; the team's mean per agent.
    assert (f["team_volume"], f["team_handle_seconds"]) == (2.5, 915.0)


def test_plans_build_builds_every_member_with_data_and_rebuilds_in_place(q, known):
    assert plans_build(q.ws, now=known.now) == 3  # agent, agent2, agent3
    first = CoachingPlan.objects.get(workspace=q.ws, agent=q.agent)
    assert plans_build(q.ws, now=known.now) == 3
    assert CoachingPlan.objects.filter(workspace=q.ws).count() == 3
    again = CoachingPlan.objects.get(workspace=q.ws, agent=q.agent)
    assert again.pk == first.pk
    assert FocusArea.objects.filter(plan=again).count() == 3
    agent3 = CoachingPlan.objects.get(workspace=q.ws, agent=known.agent3)
    assert agent3.focus_areas.count() == 0  # perfect: no points lost
    assert agent3.figures["score"] == 100.0


def test_an_agent_alone_in_a_segment_is_compared_with_the_workspace(q, known):
    plans_build(q.ws, now=known.now)
    italy = CoachingPlan.objects.get(workspace=q.ws, agent=q.agent2)
    assert italy.figures["team_size"] == 3
    # Everyone's evaluations in the period: 70, 40, 50, 100 and agent2's 0 (auto-fail).
    assert italy.figures["team_score"] == 52.0


def test_the_refresh_button_builds_the_plans(q, known):
    c = Client()
    c.force_login(q.coach)
    r = c.post("/w/support/coaching/refresh/")
    assert r.status_code == 302
    assert CoachingPlan.objects.filter(workspace=q.ws).count() == 3


def test_an_agent_may_not_refresh_the_plans(q, known):
    c = Client()
    c.force_login(q.agent)
    assert c.post("/w/support/coaching/refresh/").status_code == 403
    assert CoachingPlan.objects.count() == 0


def test_the_plan_page_shows_focus_areas_and_links(q, known):
    plan_build(q.ws, q.agent, now=known.now)
    c = Client()
    c.force_login(q.manager)
    r = c.get(f"/w/support/coaching/plans/{q.agent.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index("Resolution") < html.index("Greeted the customer by name")
    assert "Listen to the tone module of the academy." in html
    assert f"#{known.e3.pk}" in html


def test_visibility_of_plans(q, known, api_client):
    plans_build(q.ws, now=known.now)
    url = "/api/v1/workspaces/support/coaching-plans"
    # The agent sees their own plan only.
    agent = api_client(q.agent)
    assert [p["agent"]["id"] for p in agent.get(url).json()] == [q.agent.pk]
    assert agent.get(f"{url}/{q.agent.pk}").status_code == 200
    assert agent.get(f"{url}/{q.agent2.pk}").status_code == 404
    assert agent.get(f"{url}/{known.agent3.pk}").status_code == 404
    # The manager runs Lisbon: agent and agent3, not Italy.
    manager = api_client(q.manager)
    assert sorted(p["agent"]["id"] for p in manager.get(url).json()) == sorted(
        [q.agent.pk, known.agent3.pk]
    )
    assert manager.get(f"{url}/{q.agent2.pk}").status_code == 404
    # The coach coaches nobody yet; then agent2 only.
    coach = api_client(q.coach)
    assert coach.get(url).json() == []
    assert coach.get(f"{url}/{q.agent.pk}").status_code == 404
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent2)
    assert [p["agent"]["id"] for p in coach.get(url).json()] == [q.agent2.pk]
    assert coach.get(f"{url}/{q.agent2.pk}").status_code == 200
    # The pages say the same.
    c = Client()
    c.force_login(q.agent)
    assert c.get(f"/w/support/coaching/plans/{q.agent2.pk}/").status_code == 404
    assert c.get(f"/w/support/coaching/plans/{q.agent.pk}/").status_code == 200


def test_an_agent_opening_the_tab_sees_their_own_plan(q, known):
    plan_build(q.ws, q.agent, now=known.now)
    c = Client()
    c.force_login(q.agent)
    r = c.get("/w/support/coaching/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Coaching plan of Agent" in html
    assert 'id="focus-1"' in html
    assert 'id="team"' not in html


def test_a_plan_not_built_yet_reads_empty(q, api_client):
    r = api_client(q.agent).get(f"/api/v1/workspaces/support/coaching-plans/{q.agent.pk}")
    assert r.status_code == 200
    assert r.json()["built_at"] is None
    assert r.json()["focus_areas"] == []


def test_the_worker_runs_the_nightly_plans_task(q, known):
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    from caredesk.coaching.tasks import build_coaching_plans

    # What run_huey does at start: the task is registered, and periodic.
    autodiscover_modules("tasks")
    periodic = {t.name for t in HUEY._registry.periodic_tasks}
    assert "build_coaching_plans" in periodic
    build_coaching_plans.call_local()
    assert CoachingPlan.objects.filter(workspace=q.ws).count() == 3
