"""Appeals in a real browser: the agent opens the appeal form of an evaluation, proposes another
answer for one criterion and sends it; the manager sees it in the list's counts, accepts it,
and the score changes; Settings → Appeals. Screenshots go to test-artifacts/appeals/."""

import re

from caredesk.quality.models import Appeal, Evaluation
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import User
from tests.browser import logged_in_page, marks, page_errors, screenshots
from tests.quality.conftest import all_good, q  # noqa: F401 (the fixture)

pytestmark = marks
shot = screenshots("appeals/", full_page=True)


def test_the_agent_appeals_and_the_manager_accepts(q, live_server, transactional_db, browser):  # noqa: F811
    from playwright.sync_api import expect

    greet = q.criteria[0]
    e = evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat.pk,
        answers=all_good(q, **{str(greet): {"value": 0, "comment": "No name in the greeting"}}),
    ).evaluation
    assert e.score == 90.0
    base = f"{live_server.url}/w/support/coaching"

    page = logged_in_page(
        browser, q.agent, live_server.url, viewport={"width": 1280, "height": 900}
    )
    errors = page_errors(page)
    page.goto(f"{base}/evaluations/{e.pk}/appeal/")
    page.locator("details.appeal-form summary").click()
    form = page.locator("details.appeal-form form")
    form.locator(f'#criterion-{greet} input[value="1"]').check()
    form.locator(f"#c{greet}").fill("I said “Good morning, Mr Rossi”")
    form.locator("#appeal-comment").fill("The name is in my first message.")
    shot(page, "agent-appeal-form")
    form.get_by_role("button", name="Send the appeal").click()
    expect(page.locator(".msg")).to_contain_text("Your appeal was sent.")
    appeal = Appeal.objects.get()
    expect(page.locator(f"#appeal-{appeal.pk}")).to_contain_text("Open")
    shot(page, "agent-appeal-sent")

    manager = logged_in_page(
        browser, q.manager, live_server.url, viewport={"width": 1280, "height": 900}
    )
    page_errors(manager, errors)
    manager.goto(f"{base}/appeals/")
    expect(manager.locator('.stat[data-status="open"] .n')).to_have_text("1")
    expect(manager.locator("#to-review")).to_contain_text("1 appeal to review by me")
    shot(manager, "list")
    manager.locator(f"#appeal-{appeal.pk} a").first.click()
    decide = manager.locator(".decide-form")
    decide.get_by_label("Accept the appeal").check()
    decide.locator("textarea").fill("Right: the name is there.")
    shot(manager, "manager-decide")
    decide.get_by_role("button", name="Decide").click()
    expect(manager.locator("#evaluation-score")).to_have_text("100")
    expect(manager.locator(f"#appeal-{appeal.pk}")).to_contain_text("Score 90 → 100.")
    shot(manager, "manager-decided")
    assert Evaluation.objects.get().score == 100.0

    # Settings → Appeals, as an admin, in Italian.
    User.objects.filter(pk=q.admin.pk).update(language="it")
    admin = logged_in_page(
        browser, q.admin, live_server.url, viewport={"width": 1280, "height": 800}
    )
    page_errors(admin, errors)
    admin.goto(f"{live_server.url}/w/support/settings/quality/appeals/")
    expect(admin.locator("h1")).to_have_text("Contestazioni")
    admin.locator("#appeal_days").fill("0")
    admin.get_by_role("button", name="Salva").click()
    expect(admin.locator(".field-error")).to_contain_text(re.compile("da 1 a 90"))
    shot(admin, "settings-it-error")
    admin.goto(f"{base}/appeals/{appeal.pk}/")
    shot(admin, "appeal-it")
    assert errors == []
