"""The review queue and Settings → Review rules in headless Chromium: screenshots in
test-artifacts/quality/ for a person to look at; claiming through the page; nothing overflows
sideways."""

import datetime as dt

from django.utils import timezone

from caredesk.journey.models import Activity
from caredesk.quality import sampling
from caredesk.quality.models import CoachAssignment, ReviewItem
from caredesk.workspaces.access import Access
from tests.browser import logged_in_page, marks, screenshots

pytestmark = marks
shot = screenshots("quality/", full_page=True)


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_review_queue_and_rules_pages(q, live_server, browser):
    now = timezone.now()
    old = now - dt.timedelta(days=60)
    Activity.objects.filter(pk__in=[q.chat.pk, q.chat2.pk]).update(ended_at=old, occurred_at=old)
    for i, (agent, minutes) in enumerate(
        [(q.agent2, 25), (q.agent2, 47), (q.agent, 31), (q.agent2, 22)]
    ):
        end = now - dt.timedelta(hours=i + 1)
        Activity.objects.create(
            workspace=q.ws,
            media_type="chat",
            agent=agent,
            queue_name="General",
            started_at=end - dt.timedelta(minutes=minutes),
            ended_at=end,
            occurred_at=end,
        )
    system = Access.system(q.ws)
    sampling.rule_create(
        access=system, name="Long chats", scorecard=q.card.pk, kind="longer_than", minutes=20
    )
    sampling.rule_create(
        access=system, name="Five a week", scorecard=q.card.pk, kind="per_agent", count=5
    )
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent2)

    page = logged_in_page(
        browser, q.coach, live_server.url, viewport={"width": 1360, "height": 900}
    )
    page.goto(f"{live_server.url}/w/support/coaching/review/")
    rows = page.locator("#review-items tbody tr")
    assert rows.count() == 3  # agent2's three long chats (all queued by the first rule)
    shot(page, "review_queue")
    assert _overflow(page) <= 0
    rows.first.locator("button", has_text="Claim").click()
    page.wait_for_selector(".msg.success")
    assert "Claimed" in page.inner_text(".msg.success")
    assert ReviewItem.objects.filter(assignee=q.coach).count() == 1
    shot(page, "review_queue_claimed")

    page = logged_in_page(
        browser, q.admin, live_server.url, viewport={"width": 1360, "height": 900}
    )
    page.goto(f"{live_server.url}/w/support/settings/quality/review-rules/")
    assert page.locator(".side-nav a.active").inner_text().strip() == "Review rules"
    shot(page, "review_rules")
    assert _overflow(page) <= 0
    page.fill("#add-rule input[name=name]", "Calls")
    page.check("#add-rule input[value=call]")
    page.click("#add-rule button[type=submit]")
    page.wait_for_selector("#add-rule .field-error")
    assert "does not apply to: call" in page.inner_text("#add-rule")
    shot(page, "review_rules_error")

    # One rule's own page.
    page.click("#rules a:text('Long chats')")
    page.wait_for_selector("h1:text('Review rule Long chats')")
    assert page.input_value("input[name=minutes]") == "20"
    shot(page, "review_rule_edit")
    assert _overflow(page) <= 0
