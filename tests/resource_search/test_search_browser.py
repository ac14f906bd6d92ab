"""The resource center's search in a real browser: a writer searches, narrows by language,
follows a result; screenshots (1280 and 390 wide) go to test-artifacts/resources/."""

import re

import pytest

from tests.browser import logged_in_page, marks, page_errors, screenshots

pytestmark = marks
shot = screenshots("resources/", full_page=True)


@pytest.fixture
def shelf(world, make_article, category):
    ws = world.support
    refunds = category(ws, "Refunds")
    cards = category(ws, "Gift cards", parent=refunds)
    make_article(
        ws,
        "Refund policy",
        "Customers get their money back within **five business days** after we receive the"
        " return. A refund goes to the card used for the order; ask the customer to check"
        " their bank statement before opening a ticket.",
        category=refunds,
        translations=[
            ("pt-br", "Política de reembolso", "O cliente recebe o reembolso em até cinco dias."),
            ("bg", "Възстановяване на сума", "Клиентът получава сумата до пет работни дни."),
        ],
    )
    make_article(
        ws,
        "Refund to a gift card",
        "When the order was paid with a gift card, the refund is new store credit.",
        audience="public",
        category=cards,
    )
    make_article(
        ws, "Refunds for damaged parcels (draft)", "Photos first, then the refund.", status="draft"
    )
    make_article(ws, "Changing a delivery address", "Before the parcel ships, no refund needed.")
    return world


@pytest.mark.parametrize("width", [1280, 390])
def test_a_writer_searches_the_articles(shelf, live_server, transactional_db, browser, width):
    from playwright.sync_api import expect

    url = live_server.url
    page = logged_in_page(browser, shelf.coach, url, viewport={"width": width, "height": 900})
    errors = page_errors(page)
    page.goto(f"{url}/w/support/resources/search/")
    page.get_by_role("searchbox").fill("refnd")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".search-corrected")).to_contain_text("refund")
    expect(page.locator(".article-hit").first).to_contain_text("Refund")
    expect(page.locator(".article-hit.is-draft")).to_have_count(1)
    shot(page, f"search-typo-{width}")
    page.get_by_role("searchbox").fill("refund")
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".search-count")).to_have_text("4 articles found")
    expect(page.locator(".article-hit mark").first).to_have_text(re.compile(r"^Refunds?$"))
    shot(page, f"search-{width}")
    assert errors == []
