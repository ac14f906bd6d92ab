"""The top bar's menus by keyboard, and axe-core on Home, Customers and the profile page;
screenshots of Home with the app switcher open, in Bulgarian and English
(test-artifacts/shell/)."""

import re

from caredesk.customers import services as customers
from caredesk.workspaces.models import Workspace
from tests.browser import accessibility_problems, logged_in_page, marks, screenshots

pytestmark = marks
shot = screenshots("shell/")


def _scene(world):
    Workspace.objects.filter(pk=world.support.pk).update(
        enabled_tabs=["home", "desk", "tickets", "feedback"]
    )
    acme = customers.account_create(organization=world.org, name="Northwind Ltd")
    customers.contact_create(
        organization=world.org, name="Ana Silva", emails=["ana@example.com"], account_id=acme.pk
    )
    customers.contact_create(organization=world.org, name="Bruno Costa", phones=["+359888111222"])
    world.make_case(world.support, segment=world.store2, owner=world.manager, days_ago=1)


def test_app_switcher_by_keyboard_and_screenshots(world, live_server, browser):
    from playwright.sync_api import expect

    _scene(world)
    for lang in ("bg", "en"):
        world.admin.language = lang
        world.admin.save()
        page = logged_in_page(
            browser, world.admin, live_server.url, viewport={"width": 1280, "height": 760}
        )
        page.goto(f"{live_server.url}/w/support/")
        button = page.locator('[aria-controls="app-menu"]')
        menu = page.locator("#app-menu")
        expect(menu).to_be_hidden()
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(menu).to_be_visible()
        # Opened by keyboard: the first entry has the focus.
        expect(menu.locator("a").first).to_be_focused()
        assert accessibility_problems(page) == []
        shot(page, f"home_app_switcher_{lang}")
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_be_focused()
        page.context.close()


def test_switch_workspace_and_open_customers_from_the_menus(world, live_server, browser):
    from playwright.sync_api import expect

    _scene(world)
    page = logged_in_page(browser, world.admin, live_server.url)
    page.goto(f"{live_server.url}/w/support/")
    page.click('[aria-controls="ws-menu"]')
    page.click("#ws-menu >> text=Sales")
    expect(page).to_have_url(f"{live_server.url}/w/sales/")
    # A click elsewhere closes an open menu.
    page.click('[aria-controls="user-menu"]')
    expect(page.locator("#user-menu")).to_be_visible()
    page.click("h1")
    expect(page.locator("#user-menu")).to_be_hidden()
    page.goto(f"{live_server.url}/w/support/")
    page.click('[aria-controls="app-menu"]')
    page.click("#app-menu >> text=Customers")
    expect(page.locator("h1")).to_have_text("Customers")
    page.fill("#customer-q", "ana")
    page.keyboard.press("Enter")
    expect(page.locator("#customer-list tbody tr")).to_have_count(1)
    page.click("#customer-list >> text=Ana Silva")
    expect(page).to_have_url(re.compile(r"/w/support/journey/contacts/\d+/$"))


def test_axe_on_home_customers_and_profile(world, live_server, browser):
    _scene(world)
    for user in (world.manager, world.agent):
        page = logged_in_page(browser, user, live_server.url)
        for path in (
            "/w/support/",
            "/w/support/journey/customers/",
            "/w/support/journey/customers/?show=accounts",
            "/w/support/profile/",
        ):
            page.goto(f"{live_server.url}{path}")
            assert accessibility_problems(page) == [], (user.username, path)
        page.context.close()
    page = logged_in_page(browser, world.manager, live_server.url)
    page.goto(f"{live_server.url}/w/support/profile/")
    shot(page, "profile_en")
    page.goto(f"{live_server.url}/w/support/journey/customers/")
    shot(page, "customers_en")


def test_settings_workspaces_in_italian(world, live_server, browser):
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.permissions import UserKind

    brand = ws.user_create(
        organization=world.org, username="brand", password="pw-12345678", first_name="Bruna"
    )
    brand.language = "it"
    brand.save()
    ws.membership_set(workspace=world.support, user=brand, kind=UserKind.BRAND_ADMIN)
    page = logged_in_page(browser, brand, live_server.url, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/w/support/settings/workspaces/")
    page.fill("#id_ws-name", "Resi")
    page.fill("#id_ws-slug", "sales")
    page.click("#new-workspace button[type=submit]")
    assert (
        "Un altro spazio di lavoro dell'organizzazione ha già questo indirizzo." in page.content()
    )
    assert accessibility_problems(page) == []
    shot(page, "settings_workspaces_error_it")
