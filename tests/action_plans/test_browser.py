"""The Action plans tab in a real browser: a manager opens the tab, creates a plan from an
Insights slice, adds a task and ticks it with htmx; the pages at desktop and phone widths.
Screenshots go to test-artifacts/action_plans/."""

import datetime as dt

import pytest

from caredesk.action_plans import services
from caredesk.action_plans.models import ActionPlan
from caredesk.workspaces.models import Tab
from tests.action_plans.scene import access_of, at_noon, make_plan
from tests.browser import logged_in_page, marks, page_errors, screenshots
from tests.factories import make_case

pytestmark = marks
shot = screenshots("action_plans/", full_page=True)


@pytest.fixture
def scene(world):
    w = world
    w.support.enabled_tabs = [*w.support.enabled_tabs, Tab.ACTION_PLANS, Tab.INSIGHTS]
    w.support.save(update_fields=["enabled_tabs"])
    yesterday = dt.date.today() - dt.timedelta(days=1)
    for seg in (w.lisbon, w.lisbon, w.store2):
        make_case(w.support, segment=seg, reported_at=at_noon(yesterday))
    access = access_of(w.admin, w.support)
    plan = make_plan(
        w,
        title="Answer refund chats within a minute",
        description="Refund chats wait **too long** on Mondays.\n\n- add a Monday shift\n- "
        "a refunds article for agents",
        metric="tickets",
        filters={"segment": str(w.lisbon.pk)},
        due_date=(dt.date.today() + dt.timedelta(days=20)).isoformat(),
        status="in_progress",
        priority="high",
        collaborator_ids=[w.manager2.pk],
        target_value=2,
    )
    services.task_add(
        access=access,
        plan=plan,
        title="Coach Agent on refund steps",
        kind="coaching",
        agent_id=w.agent.pk,
        owner_id=w.coach.pk,
    )
    services.task_add(
        access=access,
        plan=plan,
        title="Write the refunds article",
        kind="article",
        owner_id=w.manager.pk,
    )
    services.task_add(access=access, plan=plan, title="Add a Monday shift", owner_id=w.manager.pk)
    services.comment_add(access=access, plan=plan, body="Monday rota agreed with the team leads.")
    services.link_add(access=access, plan=plan, url="https://docs.example.com/rota", title="Rota")
    make_plan(
        w,
        title="Italy: fewer repeat calls",
        segment_id=w.italy.pk,
        due_date="2020-01-10",
        priority="critical",
    )
    make_plan(w, title="Workspace-wide CSAT review", status="done")
    w.plan = plan
    return w


def test_a_manager_creates_a_plan_and_ticks_a_task(scene, live_server, transactional_db, browser):
    from playwright.sync_api import expect

    url = live_server.url
    page = logged_in_page(browser, scene.admin, url, viewport={"width": 1280, "height": 800})
    errors = page_errors(page)
    page.goto(f"{url}/w/support/")
    page.get_by_role("navigation", name="Tabs").get_by_role("link", name="Action plans").click()
    expect(page.locator("#plans tbody tr")).to_have_count(3)
    expect(page.locator("#count-overdue .n")).to_have_text("1")
    shot(page, "list-1280")

    page.goto(f"{url}/w/support/action-plans/{scene.plan.pk}/")
    expect(page.locator("#plan-title")).to_have_text("Answer refund chats within a minute")
    shot(page, "detail-1280")
    # Tick the last task with htmx: the section is swapped, the page stays.
    task = page.locator(".ap-task").filter(has_text="Add a Monday shift")
    task.locator(".ap-tick").click()
    expect(page.locator("#tasks-progress")).to_have_text("1 of 3 done")
    assert ActionPlan.objects.get(pk=scene.plan.pk).tasks.filter(done=True).count() == 1

    page.goto(
        f"{url}/w/support/action-plans/new/?origin=kpi&metric=tickets&segment={scene.lisbon.pk}"
    )
    expect(page.locator(".ap-baseline")).to_have_text("3")
    shot(page, "create-1280")
    page.get_by_label("Title").fill("Lisbon: fewer tickets")
    page.get_by_role("button", name="Create plan").click()
    expect(page.locator("#plan-title")).to_have_text("Lisbon: fewer tickets")
    plan = ActionPlan.objects.get(title="Lisbon: fewer tickets")
    assert (plan.metric, plan.filters, plan.baseline_value) == (
        "tickets",
        {"segment": str(scene.lisbon.pk)},
        3.0,
    )
    assert errors == []

    phone = logged_in_page(browser, scene.admin, url, viewport={"width": 390, "height": 800})
    for name, path in (
        ("list", ""),
        ("detail", f"{scene.plan.pk}/"),
        ("create", f"new/?metric=csat&segment={scene.lisbon.pk}"),
    ):
        phone.goto(f"{url}/w/support/action-plans/{path}")
        width = phone.evaluate("document.querySelector('main').scrollWidth")
        shot(phone, f"{name}-390")
        assert width <= 390, (name, width)
