"""The action plans API: a plan keeps its slice and baseline, tasks, comments, links, log,
list filters and counts; every refusal and every bad input (400 naming the field, nothing
changed)."""

import datetime as dt
import json

import pytest

from caredesk.action_plans.models import ActionPlan, PlanComment, PlanLink, PlanTask
from caredesk.audit.models import AuditEntry
from caredesk.insights import metrics
from caredesk.insights.filters import parse_insight_filters
from caredesk.workspaces.access import Access
from tests.action_plans.scene import add_bulgaria, at_noon, make_plan
from tests.factories import make_case

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces/support/action-plans"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def snapshot():
    return (
        list(ActionPlan.objects.values()),
        list(PlanTask.objects.values()),
        list(PlanComment.objects.values()),
        list(PlanLink.objects.values()),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def scene(world):
    add_bulgaria(world)
    # March 2026: 3 tickets in Lisbon (one in a store below it), 2 in Italy; one in Lisbon in
    # April, outside the period.
    march = dt.date(2026, 3, 10)
    for seg in (world.lisbon, world.lisbon, world.store1, world.italy, world.italy):
        make_case(world.support, segment=seg, reported_at=at_noon(march))
    make_case(world.support, segment=world.lisbon, reported_at=at_noon(dt.date(2026, 4, 2)))
    return world


def test_a_plan_keeps_its_slice_and_baseline(scene, api_client):
    w = scene
    client = api_client(w.manager)
    body = {
        "title": "Fewer tickets in Lisbon 📉",
        "metric": "tickets",
        "origin": "kpi",
        "filters": {"segment": str(w.lisbon.pk), "from": "2026-03-01", "to": "2026-03-31"},
        "target_value": 2,
        "due_date": "2026-06-30",
    }
    r = post(client, BASE, body)
    assert r.status_code == 201, r.content
    out = r.json()
    # Computed independently, the way the Insights card computes it.
    filters = parse_insight_filters(
        {"segment": str(w.lisbon.pk), "from": "2026-03-01", "to": "2026-03-31"},
        Access.system(w.support),
    )
    expected = metrics.figure(Access.system(w.support), "tickets", filters)
    assert expected.value == 3
    assert out["baseline"] == {
        "value": 3.0,
        "count": 3,
        "from": "2026-03-01",
        "to": "2026-03-31",
    }
    assert out["metric"] == "tickets"
    assert out["filters"] == {"segment": str(w.lisbon.pk)}
    assert out["segment"] == {"id": w.lisbon.pk, "name": "Lisbon"}
    assert out["owner"]["username"] == "manager"
    assert out["title"] == "Fewer tickets in Lisbon 📉"
    assert out["target_value"] == 2.0
    assert out["origin"] == "kpi"

    # New tickets later do not move the stored baseline.
    make_case(w.support, segment=w.lisbon, reported_at=at_noon(dt.date(2026, 3, 11)))
    again = client.get(f"{BASE}/{out['id']}").json()
    assert again["baseline"]["value"] == 3.0
    assert again["filters"] == {"segment": str(w.lisbon.pk)}


def test_the_baseline_period_defaults_to_the_30_days_before_creation(scene, api_client):
    r = post(api_client(scene.admin), BASE, {"title": "Chats", "metric": "chats"})
    assert r.status_code == 201
    base = r.json()["baseline"]
    start, end = dt.date.fromisoformat(base["from"]), dt.date.fromisoformat(base["to"])
    assert (end - start).days == 29
    assert end < dt.date.fromisoformat(r.json()["started_on"])


def test_plan_update_audits_each_field_and_closes(scene, api_client):
    w = scene
    client = api_client(w.manager)
    plan = post(client, BASE, {"title": "Refunds"}).json()
    url = f"{BASE}/{plan['id']}"
    r = patch(
        client,
        url,
        {"title": "Refunds faster", "status": "done", "collaborators": [w.agent.pk]},
    )
    assert r.status_code == 200, r.content
    assert r.json()["closed_at"] is not None
    assert [c["username"] for c in r.json()["collaborators"]] == ["agent"]
    log = client.get(f"{url}/log").json()
    updated = [
        (e["field"], e["old_value"], e["new_value"]) for e in log if e["action"] == "updated"
    ]
    assert updated == [
        ("title", "Refunds", "Refunds faster"),
        ("status", "not_started", "done"),
        ("collaborators", "", "agent"),
    ]
    assert all(e["actor"]["username"] == "manager" for e in log)
    r = patch(client, url, {"status": "in_progress"})
    assert r.json()["closed_at"] is None


def test_tasks_of_each_kind_comments_and_links(scene, api_client):
    w = scene
    client = api_client(w.manager)
    plan = post(client, BASE, {"title": "Refunds"}).json()
    url = f"{BASE}/{plan['id']}"
    free = post(client, f"{url}/tasks", {"title": "Map the refund flow", "owner": w.manager2.pk})
    assert free.status_code == 201 and free.json()["kind"] == "free"
    coaching = post(
        client,
        f"{url}/tasks",
        {"title": "Coach on refunds", "kind": "coaching", "agent": w.agent.pk},
    )
    assert coaching.status_code == 201
    assert coaching.json()["agent"]["username"] == "agent"
    article = post(client, f"{url}/tasks", {"title": "Write refund article", "kind": "article"})
    assert article.status_code == 201 and article.json()["article"] is None
    tasks = client.get(f"{url}/tasks").json()
    assert [t["title"] for t in tasks] == [
        "Map the refund flow",
        "Coach on refunds",
        "Write refund article",
    ]
    # Tick, then move the last one first.
    r = patch(client, f"{url}/tasks/{free.json()['id']}", {"done": True})
    assert r.json()["done"] is True and r.json()["done_by"]["username"] == "manager"
    patch(client, f"{url}/tasks/{article.json()['id']}", {"position": 1})
    assert [t["title"] for t in client.get(f"{url}/tasks").json()][0] == "Write refund article"
    assert client.delete(f"{url}/tasks/{coaching.json()['id']}").status_code == 204

    c = post(client, f"{url}/comments", {"body": "Started **today**"})
    assert c.status_code == 201
    assert [x["body"] for x in client.get(f"{url}/comments").json()] == ["Started **today**"]
    link = post(client, f"{url}/links", {"url": "https://docs.example.com/refunds", "title": ""})
    assert link.status_code == 201 and link.json()["title"] == "docs.example.com"
    assert client.delete(f"{url}/links/{link.json()['id']}").status_code == 204
    log = client.get(f"{url}/log").json()
    actions = [e["action"] for e in log]
    added = [e["new_value"] for e in log if e["action"] == "task added" and e["field"] == "task"]
    assert len(added) == 3
    assert ("task added", "task owner", "manager2") in [
        (e["action"], e["field"], e["new_value"]) for e in log
    ]
    for action in ("task done", "tasks reordered", "task removed", "commented"):
        assert action in actions
    assert actions[-2:] == ["link added", "link removed"]


def test_list_filters_and_counts(scene, api_client):
    w = scene
    make_plan(w, title="Lisbon refunds", segment_id=w.lisbon.pk, status="in_progress")
    make_plan(
        w,
        title="Italy waits",
        segment_id=w.italy.pk,
        due_date="2020-01-01",
        owner_id=w.italy_manager.pk,
    )
    make_plan(w, title="Workspace wide", status="done", due_date="2020-01-01")
    client = api_client(w.admin)
    r = client.get(BASE).json()
    assert [p["title"] for p in r["items"]] == ["Workspace wide", "Italy waits", "Lisbon refunds"]
    assert r["counts"]["total"] == 3 and r["counts"]["overdue"] == 1
    assert r["counts"]["in_progress"] == 1 and r["counts"]["done"] == 1
    titles = lambda q: [p["title"] for p in client.get(f"{BASE}?{q}").json()["items"]]  # noqa: E731
    assert titles("overdue=1") == ["Italy waits"]
    assert titles("status=done") == ["Workspace wide"]
    assert titles(f"segment={w.portugal.pk}") == ["Lisbon refunds"]
    assert titles(f"owner={w.italy_manager.pk}") == ["Italy waits"]
    assert titles("q=REFUND") == ["Lisbon refunds"]
    assert titles("limit=2") == ["Workspace wide", "Italy waits"]
    cursor = client.get(f"{BASE}?limit=2").json()["next_cursor"]
    assert titles(f"limit=2&cursor={cursor}") == ["Lisbon refunds"]
    # Italy's manager: the workspace's plan and Italy's, not Lisbon's.
    mine = api_client(w.italy_manager).get(BASE).json()
    assert [p["title"] for p in mine["items"]] == ["Workspace wide", "Italy waits"]
    assert mine["counts"]["total"] == 2


def test_list_bad_filters(scene, api_client):
    client = api_client(scene.admin)
    for query, field in [
        ("status=open", "status"),
        ("owner=x", "owner"),
        ("segment=999999", "segment"),
        ("overdue=maybe", "overdue"),
        ("cursor=zz", "cursor"),
    ]:
        r = client.get(f"{BASE}?{query}")
        assert r.status_code == 400, query
        assert field in r.json()["errors"], query


# -- refusals -----------------------------------------------------------------------------------


def test_an_agent_cannot_create_or_edit(scene, api_client):
    w = scene
    plan = make_plan(w, title="Workspace wide")
    before = snapshot()
    agent = api_client(w.agent)
    assert post(agent, BASE, {"title": "Mine"}).status_code == 403
    assert patch(agent, f"{BASE}/{plan.pk}", {"title": "Changed"}).status_code == 403
    assert post(agent, f"{BASE}/{plan.pk}/tasks", {"title": "A task"}).status_code == 403
    assert post(agent, f"{BASE}/{plan.pk}/comments", {"body": "Hi"}).status_code == 403
    assert post(agent, f"{BASE}/{plan.pk}/links", {"url": "https://a.example"}).status_code == 403
    assert snapshot() == before
    # …but reads it: a plan with no segment is the whole workspace's.
    assert agent.get(f"{BASE}/{plan.pk}").status_code == 200


def test_outside_the_area_is_404(scene, api_client):
    w = scene
    plan = make_plan(w, title="Bulgaria's plan", segment_id=w.bulgaria.pk)
    task = PlanTask.objects.create(plan=plan, title="T")
    before = snapshot()
    italy = api_client(w.italy_manager)
    for url in (
        f"{BASE}/{plan.pk}",
        f"{BASE}/{plan.pk}/tasks",
        f"{BASE}/{plan.pk}/comments",
        f"{BASE}/{plan.pk}/links",
        f"{BASE}/{plan.pk}/log",
    ):
        assert italy.get(url).status_code == 404, url
    assert patch(italy, f"{BASE}/{plan.pk}", {"title": "x"}).status_code == 404
    assert patch(italy, f"{BASE}/{plan.pk}/tasks/{task.pk}", {"done": True}).status_code == 404
    assert italy.delete(f"{BASE}/{plan.pk}/tasks/{task.pk}").status_code == 404
    assert "Bulgaria" not in json.dumps(italy.get(BASE).json())
    # Another organization's admin: not even the workspace.
    assert api_client(w.outsider).get(f"{BASE}/{plan.pk}").status_code == 404
    assert snapshot() == before
    assert api_client(w.bulgaria_manager).get(f"{BASE}/{plan.pk}").status_code == 200


def test_a_collaborator_works_tasks_but_not_the_plan(scene, api_client):
    w = scene
    plan = make_plan(
        w, title="Bulgaria's plan", segment_id=w.bulgaria.pk, collaborator_ids=[w.agent.pk]
    )
    task = PlanTask.objects.create(plan=plan, title="Call back")
    agent = api_client(w.agent)
    url = f"{BASE}/{plan.pk}"
    r = patch(agent, f"{url}/tasks/{task.pk}", {"done": True})
    assert r.status_code == 200 and r.json()["done"] is True
    assert post(agent, f"{url}/tasks", {"title": "Follow up"}).status_code == 201
    assert post(agent, f"{url}/comments", {"body": "Done on my side"}).status_code == 201
    before = snapshot()
    assert patch(agent, url, {"title": "Mine now"}).status_code == 403
    assert patch(agent, url, {"status": "done"}).status_code == 403
    assert snapshot() == before
    # A task owner works their own task, only.
    other = PlanTask.objects.create(plan=plan, title="Someone else's")
    mine = PlanTask.objects.create(plan=plan, title="Mine", owner=w.coach)
    coach = api_client(w.coach)
    assert patch(coach, f"{url}/tasks/{mine.pk}", {"done": True}).status_code == 200
    assert patch(coach, f"{url}/tasks/{other.pk}", {"done": True}).status_code == 403
    assert post(coach, f"{url}/tasks", {"title": "New"}).status_code == 403


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,field",
    [
        ({"title": ""}, "title"),
        ({"title": "   \n\t "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "A", "owner": 999999}, "owner"),
        ({"title": "A", "collaborators": [999999]}, "collaborators"),
        ({"title": "A", "metric": "happiness"}, "metric"),
        ({"title": "A", "filters": {"channel": "fax"}}, "filters.channel"),
        ({"title": "A", "filters": {"segment": "abc"}}, "filters.segment"),
        ({"title": "A", "filters": {"from": "2026-13-01"}}, "filters.from"),
        ({"title": "A", "filters": {"colour": "red"}}, "filters.colour"),
        ({"title": "A", "due_date": "tomorrow"}, "due_date"),
        ({"title": "A", "status": "open"}, "status"),
        ({"title": "A", "priority": "urgent"}, "priority"),
        ({"title": "A", "origin": "dream"}, "origin"),
        ({"title": "A", "description": "x" * 10_001}, "description"),
    ],
)
def test_bad_plan_input(scene, api_client, body, field):
    before = snapshot()
    r = post(api_client(scene.admin), BASE, body)
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"]
    assert snapshot() == before


def test_segment_outside_the_creators_area(scene, api_client):
    w = scene
    before = snapshot()
    client = api_client(w.italy_manager)
    r = post(client, BASE, {"title": "A", "segment": w.lisbon.pk})
    assert r.status_code == 400 and "segment" in r.json()["errors"]
    r = post(client, BASE, {"title": "A", "filters": {"segment": str(w.lisbon.pk)}})
    assert r.status_code == 400 and "filters.segment" in r.json()["errors"]
    assert snapshot() == before


def test_target_value_not_a_number(scene, api_client):
    before = snapshot()
    r = post(api_client(scene.admin), BASE, {"title": "A", "target_value": "lots"})
    assert r.status_code in (400, 422) and "target_value" in r.json()["errors"]
    assert snapshot() == before


def test_bad_patch_and_task_input(scene, api_client):
    w = scene
    plan = make_plan(w, title="Plan")
    task = PlanTask.objects.create(plan=plan, title="T")
    client = api_client(w.admin)
    url = f"{BASE}/{plan.pk}"
    before = snapshot()
    cases = [
        (patch, url, {"title": ""}, "title"),
        (patch, url, {"status": "open"}, "status"),
        (patch, url, {"owner": 999999}, "owner"),
        (patch, url, {"segment": 999999}, "segment"),
        (patch, url, {"due_date": "31/12/2026"}, "due_date"),
        (post, f"{url}/tasks", {"title": ""}, "title"),
        (post, f"{url}/tasks", {"title": "A", "kind": "meeting"}, "kind"),
        (post, f"{url}/tasks", {"title": "A", "kind": "coaching"}, "agent"),
        (post, f"{url}/tasks", {"title": "A", "kind": "coaching", "agent": 999999}, "agent"),
        (post, f"{url}/tasks", {"title": "A", "kind": "article", "article": 999999}, "article"),
        (post, f"{url}/tasks", {"title": "A", "owner": 999999}, "owner"),
        (post, f"{url}/tasks", {"title": "A", "due_date": "soon"}, "due_date"),
        (patch, f"{url}/tasks/{task.pk}", {"title": ""}, "title"),
        (patch, f"{url}/tasks/{task.pk}", {"position": 9}, "position"),
        (post, f"{url}/comments", {"body": "  "}, "body"),
        (post, f"{url}/links", {"url": "javascript:alert(1)"}, "url"),
        (post, f"{url}/links", {"url": "ftp://files.example.com/a"}, "url"),
        (post, f"{url}/links", {"url": ""}, "url"),
    ]
    for send, target, body, field in cases:
        r = send(client, target, body)
        assert r.status_code == 400, (body, r.content)
        assert field in r.json()["errors"], (body, r.json())
    assert snapshot() == before
    assert client.get(f"{url}/tasks/999999").status_code in (404, 405)
    assert patch(client, f"{url}/tasks/999999", {"done": True}).status_code == 404


def test_control_characters_are_dropped_from_titles(scene, api_client):
    r = post(api_client(scene.admin), BASE, {"title": "Refunds\x07 \u0000now\nplease"})
    assert r.status_code == 201
    assert r.json()["title"] == "Refunds now please"


def test_a_coaching_task_schedules_a_session(q, api_client):
    from caredesk.coaching.models import CoachingSession

    w = q.world
    client = api_client(w.admin)
    plan = post(client, BASE, {"title": "Greet better"}).json()
    url = f"{BASE}/{plan['id']}/tasks"
    body = {"title": "Coach greeting", "kind": "coaching", "agent": w.agent.pk}
    before = snapshot()
    sessions = CoachingSession.objects.count()
    for extra, field in [
        ({"schedule_at": "2026-13-01 10:00", "criteria": [q.criteria[0]]}, "schedule_at"),
        ({"schedule_at": "2026-12-01 10:00", "criteria": []}, "criteria"),
    ]:
        r = post(client, url, {**body, **extra})
        assert r.status_code == 400 and field in r.json()["errors"], r.content
    assert snapshot() == before and CoachingSession.objects.count() == sessions
    r = post(client, url, {**body, "schedule_at": "2026-12-01 10:00", "criteria": [q.criteria[0]]})
    assert r.status_code == 201, r.content
    session = CoachingSession.objects.get(pk=r.json()["coaching_session"])
    assert (session.agent, session.coach, session.notes) == (w.agent, w.admin, "Coach greeting")
    assert list(session.criteria.values_list("pk", flat=True)) == [q.criteria[0]]
    # A session with another agent cannot be linked.
    r = post(client, url, {**body, "agent": w.manager.pk, "coaching_session": session.pk})
    assert r.status_code == 400 and "coaching_session" in r.json()["errors"]
