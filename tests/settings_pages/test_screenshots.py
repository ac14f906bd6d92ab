"""Renders each settings page in headless Chromium and saves a screenshot under
test-artifacts/settings/ for a person to look at; checks that nothing overflows sideways."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "settings"
PAGES = [
    ("general", ""),
    ("members", "members/"),
    ("permissions", "permissions/"),
    ("user_types", "user-types/"),
    ("segments", "segments/"),
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium"),
]


def test_settings_pages_screenshots(world, live_server):
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(world.admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            context = browser.new_context(viewport={"width": 1360, "height": 900})
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            for name, path in PAGES:
                page.goto(f"{live_server.url}/w/support/settings/{path}")
                assert page.locator(".side-nav a.active").inner_text().strip() != ""
                if name == "segments":
                    page.locator(f"#segment-{world.lisbon.pk} details summary").click()
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} overflows sideways by {overflow}px"
            # An error state, as the admin would see it after a bad save.
            page.goto(f"{live_server.url}/w/support/settings/")
            page.fill("#id_auto_close_days", "400")
            page.click("button[type=submit].primary")
            assert "Must be between 1 and 365 days." in page.content()
            page.screenshot(path=str(OUT / "general_error.png"), full_page=True)
            page.goto(f"{live_server.url}/w/support/settings/members/")
            page.fill("#id_new-username", "agent")
            page.fill("#id_new-password", "short")
            page.click("#create-user button[type=submit]")
            assert "This password is too short." in page.content()
            page.screenshot(path=str(OUT / "members_error.png"), full_page=True)
            page.goto(f"{live_server.url}/w/support/settings/segments/")
            page.locator(f"#segment-{world.store1.pk} details summary").click()
            page.fill(f"#id_s{world.store1.pk}_rename_name", "  ")
            page.click(
                f"#segment-{world.store1.pk} form:has(#id_s{world.store1.pk}_rename_name) button"
            )
            assert "This field is required." in page.content()
            page.screenshot(path=str(OUT / "segments_error.png"), full_page=True)
            page.set_viewport_size({"width": 800, "height": 900})
            page.goto(f"{live_server.url}/w/support/settings/members/")
            page.screenshot(path=str(OUT / "members_narrow.png"), full_page=True)
        finally:
            browser.close()
