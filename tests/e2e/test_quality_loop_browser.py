"""The quality loop in a real browser (issue 13's proof): a review rule puts the agent's chat in
the coach's review queue; the coach evaluates it from there and it fails (auto-fail on the
identity check, and a weak tone); the coaching case appears in the coach's inbox; the agent
logs in, sees the evaluation and appeals the identity criterion; the coach (the workspace's
arbitrator) accepts it and the score changes; the coach refreshes the plans and the agent's
Coaching tab shows Tone as the focus area. Screenshots go to test-artifacts/quality-loop/."""

import re

from caredesk.care.models import Case, Origin
from caredesk.quality.models import Appeal, CoachAssignment, Evaluation, ReviewItem
from caredesk.quality.sampling import rule_create
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import Workspace
from tests.browser import logged_in_page, marks, page_errors, screenshots
from tests.quality.conftest import q  # noqa: F401 (the fixture)

pytestmark = marks
shot = screenshots("quality-loop/", full_page=True)


def test_evaluate_fail_coach_appeal_accept_plan(q, live_server, transactional_db, browser):  # noqa: F811
    from playwright.sync_api import expect

    greet, tone, identity, resolution, _bonus = q.criteria
    Workspace.objects.filter(pk=q.ws.pk).update(
        enabled_tabs=["home", "tickets", "coaching"], appeal_arbitrator=q.coach
    )
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    rule_create(
        access=get_access(q.admin, "support"),
        name="Two chats per agent a week",
        scorecard=q.card.pk,
        kind="per_agent",
        count=2,
        media_types=["chat"],
    )
    item = ReviewItem.objects.get(activity=q.chat)
    errors = []
    base = f"{live_server.url}/w/support"

    # The coach opens the review queue and evaluates the agent's chat from it.
    coach = logged_in_page(
        browser, q.coach, live_server.url, viewport={"width": 1440, "height": 1000}
    )
    page_errors(coach, errors)
    coach.goto(f"{base}/coaching/review/")
    row = coach.locator(f"#review-{item.pk}")
    expect(row).to_contain_text("Agent")
    shot(coach, "1-review-queue")
    row.get_by_role("link", name="Evaluate").click()
    coach.wait_for_url(re.compile(r"/coaching/evaluate/\?activity="))
    form = coach.locator("#evaluate-form")
    expect(coach.locator(".transcript")).to_contain_text("Hi, how can I help?")
    form.locator(f'#criterion-{greet} input[value="1"]').check()
    form.locator(f'#criterion-{tone} input[value="2"]').check()
    form.locator(f'#criterion-{identity} input[value="0"]').check()
    form.locator(f"#c{identity}").fill("Did not ask for the order number before the address")
    form.locator(f'#criterion-{resolution} input[value="2"]').check()
    shot(coach, "2-evaluate")
    coach.locator("#save-evaluation").click()
    coach.wait_for_url(re.compile(r"/coaching/evaluations/\d+/$"))
    expect(coach.locator("#verdict")).to_have_text("Failed")
    expect(coach.locator("#score")).to_have_text("0")
    expect(coach.locator("#auto-failed")).to_contain_text("Verified the customer's identity")
    shot(coach, "3-evaluation-failed")
    evaluation = Evaluation.objects.get()
    assert (evaluation.agent, evaluation.evaluator, evaluation.passed) == (q.agent, q.coach, False)
    assert ReviewItem.objects.get(pk=item.pk).status == "done"

    # The coaching case is in the coach's inbox, about the agent.
    case = Case.objects.get(origin=Origin.EVALUATION)
    assert (case.about_agent, case.owner) == (q.agent, q.coach)
    coach.goto(f"{base}/tickets/?coaching=1")
    expect(coach.locator(f"#ticket-{case.number}")).to_contain_text("Agent")
    shot(coach, "4-coaching-cases")

    # The agent sees the evaluation and appeals the identity criterion.
    agent = logged_in_page(
        browser, q.agent, live_server.url, viewport={"width": 1280, "height": 900}
    )
    page_errors(agent, errors)
    agent.goto(f"{base}/coaching/evaluations/")
    agent.locator(f'a[href$="/coaching/evaluations/{evaluation.pk}/"]').first.click()
    agent.wait_for_url(re.compile(rf"/coaching/evaluations/{evaluation.pk}/$"))
    expect(agent.locator("#verdict")).to_have_text("Failed")
    agent.locator("details.appeal-form summary").click()
    appeal_form = agent.locator("details.appeal-form form")
    appeal_form.locator(f'#criterion-{identity} input[value="1"]').check()
    appeal_form.locator(f"#c{identity}").fill("I checked the order number in my second message")
    appeal_form.locator("#appeal-comment").fill("The identity check was done.")
    shot(agent, "5-appeal-form")
    appeal_form.get_by_role("button", name="Send the appeal").click()
    appeal = Appeal.objects.get()
    agent.wait_for_url(re.compile(rf"/coaching/appeals/{appeal.pk}/$"))
    assert (appeal.status, appeal.reviewer) == ("open", q.coach)
    assert list(appeal.items.values_list("criterion_id", "proposed_value")) == [(identity, 1)]

    # The coach, the arbitrator, accepts it: the score is computed again.
    coach.goto(f"{base}/coaching/appeals/{appeal.pk}/")
    decide = coach.locator(f"#appeal-{appeal.pk} form.decide-form")
    decide.locator('input[name=decision][value="accept"]').check()
    decide.locator("textarea[name=comment]").fill("Right: the order number was checked.")
    decide.get_by_role("button", name="Decide").click()
    expect(coach.locator(f"#appeal-{appeal.pk} .appeal-status")).to_have_text("Accepted")
    shot(coach, "6-appeal-accepted")
    evaluation.refresh_from_db()
    # greet 1 + tone 2 of 5 (0.25 × 2) + identity 3 + resolution 4, of 10.
    assert (evaluation.score, evaluation.passed) == (85.0, True)
    coach.goto(f"{base}/coaching/evaluations/{evaluation.pk}/")
    expect(coach.locator("#score")).to_have_text("85")
    expect(coach.locator("#log")).to_contain_text("85")

    # The plans are rebuilt; the agent's Coaching tab shows Tone as the focus area.
    coach.goto(f"{base}/coaching/")
    coach.locator("#refresh-plans").click()
    expect(coach.locator(f"#agent-{q.agent.pk}")).to_contain_text("Tone")
    agent.goto(f"{base}/coaching/")
    focus = agent.locator("#focus-1")
    expect(focus).to_contain_text("Tone")
    expect(focus).to_contain_text("Listen to the tone module of the academy.")
    shot(agent, "7-agent-plan")
    assert errors == []
