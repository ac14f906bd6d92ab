"""The Action plans pages: the list (filters, counts, my plans, Excel), the create form from
an insight, the plan's page (slice, tasks of each kind and their links, comments, links, log),
the edit form; every refusal and every bad input (400 naming the field, nothing changed)."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from caredesk.action_plans import services
from caredesk.action_plans.models import ActionPlan, PlanComment, PlanLink, PlanTask
from caredesk.audit.models import AuditEntry
from caredesk.coaching.models import CoachingPlan, CoachingSession
from caredesk.resources.models import Article, ArticleTranslation
from tests.action_plans.scene import access_of, add_bulgaria, at_noon, make_plan
from tests.factories import make_case

pytestmark = pytest.mark.django_db

AP = "/w/support/action-plans"


def snapshot():
    return (
        list(ActionPlan.objects.order_by("pk").values()),
        list(PlanTask.objects.order_by("pk").values()),
        PlanComment.objects.count(),
        PlanLink.objects.count(),
        AuditEntry.objects.count(),
        list(ActionPlan.collaborators.through.objects.values_list("actionplan_id", "user_id")),
    )


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def scene(world):
    w = add_bulgaria(world)
    w.lisbon_plan = make_plan(
        w, title="Lisbon refunds", segment_id=w.lisbon.pk, status="in_progress"
    )
    w.italy_plan = make_plan(
        w,
        title="Italy waits",
        segment_id=w.italy.pk,
        owner_id=w.italy_manager.pk,
        due_date="2020-01-01",
    )
    w.bg_plan = make_plan(
        w, title="Bulgaria repeat calls", segment_id=w.bulgaria.pk, collaborator_ids=[w.agent.pk]
    )
    w.wide_plan = make_plan(w, title="Workspace CSAT review", status="done")
    return w


# -- list and export ------------------------------------------------------------------------------


def counts(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="count-(\w+)"><span class="n">(\d+)</span>', html))


def titles(html: str) -> list[str]:
    return re.findall(r'class="ap-title"><a href="[^"]+">([^<]+)</a>', html)


def test_the_list_its_filters_and_counts(scene, as_user):
    admin = as_user(scene.admin)
    html = text(admin.get(f"{AP}/"))
    assert titles(html) == [
        "Workspace CSAT review",
        "Bulgaria repeat calls",
        "Italy waits",
        "Lisbon refunds",
    ]
    assert counts(html) == {
        "not_started": "2",
        "in_progress": "1",
        "blocked": "0",
        "done": "1",
        "cancelled": "0",
        "overdue": "1",
    }
    assert titles(text(admin.get(f"{AP}/?overdue=1"))) == ["Italy waits"]
    assert titles(text(admin.get(f"{AP}/?status=in_progress"))) == ["Lisbon refunds"]
    assert titles(text(admin.get(f"{AP}/?segment={scene.portugal.pk}"))) == ["Lisbon refunds"]
    assert titles(text(admin.get(f"{AP}/?owner={scene.italy_manager.pk}"))) == ["Italy waits"]
    assert titles(text(admin.get(f"{AP}/?q=bulgaria"))) == ["Bulgaria repeat calls"]
    # Status counts keep the other filters.
    assert counts(text(admin.get(f"{AP}/?segment={scene.italy.pk}")))["not_started"] == "1"
    # My plans: the agent collaborates on Bulgaria's and reads the workspace's.
    agent = as_user(scene.agent)
    assert titles(text(agent.get(f"{AP}/"))) == ["Workspace CSAT review", "Bulgaria repeat calls"]
    assert titles(text(agent.get(f"{AP}/?mine=1"))) == ["Bulgaria repeat calls"]
    assert 'id="new-plan"' not in text(agent.get(f"{AP}/"))
    assert 'id="new-plan"' in html


def test_the_list_of_a_manager_is_their_area(scene, as_user):
    html = text(as_user(scene.manager).get(f"{AP}/"))
    assert titles(html) == ["Workspace CSAT review", "Lisbon refunds"]
    assert "Italy waits" not in html and "Bulgaria repeat calls" not in html


@pytest.mark.parametrize(
    "query,field",
    [("status=open", "status"), ("owner=abc", "owner"), ("segment=99999", "segment")],
)
def test_bad_list_filters(scene, as_user, query, field):
    r = as_user(scene.admin).get(f"{AP}/?{query}")
    assert r.status_code == 400
    assert f"<li>{field}: " in text(r)
    assert as_user(scene.admin).get(f"{AP}/export.xlsx?{query}").status_code == 400


def test_export_respects_filters_and_visibility(scene, as_user):
    services.task_add(
        access=access_of(scene.admin, scene.support), plan=scene.italy_plan, title="Call back"
    )
    r = as_user(scene.admin).get(f"{AP}/export.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "Plan",
        "Title",
        "Status",
        "Priority",
        "Owner",
        "Segment",
        "Due date",
        "Overdue",
    )
    italy = next(row for row in rows if row[1] == "Italy waits")
    assert italy[2:8] == (
        "Not started",
        "Medium",
        "Italymgr",
        "Italy",
        dt.datetime(2020, 1, 1),
        "Yes",
    )
    assert italy[12:14] == (1, 0)
    assert [row[1] for row in rows[1:]] == [
        "Workspace CSAT review",
        "Bulgaria repeat calls",
        "Italy waits",
        "Lisbon refunds",
    ]
    filtered = as_user(scene.admin).get(f"{AP}/export.xlsx?status=done")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(filtered.streaming_content)))
    assert [row[1] for row in list(book.active.iter_rows(values_only=True))[1:]] == [
        "Workspace CSAT review"
    ]
    mine = as_user(scene.italy_manager).get(f"{AP}/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(mine.streaming_content)))
    assert [row[1] for row in list(book.active.iter_rows(values_only=True))[1:]] == [
        "Workspace CSAT review",
        "Italy waits",
    ]


# -- create ---------------------------------------------------------------------------------------


def test_create_from_an_insight_keeps_its_slice_and_baseline(scene, as_user):
    w = scene
    day = dt.date(2026, 2, 10)
    for seg in (w.lisbon, w.store2, w.italy):
        make_case(w.support, segment=seg, reported_at=at_noon(day))
    period = "from=2026-02-01&to=2026-02-28"
    q = f"origin=kpi&metric=tickets&segment={w.lisbon.pk}&channel=email&{period}"
    manager = as_user(w.manager)
    page = text(manager.get(f"{AP}/new/?{q}"))
    assert 'value="Improve Tickets"' in page
    assert '<input type="hidden" name="origin" value="kpi">' in page
    assert f'<input type="hidden" name="filter_segment" value="{w.lisbon.pk}">' in page
    assert '<input type="hidden" name="filter_from" value="2026-02-01">' in page
    assert "Segment: Lisbon" in page and "Channel: Email" in page
    assert '<strong class="ap-baseline">0</strong>' in page  # no email tickets

    page = text(
        manager.get(f"{AP}/new/?metric=tickets&segment={w.lisbon.pk}&from=2026-02-01&to=2026-02-28")
    )
    assert '<strong class="ap-baseline">2</strong>' in page
    r = manager.post(
        f"{AP}/new/",
        {
            "title": "Fewer Lisbon tickets",
            "description": "Why: *returns*",
            "owner": w.manager.pk,
            "segment": w.lisbon.pk,
            "status": "not_started",
            "priority": "high",
            "target_value": "1,5",
            "due_date": "2026-09-30",
            "collaborators": [w.manager2.pk, w.agent.pk],
            "origin": "kpi",
            "metric": "tickets",
            "filter_segment": w.lisbon.pk,
            "filter_from": "2026-02-01",
            "filter_to": "2026-02-28",
        },
    )
    plan = ActionPlan.objects.get(title="Fewer Lisbon tickets")
    assert r.status_code == 302 and r["Location"] == f"{AP}/{plan.pk}/"
    assert (plan.metric, plan.filters, plan.origin) == (
        "tickets",
        {"segment": str(w.lisbon.pk)},
        "kpi",
    )
    assert (plan.baseline_value, plan.baseline_count) == (2.0, 2)
    assert (plan.baseline_from, plan.baseline_to) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert plan.target_value == 1.5 and plan.priority == "high"
    assert plan.started_on == timezone.localdate()
    assert sorted(u.username for u in plan.collaborators.all()) == ["agent", "manager2"]


def test_only_managers_of_plans_create(scene, as_user):
    before = snapshot()
    for user in (scene.agent, scene.coach):
        c = as_user(user)
        assert c.get(f"{AP}/new/").status_code == 403
        assert c.post(f"{AP}/new/", {"title": "Mine"}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"title": ""}, "title", "A title is required."),
        ({"title": "x" * 201}, "title", "At most 200 characters."),
        ({"owner": "999999"}, "owner", "Not a member of this workspace"),
        ({"collaborators": ["999999"]}, "collaborators", "Not a member of this workspace"),
        ({"segment": "LISBON"}, "segment", "This segment is outside your management area."),
        ({"metric": "happiness"}, "metric", "Unknown metric"),
        ({"filter_channel": "fax"}, "filters.channel", "One of: chat"),
        ({"filter_from": "2026-02-31"}, "filters.from", "Not a date"),
        ({"due_date": "31/12/2026"}, "due_date", "Not a date"),
        ({"target_value": "a lot"}, "target_value", "Not a number"),
        ({"status": "open"}, "status", "Unknown status"),
        ({"priority": "urgent"}, "priority", "Unknown priority"),
    ],
)
def test_bad_create_input(scene, as_user, data, field, message):
    body = {"title": "Plan", "status": "not_started", "priority": "medium", **data}
    if body.get("segment") == "LISBON":
        body["segment"] = scene.lisbon.pk  # outside Italy's manager's area
    before = snapshot()
    r = as_user(scene.italy_manager).post(f"{AP}/new/", body)
    assert r.status_code == 400
    assert message in text(r)
    assert snapshot() == before


# -- the plan's page ------------------------------------------------------------------------------


def test_the_plan_page(scene, as_user):
    w = scene
    access = access_of(w.admin, w.support)
    plan = make_plan(
        w,
        title="Refunds <b>faster</b>",
        description="**Bold** and <script>alert(1)</script>",
        metric="csat",
        filters={"segment": str(w.lisbon.pk), "from": "2026-01-01", "to": "2026-01-31"},
        due_date="2020-02-01",
        target_value=85,
    )
    CoachingPlan.objects.create(workspace=w.support, agent=w.agent, built_at=timezone.now())
    session = CoachingSession.objects.create(
        workspace=w.support, agent=w.agent, coach=w.coach, scheduled_at=timezone.now()
    )
    coaching = services.task_add(
        access=access,
        plan=plan,
        title="Coach on refunds",
        kind="coaching",
        agent_id=w.agent.pk,
        coaching_session_id=session.pk,
    )
    article = Article.objects.create(workspace=w.support, language="en")
    ArticleTranslation.objects.create(
        article=article, workspace=w.support, language="en", title="Refund policy", slug="refunds"
    )
    linked = services.task_add(
        access=access, plan=plan, title="Update policy", kind="article", article_id=article.pk
    )
    to_write = services.task_add(
        access=access, plan=plan, title="Refunds & returns", kind="article"
    )
    services.link_add(access=access, plan=plan, url="https://docs.example.com/a", title="Doc")
    r = as_user(w.admin).get(f"{AP}/{plan.pk}/")
    html = text(r)
    assert r.status_code == 200
    assert "Refunds &lt;b&gt;faster&lt;/b&gt;" in html
    assert "<strong>Bold</strong>" in html and "<script>alert" not in html
    assert 'id="plan-overdue"' in html
    assert (
        f'href="/w/support/insights/?segment={w.lisbon.pk}&amp;from=2026-01-01&amp;to=2026-01-31"'
        in html
    )
    assert "Segment: Lisbon" in html and ">CSAT<" in html
    assert f'href="/w/support/coaching/sessions/{session.pk}/"' in html
    assert f'href="/w/support/coaching/plans/{w.agent.pk}/"' in html
    assert f'href="/w/support/resources/articles/{article.pk}/">Refund policy</a>' in html
    assert (
        f'href="/w/support/resources/articles/new/?plan_task={to_write.pk}&amp;title=Refunds+%26+returns"'
        in html
    )
    assert 'href="https://docs.example.com/a" rel="noopener noreferrer nofollow"' in html
    assert coaching.pk and linked.pk


def test_tasks_comments_and_links_through_the_page(scene, as_user):
    w = scene
    plan = w.lisbon_plan
    c = as_user(w.manager)
    url = f"{AP}/{plan.pk}"
    r = c.post(f"{url}/tasks/", {"title": "Map refunds", "kind": "free", "owner": w.manager2.pk})
    assert r.status_code == 302 and r["Location"] == f"{url}/#tasks"
    task = plan.tasks.get()
    # htmx: the section comes back.
    r = c.post(f"{url}/tasks/{task.pk}/done/", {"done": "1"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'id="tasks"' in text(r) and "1 of 1 done" in text(r)
    task.refresh_from_db()
    assert task.done and task.done_by == w.manager
    r = c.post(
        f"{url}/tasks/{task.pk}/",
        {"title": "Map refund steps", "owner": "", "due_date": "2026-12-31", "kind": "free"},
    )
    task.refresh_from_db()
    assert (task.title, task.owner, task.due_date) == (
        "Map refund steps",
        None,
        dt.date(2026, 12, 31),
    )
    c.post(f"{url}/tasks/", {"title": "Second", "kind": "free"})
    second = plan.tasks.get(title="Second")
    c.post(f"{url}/tasks/{second.pk}/move/", {"direction": "up"})
    assert list(plan.tasks.order_by("position").values_list("title", flat=True)) == [
        "Second",
        "Map refund steps",
    ]
    c.post(f"{url}/tasks/{second.pk}/delete/")
    assert list(plan.tasks.values_list("title", flat=True)) == ["Map refund steps"]
    c.post(f"{url}/comments/", {"body": "On it"})
    c.post(f"{url}/links/", {"url": "https://docs.example.com/r", "title": "Runbook"})
    link = plan.links.get()
    html = text(c.get(f"{url}/"))
    assert "On it" in html and "Runbook" in html
    c.post(f"{url}/links/{link.pk}/delete/")
    assert not plan.links.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="action_plan", object_id=plan.pk)
        .exclude(action="created")
        .values_list("action", "field", "old_value", "new_value")
    )
    assert actions == [
        ("task added", "task", "", "Map refunds"),
        ("task added", "task owner", "", "manager2"),
        ("task done", "task", "Map refunds", "Map refunds"),
        ("task updated", "task", "Map refunds", "Map refund steps"),
        ("task updated", "task owner", "manager2", ""),
        ("task updated", "task due date", "", "2026-12-31"),
        ("task added", "task", "", "Second"),
        ("tasks reordered", "", "", ""),
        ("task removed", "task", "Second", ""),
        ("commented", "comment", "", "On it"),
        ("link added", "link", "", "https://docs.example.com/r"),
        ("link removed", "link", "https://docs.example.com/r", ""),
    ]


def test_edit_audits_only_what_changed_and_closes(scene, as_user):
    w = scene
    plan = w.lisbon_plan
    c = as_user(w.manager)
    r = c.get(f"{AP}/{plan.pk}/edit/")
    assert r.status_code == 200 and 'value="Lisbon refunds"' in text(r)
    r = c.post(
        f"{AP}/{plan.pk}/edit/",
        {
            "title": "Lisbon refunds",
            "description": "",
            "owner": w.admin.pk,
            "segment": w.store2.pk,
            "due_date": "",
            "status": "done",
            "priority": "medium",
            "target_value": "",
        },
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.segment == w.store2 and plan.segment_path == w.store2.path
    assert plan.closed_at is not None
    entries = list(
        AuditEntry.objects.filter(
            object_type="action_plan", object_id=plan.pk, action="updated"
        ).values_list("field", "old_value", "new_value")
    )
    assert entries == [("status", "in_progress", "done"), ("segment", "Lisbon", "Lisbon Store 2")]
    # The header's status select.
    c.post(f"{AP}/{plan.pk}/status/", {"status": "blocked"})
    plan.refresh_from_db()
    assert plan.status == "blocked" and plan.closed_at is None


@pytest.mark.parametrize(
    "data,message",
    [
        ({"title": ""}, "A title is required."),
        ({"owner": "999999"}, "Not a member of this workspace"),
        ({"segment": "ITALY"}, "This segment is outside your management area."),
        ({"due_date": "someday"}, "Not a date"),
        ({"target_value": "NaN"}, "Not a number"),
        ({"status": "open"}, "Unknown status"),
    ],
)
def test_bad_edit_input(scene, as_user, data, message):
    w = scene
    plan = w.lisbon_plan
    body = {
        "title": plan.title,
        "owner": w.admin.pk,
        "segment": w.lisbon.pk,
        "status": plan.status,
        "priority": plan.priority,
        **data,
    }
    if body["segment"] == "ITALY":
        body["segment"] = w.italy.pk
    before = snapshot()
    r = as_user(w.manager).post(f"{AP}/{plan.pk}/edit/", body)
    assert r.status_code == 400 and message in text(r)
    assert snapshot() == before


def test_bad_task_comment_and_link_input(scene, as_user):
    w = scene
    plan = w.lisbon_plan
    task = PlanTask.objects.create(plan=plan, title="T")
    c = as_user(w.manager)
    url = f"{AP}/{plan.pk}"
    before = snapshot()
    for target, data, message in [
        ("tasks/", {"title": "", "kind": "free"}, "A title is required."),
        ("tasks/", {"title": "A", "kind": "coaching"}, "Choose the agent to coach."),
        ("tasks/", {"title": "A", "kind": "article", "article": "99999"}, "No such article"),
        ("tasks/", {"title": "A", "kind": "meeting"}, "Unknown kind"),
        ("tasks/", {"title": "A", "due_date": "friday"}, "Not a date"),
        (f"tasks/{task.pk}/", {"title": ""}, "A title is required."),
        ("comments/", {"body": " "}, "Write something."),
        ("links/", {"url": "javascript:alert(1)"}, "Only http and https links."),
        ("links/", {"url": "https://x.example", "title": "x" * 201}, "At most 200 characters."),
    ]:
        for htmx in (False, True):
            extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            r = c.post(f"{url}/{target}", data, **extra)
            assert r.status_code == 400, (target, data)
            assert message in text(r), (target, data)
    assert snapshot() == before


# -- refusals -------------------------------------------------------------------------------------


def test_outside_the_area_is_404(scene, as_user):
    w = scene
    plan = w.bg_plan
    task = PlanTask.objects.create(plan=plan, title="T")
    link = services.link_add(
        access=access_of(w.admin, w.support), plan=plan, url="https://x.example"
    )
    before = snapshot()
    c = as_user(w.italy_manager)
    url = f"{AP}/{plan.pk}"
    assert c.get(f"{url}/").status_code == 404
    assert c.get(f"{url}/edit/").status_code == 404
    for target, data in [
        ("edit/", {"title": "x"}),
        ("status/", {"status": "done"}),
        ("tasks/", {"title": "x"}),
        (f"tasks/{task.pk}/", {"title": "x"}),
        (f"tasks/{task.pk}/done/", {"done": "1"}),
        (f"tasks/{task.pk}/move/", {}),
        (f"tasks/{task.pk}/delete/", {}),
        ("comments/", {"body": "x"}),
        ("links/", {"url": "https://y.example"}),
        (f"links/{link.pk}/delete/", {}),
    ]:
        assert c.post(f"{url}/{target}", data).status_code == 404, target
    assert as_user(w.outsider).get(f"{url}/").status_code == 404
    assert snapshot() == before
    # A task of another plan through this one: 404 as well.
    other = PlanTask.objects.create(plan=w.italy_plan, title="Other")
    r = as_user(w.admin).post(f"{AP}/{w.lisbon_plan.pk}/tasks/{other.pk}/done/", {"done": "1"})
    assert r.status_code == 404


def test_a_collaborator_ticks_but_does_not_edit(scene, as_user):
    w = scene
    plan = w.bg_plan  # the agent collaborates on it
    task = PlanTask.objects.create(plan=plan, title="Call back")
    agent = as_user(w.agent)
    url = f"{AP}/{plan.pk}"
    html = text(agent.get(f"{url}/"))
    assert 'id="edit-plan"' not in html and 'id="task-add"' in html
    r = agent.post(f"{url}/tasks/{task.pk}/done/", {"done": "1"})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.done
    assert agent.post(f"{url}/comments/", {"body": "Called"}).status_code == 302
    before = snapshot()
    assert agent.get(f"{url}/edit/").status_code == 403
    assert agent.post(f"{url}/edit/", {"title": "Mine"}).status_code == 403
    assert agent.post(f"{url}/status/", {"status": "done"}).status_code == 403
    assert snapshot() == before
    # A reader who is not a collaborator (the coach reads the workspace-wide plan) works nothing.
    coach = as_user(w.coach)
    wide = w.wide_plan
    wide_task = PlanTask.objects.create(plan=wide, title="Review")
    before = snapshot()
    assert coach.get(f"{AP}/{wide.pk}/").status_code == 200
    assert 'id="task-add"' not in text(coach.get(f"{AP}/{wide.pk}/"))
    for target, data in [
        ("tasks/", {"title": "x"}),
        (f"tasks/{wide_task.pk}/done/", {"done": "1"}),
        ("comments/", {"body": "x"}),
        ("links/", {"url": "https://y.example"}),
    ]:
        assert coach.post(f"{AP}/{wide.pk}/{target}", data).status_code == 403, target
    assert snapshot() == before
