"""The customer's widget, embedded on another origin, finds a public help article before the
chat, reads it in the panel, then starts a chat; the agent's desk shows "Knowledge article
viewed" on the Navigation tab with a link to the article's public page. Also the help
center's pages at phone width. Screenshots: test-artifacts/helpcenter-*.png."""

from caredesk.resources.models import ArticleUse, Category
from caredesk.routing import services as routing
from caredesk.routing.models import Conversation, NavigationEvent
from caredesk.webchat import services as webchat
from caredesk.workspaces import services as ws
from caredesk.workspaces.models import Tab
from caredesk.workspaces.permissions import UserKind
from tests.browser import accessibility_problems, logged_in_page, marks, page_errors, screenshots

from .conftest import make_article

pytestmark = marks
shot = screenshots("helpcenter-")

SHOP = """<!doctype html>
<html><head><meta charset="utf-8"><title>Acme Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Acme Shop</h1><p>Your cart is empty.</p>
<script src="%(server)s/static/caredesk/widget.js" data-workspace="acme.support" async></script>
</body></html>
"""


def widget(page, css):
    return page.locator(f"[data-caredesk-widget] {css}")


def setup(world):
    world.support.enabled_tabs = [Tab.HOME, Tab.DESK, Tab.TICKETS]
    world.support.save()
    routing.queue_create(workspace=world.support, name="Billing")
    webchat.widget_settings_set(
        workspace=world.support,
        title="Acme Support",
        pre_chat_fields=[{"key": "name", "label": "Your name", "type": "text", "required": True}],
    )
    orders = Category.objects.create(workspace=world.support, name="Orders")
    make_article(
        world.support,
        "How refunds work",
        "Refunds reach your card in **5 days**.\n\n- Keep the receipt\n- [Contact us](https://acme.example/contact)",
        slug="refunds",
        category=orders,
    )
    make_article(world.support, "Track your delivery", "Use the tracking link.", slug="tracking")
    user = ws.user_create(
        organization=world.org, username="ana", password="pw-12345678", first_name="Ana"
    )
    ws.membership_set(workspace=world.support, user=user, kind=UserKind.AGENT)
    routing.agent_profile_set(workspace=world.support, user=user, capacity=2)
    return user


def test_the_widget_finds_an_article_and_the_desk_links_it(world, asgi_server, other_site, browser):
    from playwright.sync_api import expect

    ana = setup(world)
    other_site.pages["/"] = SHOP % {"server": asgi_server.url}
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    errors = page_errors(page)
    page.goto(other_site.url + "/")
    page.get_by_role("button", name="Open chat: Acme Support").click()

    # Before the chat: the most viewed (here: all) articles and a search.
    search = page.get_by_role("searchbox", name="Search our help articles")
    expect(search).to_be_visible()
    expect(widget(page, ".help-title")).to_have_count(2)
    search.fill("refunds")
    results = widget(page, ".help-title")
    expect(results).to_have_count(1)
    expect(results).to_have_text("How refunds work")
    shot(page, "widget-search-phone")

    # Opening it shows the article in the panel, and records a view.
    results.click()
    article = widget(page, "article.article")
    expect(article.locator("h3")).to_have_text("How refunds work")
    expect(article.locator("strong")).to_have_text("5 days")
    expect(article.get_by_role("link", name="Contact us")).to_have_attribute("target", "_blank")
    public_url = f"{asgi_server.url}/help/acme.support/refunds/"
    expect(article.get_by_role("link", name="Open in a new tab")).to_have_attribute(
        "href", public_url
    )
    shot(page, "widget-article-phone")
    assert (
        ArticleUse.objects.filter(kind="viewed", article__translations__slug="refunds").count() == 1
    )

    # Still a chat: back to the form, which starts it; the view arrives with the start.
    article.get_by_role("button", name="Start a chat").click()
    expect(article).to_be_hidden()
    page.get_by_label("Your name").fill("Rita")
    page.get_by_role("button", name="Start chat").click()
    expect(widget(page, ".status")).to_have_text("Waiting for an agent…")
    expect(widget(page, ".help")).to_be_hidden()
    conv = Conversation.objects.get()
    assert list(NavigationEvent.objects.values_list("kind", "value", "url")) == [
        ("article_viewed", "How refunds work", public_url)
    ]

    # The agent accepts; the Navigation tab links the article (a new tab).
    desk = logged_in_page(browser, ana, asgi_server.url, viewport={"width": 1440, "height": 860})
    desk_errors = page_errors(desk)
    desk.goto(f"{asgi_server.url}/w/support/desk/")
    presence = desk.locator("#presence")
    expect(presence).to_be_enabled()
    presence.select_option("available")
    offer = desk.locator(".offer")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Accept").click()
    expect(widget(page, ".status")).to_contain_text("chatting")
    desk.locator("label[for=j-tab-nav]").click()
    entry = desk.locator(".j-nav li.k-article_viewed")
    expect(entry.locator(".j-nav-kind")).to_have_text("Knowledge article viewed")
    link = entry.get_by_role("link", name="How refunds work")
    expect(link).to_have_attribute("href", public_url)
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener")
    shot(desk, "desk-navigation")
    assert conv.navigation.count() == 1
    assert errors == [] and desk_errors == []


def test_help_center_pages_at_phone_and_desktop_width(world, asgi_server, browser):
    from playwright.sync_api import expect

    setup(world)
    for width, height in ((390, 844), (1280, 800)):
        page = browser.new_page(viewport={"width": width, "height": height})
        errors = page_errors(page)
        page.goto(f"{asgi_server.url}/help/acme.support/")
        expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert accessibility_problems(page) == []
        shot(page, f"index-{width}")
        page.get_by_role("searchbox").fill("refunds")
        page.get_by_role("searchbox").press("Enter")
        expect(page.get_by_role("heading", name="Results for “refunds”")).to_be_visible()
        shot(page, f"results-{width}")
        page.get_by_role("link", name="How refunds work").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("How refunds work")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert accessibility_problems(page) == []
        shot(page, f"article-{width}")
        assert errors == []
        page.close()
