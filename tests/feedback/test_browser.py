"""The public survey page on a phone (390x844) and the Feedback pages on a desktop, in headless
Chromium; screenshots go to test-artifacts/feedback/ for a person to look at."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from caredesk.care.models import Case
from caredesk.feedback.models import Response

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "feedback"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()
            # ORM calls made while Playwright's sync API runs get their own connection (its
            # greenlet's context); close it, or PostgreSQL cannot drop the test database.
            connections.close_all()


def overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_phone_fills_nps_and_custom_pages(world, nps, custom, browser, live_server):
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/{nps.token}/")
    page.screenshot(path=str(OUT / "nps_phone.png"), full_page=True)
    assert overflow(page) == 0
    page.locator("label:has(input[name=score][value='3']) span").click()
    page.fill("#comment", "Fila enorme <b>e</b> lenta")
    page.fill("#customer_email", "ana@example.pt")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Thank you!")
    response = Response.objects.get()
    assert (response.score, response.comment) == (3, "Fila enorme <b>e</b> lenta")
    assert Case.objects.get().customer_comment == "Fila enorme <b>e</b> lenta"

    page.goto(f"{live_server.url}/s/{custom.token}/?lang=pt")
    page.click("button[type=submit]")  # the required question left out
    page.wait_for_selector("text=An answer is required.")
    page.screenshot(path=str(OUT / "custom_phone_errors_pt.png"), full_page=True)
    assert overflow(page) == 0
    page.locator("#question-speed label:has(input[value='2']) span").click()
    page.check("input[name=q_reason][value=price]")
    page.check("input[name=q_extras][value=app]")
    page.fill("textarea[name=q_other]", "Nada a acrescentar")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Obrigado pela resposta")
    assert Response.objects.get(survey=custom).answers == {
        "speed": 2,
        "reason": "price",
        "extras": ["app"],
        "other": "Nada a acrescentar",
    }


def test_feedback_pages_on_desktop(world, nps, browser, live_server, post):
    world.support.enabled_tabs = ["home", "tickets", "feedback"]
    world.support.save()
    post(
        nps,
        {
            "score": 2,
            "comment": "Very slow <script>x</script>",
            "segment": world.store2.pk,
            "customer_email": "ana@example.pt",
            "transaction": {"order_id": "A-17", "channel": "store"},
        },
    )
    rid = Response.objects.get().pk
    client = Client()
    client.force_login(world.admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    desk = browser.new_context(viewport={"width": 1360, "height": 900})
    desk.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = desk.new_page()
    page.goto(f"{live_server.url}/w/support/tickets/")
    page.click(f"a[href='/w/support/feedback/responses/{rid}/']")
    page.wait_for_selector("#verbatim")
    assert page.inner_text("#verbatim") == "Very slow <script>x</script>"
    page.screenshot(path=str(OUT / "response.png"), full_page=True)
    for name, path in [
        ("responses", "responses/"),
        ("rules", "rules/"),
        ("rule_form", "rules/new/"),
        ("surveys", "surveys/"),
        ("survey", f"surveys/{nps.pk}/"),
    ]:
        page.goto(f"{live_server.url}/w/support/feedback/{path}")
        assert page.locator(".tabs a.active").inner_text() == "Feedback"
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
        assert overflow(page) == 0, name
