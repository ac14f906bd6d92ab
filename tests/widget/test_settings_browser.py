"""Settings → Chat widget in Chromium: an admin changes the Italian title, adds a field, sees a
mistake refused, saves, and tries the widget on the demo page in Italian; axe-core on the
settings page and the demo page. Screenshots: test-artifacts/widget-settings-*.png."""

from caredesk.webchat.models import WidgetSettings
from tests.browser import accessibility_problems, logged_in_page, marks, page_errors, screenshots

from .test_widget_browser import widget

pytestmark = marks
shot = screenshots("widget-settings-", full_page=True)


def test_an_admin_changes_the_widget_and_tries_it(world, asgi_server, browser):
    from playwright.sync_api import expect

    page = logged_in_page(
        browser, world.admin, asgi_server.url, viewport={"width": 1280, "height": 900}
    )
    errors = page_errors(page)
    page.goto(f"{asgi_server.url}/w/support/settings/")
    page.get_by_role("link", name="Chat widget").click()
    expect(page.get_by_role("heading", name="Chat widget", level=1)).to_be_visible()
    snippet = page.get_by_label("Embed code")
    expect(snippet).to_have_value(
        f'<script src="{asgi_server.url}/static/caredesk/widget.js" '
        'data-workspace="acme.support" async></script>'
    )
    assert accessibility_problems(page) == []

    # A new field of type list without options is refused; nothing is saved.
    page.get_by_text("Texts per language").click()
    page.get_by_label("Title in Italiano").fill("Parla con Acme")
    page.locator("#id_f-2-key").fill("size")
    page.locator("#id_f-2-label").fill("Size")
    page.locator("#id_f-2-type").select_option("select")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#fields-error")).to_have_text(
        "Field size: a list needs options (only topic offers the queues by itself)."
    )
    assert not WidgetSettings.objects.exists()
    expect(page.get_by_label("Title in Italiano")).to_have_value("Parla con Acme")
    shot(page, "refused")

    page.locator("#id_f-2-options").fill("S\nM\nL")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Chat widget saved.")).to_be_visible()
    saved = WidgetSettings.objects.get()
    assert saved.texts == {"it": {"title": "Parla con Acme"}}
    assert saved.pre_chat_fields[-1] == {
        "key": "size",
        "label": "Size",
        "type": "select",
        "required": False,
        "options": ["S", "M", "L"],
    }
    shot(page, "saved")

    # The demo page, in Italian, shows the change.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Italiano").click()
    demo = opened.value
    page_errors(demo, errors)
    launcher = demo.get_by_role("button", name="Apri la chat: Parla con Acme")
    launcher.click()
    expect(widget(demo, "label[for=cdw-size]")).to_have_text("Size (facoltativo)")
    expect(demo.get_by_role("heading", name="Una pagina di esempio del tuo sito")).to_be_visible()
    assert accessibility_problems(demo) == []
    shot(demo, "demo-it")
    assert errors == []
