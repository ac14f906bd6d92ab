"""The resource center in a real browser: a coach writes an article in the editor (the live
preview follows the Markdown), saves it, reads it, and the center lists it; screenshots of the
center, the article and the editor at 1280 and 390 px go to test-artifacts/resources/."""

from caredesk.resources import services
from tests.browser import logged_in_page, marks, page_errors, screenshots

from .helpers import article, writer

pytestmark = marks
shot = screenshots("resources/", full_page=True)


def test_a_coach_writes_an_article_with_a_live_preview(world, asgi_server, browser):
    from playwright.sync_api import expect

    from caredesk.resources.models import Article

    w = writer(world)
    orders = services.category_create(access=w, name="Orders", names={"bg": "Поръчки"})
    services.category_create(access=w, name="Returns", parent=orders.pk)
    services.category_create(access=w, name="Deliveries")
    live = article(
        world,
        title="How to return an order",
        body="1. Open **My orders**.\n2. Choose *Return*.\n\n"
        "| Days | Refund |\n|---|---|\n| 14 | full |",
        category=orders.pk,
        tags=["returns", "refunds"],
        status="published",
        audience="public",
    )
    services.translation_save(
        access=w,
        article=live,
        language="bg",
        title="Как да върнете поръчка",
        body="Отворете **Моите поръчки**.",
    )
    services.translation_save(
        access=w, article=live, language="en", body="Open **My orders** first.", note="shorter"
    )
    article(world, title="Delivery times in Portugal", tags=["deliveries"])

    server = asgi_server
    for width, height in ((1280, 900), (390, 844)):
        page = logged_in_page(
            browser, world.coach, server.url, viewport={"width": width, "height": height}
        )
        errors = page_errors(page)
        page.goto(f"{server.url}/w/support/resources/")
        expect(page.locator("#articles")).to_contain_text("How to return an order")
        shot(page, f"center-{width}")
        page.goto(f"{server.url}/w/support/resources/articles/{live.pk}/")
        expect(page.locator("#article strong")).to_have_text("My orders")
        shot(page, f"article-{width}")
        page.goto(f"{server.url}/w/support/resources/articles/new/")
        title = f"Change a delivery address {width}"
        page.fill("input[name=title]", title)
        page.fill(
            "#body", "Call us **before** dispatch.\n\n- Open the order\n- Choose *Change address*"
        )
        expect(page.locator("#preview strong")).to_have_text("before")
        page.fill("input[name=tags]", "deliveries, address")
        shot(page, f"editor-{width}")
        page.click("button[type=submit].primary")
        expect(page.locator("#article h1")).to_have_text(title)
        assert errors == []
    assert Article.objects.filter(translations__title__startswith="Change a delivery").count() == 2
