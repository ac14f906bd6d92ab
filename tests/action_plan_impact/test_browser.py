"""The impact in a real browser: the plan's page draws the chart (start and task completion
marked) beside its figure cards; Insights' KPI card offers "Create action plan" and the link
opens the plan form with the card's metric and filters. Screenshots at 1280 and 390 go to
test-artifacts/action_plan_impact/."""

import re

import pytest

from caredesk.workspaces.models import Tab
from tests.browser import logged_in_page, marks, page_errors, screenshots

from . import scene as impact_scene

pytestmark = marks
shot = screenshots("action_plan_impact/")


@pytest.fixture
def scene(world):
    w = world
    w.support.enabled_tabs = [*w.support.enabled_tabs, Tab.ACTION_PLANS, Tab.INSIGHTS]
    w.support.save(update_fields=["enabled_tabs"])
    w.plan = impact_scene.build(w)
    return w


def test_impact_chart_and_plan_link(scene, live_server, transactional_db, browser):
    from playwright.sync_api import expect

    url = live_server.url
    for width in (1280, 390):
        page = logged_in_page(browser, scene.admin, url, viewport={"width": width, "height": 900})
        errors = page_errors(page)
        page.goto(f"{url}/w/support/action-plans/{scene.plan.pk}/")
        section = page.locator("#plan-impact")
        expect(section.locator('canvas[data-chart="impact"][data-ready="1"]')).to_have_count(1)
        expect(section.locator('[data-card="since"] .impact-value')).to_have_text("5 min 00 s")
        expect(section.locator('[data-card="previous"] .impact-value')).to_have_text("15 min 00 s")
        expect(section.locator('[data-card="baseline"] .impact-value')).to_have_text("11 min 40 s")
        expect(section.locator("progress")).to_have_attribute("value", "80")
        page.locator("#impact").scroll_into_view_if_needed()
        shot(page.locator("#impact"), f"impact-{width}")
        assert page.evaluate("document.querySelector('main').scrollWidth") <= width
        assert errors == []

    page = logged_in_page(
        browser, scene.italy_manager, url, viewport={"width": 1280, "height": 900}
    )
    page.goto(f"{url}/w/support/insights/?segment={scene.italy.pk}")
    card = page.locator("#kpi-handle_time")
    link = card.locator("a.plan-link")
    expect(link).to_have_count(1)
    shot(card, "insights-card-1280")
    shot(page.locator(".kpis").nth(1), "insights-cards-1280")
    link.click()
    expect(page).to_have_url(re.compile(r"/action-plans/new/\?origin=kpi"))
    expect(page.get_by_label("Title")).to_have_value("Improve Average handle time — Italy")
    shot(page, "create-from-card-1280")
