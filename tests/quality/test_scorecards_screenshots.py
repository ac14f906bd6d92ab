"""Settings → Scorecards in headless Chromium: the list, the builder (the point rows show only
for the custom scale; an error beside its field), the preview with a computed score, the
versions; screenshots in test-artifacts/quality/ for a person to look at; nothing overflows
sideways."""

from caredesk.quality.models import Scorecard
from caredesk.quality.scorecards import scorecard_update
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import Access, get_access
from tests.browser import logged_in_page, marks, screenshots

from .conftest import all_good

pytestmark = marks
shot = screenshots("quality/scorecards_", full_page=True)


def test_scorecard_pages(q, live_server, browser):
    evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q),
    )
    sections = q.card.current_version.sections
    sections[0]["criteria"][0]["weight"] = 2
    scorecard_update(access=Access.system(q.ws), scorecard=q.card, sections=sections)
    base = f"{live_server.url}/w/support/settings/quality/scorecards/"
    page = logged_in_page(
        browser, q.manager, live_server.url, viewport={"width": 1360, "height": 900}
    )

    def overflow():
        return page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    page.goto(base)
    assert page.locator(".side-nav a.active").inner_text().strip() == "Scorecards"
    shot(page, "list")
    assert overflow() <= 0

    page.goto(f"{base}{q.card.pk}/")
    shot(page, "edit")
    assert overflow() <= 0
    # The point rows follow the scale chosen, without a round trip.
    greet_points = page.locator("#criterion-row-0-0 [data-scale-points]")
    assert not greet_points.is_visible()
    page.select_option("#criterion-row-0-0 select.sb-scale", "custom")
    assert greet_points.is_visible()
    page.select_option("#criterion-row-0-0 select.sb-scale", "yes_no")

    # A bad weight: the error beside its field, nothing saved.
    page.fill("input[name=c0_1_weight]", "0")
    page.click("#save-scorecard")
    page.wait_for_selector("#err-c0_1_weight")
    assert page.inner_text("#err-c0_1_weight") == "A number above 0, at most 1000."
    shot(page, "edit_error")
    assert Scorecard.objects.get(pk=q.card.pk).current_version.number == 2

    # Adding a criterion re-renders the form with a new empty row.
    page.click("button[value='add_criterion:0']")
    page.wait_for_selector("input[name=c0_2_question]")
    assert page.locator("input[name=c0_2_question]").input_value() == ""

    page.goto(f"{base}{q.card.pk}/preview/")
    greet, tone, identity, resolution, _bonus = q.criteria
    page.check(f"input[name=a{greet}][value='1']")
    page.check(f"input[name=a{tone}][value='na']")
    page.check(f"input[name=a{identity}][value='1']")
    page.check(f"input[name=a{resolution}][value='1']")
    page.click("#preview-form button[type=submit]")
    page.wait_for_selector("#preview-result")
    # 100 × (2 + 3 + 4 × 0.5) / 9 = 77.78
    assert "77.78" in page.inner_text("#preview-result")
    shot(page, "preview")

    page.goto(f"{base}{q.card.pk}/versions/")
    shot(page, "versions")
    page.goto(f"{base}{q.card.pk}/versions/1/")
    shot(page, "version_1")
    assert overflow() <= 0
