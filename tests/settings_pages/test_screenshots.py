"""Renders each settings page in headless Chromium and saves a screenshot under
test-artifacts/settings/ for a person to look at; checks that nothing overflows sideways."""

from tests.browser import logged_in_page, marks, screenshots

pytestmark = marks
shot = screenshots("settings/", full_page=True)

PAGES = [
    ("general", ""),
    ("members", "members/"),
    ("permissions", "permissions/"),
    ("user_types", "user-types/"),
    ("segments", "segments/"),
]


def test_settings_pages_screenshots(world, live_server, browser):
    page = logged_in_page(
        browser, world.admin, live_server.url, viewport={"width": 1360, "height": 900}
    )
    for name, path in PAGES:
        page.goto(f"{live_server.url}/w/support/settings/{path}")
        assert page.locator(".side-nav a.active").inner_text().strip() != ""
        if name == "segments":
            page.locator(f"#segment-{world.lisbon.pk} details summary").click()
        shot(page, name)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} overflows sideways by {overflow}px"
    # An error state, as the admin would see it after a bad save.
    page.goto(f"{live_server.url}/w/support/settings/")
    page.fill("#id_auto_close_days", "400")
    page.click("button[type=submit].primary")
    assert "Must be between 1 and 365 days." in page.content()
    shot(page, "general_error")
    page.goto(f"{live_server.url}/w/support/settings/members/")
    page.fill("#id_new-username", "agent")
    page.fill("#id_new-password", "short")
    page.click("#create-user button[type=submit]")
    assert "This password is too short." in page.content()
    shot(page, "members_error")
    page.goto(f"{live_server.url}/w/support/settings/segments/")
    page.locator(f"#segment-{world.store1.pk} details summary").click()
    page.fill(f"#id_s{world.store1.pk}_rename_name", "  ")
    page.click(f"#segment-{world.store1.pk} form:has(#id_s{world.store1.pk}_rename_name) button")
    assert "This field is required." in page.content()
    shot(page, "segments_error")
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"{live_server.url}/w/support/settings/members/")
    shot(page, "members_narrow")
