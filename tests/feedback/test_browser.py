"""The public survey page on a phone (390x844) and the Feedback pages on a desktop, in headless
Chromium; screenshots go to test-artifacts/feedback/ for a person to look at."""

from caredesk.care.models import Case
from caredesk.feedback.models import Response
from tests.browser import logged_in_page, marks, screenshots

pytestmark = marks
shot = screenshots("feedback/", full_page=True)


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
    shot(page, "nps_phone")
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
    page.wait_for_selector("text=É necessária uma resposta.")
    shot(page, "custom_phone_errors_pt")
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
    page = logged_in_page(
        browser, world.admin, live_server.url, viewport={"width": 1360, "height": 900}
    )
    page.goto(f"{live_server.url}/w/support/tickets/")
    page.click(f"a[href='/w/support/feedback/responses/{rid}/']")
    page.wait_for_selector("#verbatim")
    assert page.inner_text("#verbatim") == "Very slow <script>x</script>"
    shot(page, "response")
    for name, path in [
        ("responses", "responses/"),
        ("rules", "rules/"),
        ("rule_form", "rules/new/"),
        ("surveys", "surveys/"),
        ("survey", f"surveys/{nps.pk}/"),
    ]:
        page.goto(f"{live_server.url}/w/support/feedback/{path}")
        assert page.locator(".tabs a.active").inner_text() == "Feedback"
        shot(page, name)
        assert overflow(page) == 0, name
