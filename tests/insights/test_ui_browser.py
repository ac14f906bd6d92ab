"""The Insights tab in a real browser (insights-ui): a manager opens Insights from the tab
bar, narrows the date range, clicks a bar of the breakdown, lands on the list of exactly
that many rows and downloads it. Screenshots go to test-artifacts/insights/."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from caredesk.workspaces.models import Tab
from tests.browser import logged_in_page, marks, page_errors, screenshots

from .ui_scene import build

pytestmark = marks
shot = screenshots("insights/", full_page=True)


@pytest.fixture
def scene(world):
    w = build(world)
    w.support.enabled_tabs = [*w.support.enabled_tabs, Tab.INSIGHTS]
    w.support.save(update_fields=["enabled_tabs"])
    return w


def _click_bar(page, index):
    """Clicks the middle of bar `index` of the breakdown chart (Chart.js draws on a canvas)."""
    x, y = page.evaluate(
        """(i) => {
            const c = document.querySelector('canvas[data-chart="breakdown"]');
            const bar = Chart.getChart(c).getDatasetMeta(0).data[i];
            return [(bar.x + bar.base) / 2, bar.y];
        }""",
        index,
    )
    page.locator('canvas[data-chart="breakdown"]').click(position={"x": x, "y": y})


def test_a_manager_drills_down_from_a_bar_and_exports(
    scene, live_server, transactional_db, browser
):
    from playwright.sync_api import expect

    url = live_server.url
    page = logged_in_page(browser, scene.manager, url, viewport={"width": 1280, "height": 800})
    errors = page_errors(page)
    page.goto(f"{url}/w/support/")
    page.get_by_role("navigation", name="Tabs").get_by_role("link", name="Insights").click()
    expect(page.locator("#kpi-tickets .kpi-value")).to_have_text("4")
    expect(page.locator('canvas[data-chart="volume"][data-ready="1"]')).to_have_count(1)
    shot(page, "dashboard")

    # The last 7 days: store1's tickets of 2 and 5 days ago, store2's of 3 days ago.
    page.get_by_role("link", name="Last 7 days").click()
    start = (timezone.localdate() - dt.timedelta(days=6)).isoformat()
    expect(page).to_have_url(f"{url}/w/support/insights/?from={start}&to={timezone.localdate()}")
    expect(page.locator("#kpi-tickets .kpi-value")).to_have_text("3")
    expect(page.locator('canvas[data-chart="breakdown"][data-ready="1"]')).to_have_count(1)
    first = page.locator("#breakdown-table tbody tr").first
    expect(first.locator("th")).to_have_text("Lisbon Store 1")
    expect(first.locator("td").first).to_have_text("2")
    # The definition shows on focus of the info button.
    page.locator("#kpi-tickets .info-button").focus()
    expect(page.locator("#def-tickets")).to_be_visible()
    shot(page, "last-7-days")

    _click_bar(page, 0)
    expect(page).to_have_url(re.compile(r".*/w/support/insights/rows/tickets/\?.*"))
    expect(page.locator("#row-count")).to_have_text("2")
    expect(page.locator("#rows tbody tr")).to_have_count(2)
    assert f"from={start}" in page.url and f"key={scene.store1.pk}" in page.url
    shot(page, "rows")

    with page.expect_download() as download:
        page.locator("#export-link").click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert book.worksheets[0].max_row == 1 + 2
    assert errors == []

    # The phone: the cards and charts stack and nothing is cut off.
    phone = logged_in_page(browser, scene.manager, url, viewport={"width": 390, "height": 800})
    phone.goto(f"{url}/w/support/insights/")
    expect(phone.locator('canvas[data-chart="breakdown"][data-ready="1"]')).to_have_count(1)
    width = phone.evaluate("document.querySelector('main').scrollWidth")
    assert width <= 390
    shot(phone, "dashboard-390")
