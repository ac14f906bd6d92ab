"""The evaluation pages in a real browser: the coach evaluates a chat (the live score follows
the answers, computed by the server), the result and its pinned comment show on the
evaluation's page, the agent sees it in their list and acknowledges it. Screenshots go to
test-artifacts/quality/."""

from tests.browser import logged_in_page, marks, screenshots

from .conftest import chat_for

pytestmark = marks
shot = screenshots("quality/", full_page=True)


def test_coach_evaluates_a_chat_and_the_agent_acknowledges(q, asgi_server, browser):
    from playwright.sync_api import expect

    from caredesk.quality.models import Evaluation
    from caredesk.routing.models import Message

    server = asgi_server
    greet, tone, identity, resolution, _bonus = q.criteria
    chat = chat_for(q.ws, q.agent, text="My order never came <script>alert(1)</script>")
    agent_line = Message.objects.get(conversation=chat.conversation, sender="agent")
    page = logged_in_page(browser, q.coach, server.url, viewport={"width": 1400, "height": 1000})
    page.goto(f"{server.url}/w/support/coaching/evaluate/?activity={chat.pk}")
    expect(page.locator("#score-preview")).to_contain_text("Answer the 4 criteria")
    page.check(f"input[name=a{greet}][value='1']")
    expect(page.locator("#preview-score")).to_have_text("100")
    page.check(f"input[name=a{tone}][value='3']")
    page.check(f"input[name=a{identity}][value='1']")
    page.check(f"input[name=a{resolution}][value='1']")
    expect(page.locator("#preview-score")).to_have_text("70")
    page.fill(f"#c{tone}", "A little curt here")
    page.select_option(f"#p{tone}", str(agent_line.pk))
    page.fill("textarea[name=comment]", "Resolve fully next time.")
    shot(page, "evaluate")
    page.click("#save-evaluation")
    expect(page.locator("#verdict")).to_have_text("Failed")
    e = Evaluation.objects.get(activity=chat)
    assert (e.score, e.passed) == (70.0, False)
    expect(page.locator(f"#line-{agent_line.pk} .tr-pin")).to_contain_text("A little curt here")
    shot(page, "evaluation")
    page.click("#edit-result")
    expect(page.locator(f"input[name=a{tone}][value='3']")).to_be_checked()
    shot(page, "evaluation-edit")

    agent = logged_in_page(browser, q.agent, server.url, viewport={"width": 1400, "height": 900})
    agent.goto(f"{server.url}/w/support/coaching/evaluations/")
    expect(agent.locator("#to-acknowledge")).to_contain_text("70")
    shot(agent, "my-evaluations")
    agent.click(f"#to-acknowledge a[href$='/evaluations/{e.pk}/']")
    agent.click("#acknowledge-form button")
    expect(agent.locator("#acknowledged")).to_be_visible()
    e.refresh_from_db()
    assert e.acknowledged_at is not None
