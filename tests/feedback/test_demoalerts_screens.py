"""The alert-rule editor with the sentiment and topic criteria in headless Chromium, wide and
at phone width: screenshots in test-artifacts/feedback/ for a person to look at; nothing
overflows sideways."""

from caredesk.analysis.models import Topic
from tests.browser import logged_in_page, marks, screenshots

pytestmark = marks
shot = screenshots("feedback/demoalerts_rule_", full_page=True)


def test_rule_editor_with_sentiment_and_topics(world, nps, live_server, browser):
    billing = Topic.objects.create(workspace=world.support, name="Billing")
    Topic.objects.create(workspace=world.support, parent=billing, name="Double charge")
    cancel = Topic.objects.create(workspace=world.support, name="Cancellation")
    Topic.objects.create(workspace=world.support, name="Delivery")
    for width, height, name in ((1280, 800, "wide"), (390, 844, "phone")):
        page = logged_in_page(
            browser, world.admin, live_server.url, viewport={"width": width, "height": height}
        )
        page.goto(f"{live_server.url}/w/support/feedback/rules/new/")
        page.fill("input[name=name]", "Angry cancellations")
        page.check("input[name=sentiment_labels][value=negative]")
        page.fill("input[name=sentiment_max]", "-0.3")
        page.select_option("select[name=topics]", [str(cancel.pk)])
        page.locator("#sentiment-criterion").scroll_into_view_if_needed()
        shot(page, name)
        # The form fits (the top bar is the layout's).
        wide = page.evaluate(
            """[...document.querySelectorAll('#rule-form *')].filter(e =>
               e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
               .map(e => e.tagName + '.' + e.className + '[' + (e.name || '') + ']')"""
        )
        assert wide == []
        if name == "wide":
            page.click("button[type=submit].primary")
            page.wait_for_url("**/feedback/rules/*/")
            text = page.inner_text("main")
            assert "the customer comment is about “Cancellation”" in text
            shot(page, "saved")
        page.context.close()
