"""Home's "My action items": the member's open plans (owned, collaborating) and open tasks,
due soonest first with the overdue marked, each linking to its plan; the counts link to the
Action plans list filtered to them. Only where the workspace has the Action plans tab."""

import datetime as dt
import re

import pytest

from caredesk.action_plans.models import ActionPlan, PlanTask
from caredesk.core import zones
from caredesk.workspaces.models import Tab


def days(n):
    return zones.today() + dt.timedelta(days=n)


@pytest.fixture
def scene(world):
    ws = world.support
    ws.enabled_tabs = [*ws.enabled_tabs, Tab.ACTION_PLANS]
    ws.save()
    s = type("S", (), {})()

    def plan(title, owner, due=None, status="in_progress"):
        return ActionPlan.objects.create(
            workspace=ws, title=title, owner=owner, due_date=due, status=status, started_on=days(-9)
        )

    s.late = plan("Late plan <b>", world.manager, days(-2))
    s.soon = plan("Soon plan", world.manager, days(3))
    s.undated = plan("Undated plan", world.manager)
    s.helping = plan("Helping plan", world.admin, days(1))
    s.helping.collaborators.add(world.manager)
    plan("Done plan", world.manager, days(1), status="done")
    plan("Someone else's", world.admin, days(1))
    PlanTask.objects.create(
        plan=s.helping, title="Task later", owner=world.manager, due_date=days(5)
    )
    PlanTask.objects.create(
        plan=s.helping, title="Task late", owner=world.manager, due_date=days(-1)
    )
    PlanTask.objects.create(
        plan=s.helping, title="Task done", owner=world.manager, due_date=days(0), done=True
    )
    closed = plan("Closed", world.admin, status="cancelled")
    PlanTask.objects.create(plan=closed, title="Task of a closed plan", owner=world.manager)
    # Another workspace's plan of the same user is not shown.
    ActionPlan.objects.create(
        workspace=world.sales, title="Sales plan", owner=world.manager, started_on=days(0)
    )
    return s


def panel(html):
    m = re.search(r'<section class="home-block card action-items".*?</section>', html, re.S)
    return m.group(0) if m else ""


def items(html, heading):
    part = html.split(heading, 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li( class="overdue")?><a href="([^"]+)">([^<]+)</a>', part)


def test_panel_contents_and_links(world, as_user, scene):
    html = panel(as_user(world.manager).get("/w/support/").content.decode())
    assert html
    base = "/w/support/action-plans/"
    plans = items(html, "Open plans</h3>")
    assert plans == [
        (' class="overdue"', f"{base}{scene.late.pk}/", "Late plan &lt;b&gt;"),
        ("", f"{base}{scene.helping.pk}/", "Helping plan"),
        ("", f"{base}{scene.soon.pk}/", "Soon plan"),
        ("", f"{base}{scene.undated.pk}/", "Undated plan"),
    ]
    tasks = items(html, "My open tasks</h3>")
    assert tasks == [
        (' class="overdue"', f"{base}{scene.helping.pk}/", "Task late"),
        ("", f"{base}{scene.helping.pk}/", "Task later"),
    ]
    counts = dict(
        (k, (href.replace("&amp;", "&"), int(n)))
        for href, k, n in re.findall(
            r'<a class="stat" href="([^"]+)" data-count="(\w+)"><span class="n">(\d+)', html
        )
    )
    assert counts == {
        "owned": (f"{base}?owner=me", 3),
        "collaborating": (f"{base}?collaborator=me", 1),
        "tasks": (f"{base}?task_owner=me", 2),
    }
    assert html.count("Overdue</span>") == 2


def test_an_agent_with_nothing(world, as_user, scene):
    html = panel(as_user(world.agent).get("/w/support/").content.decode())
    assert "No open action items" in html
    assert re.findall(r'data-count="\w+"><span class="n">(\d+)', html) == ["0", "0", "0"]


def test_not_without_the_tab(world, as_user, scene):
    world.support.enabled_tabs = [Tab.HOME, Tab.TICKETS]
    world.support.save()
    html = as_user(world.manager).get("/w/support/").content.decode()
    assert "action-items" not in html
