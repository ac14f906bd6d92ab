"""The Coaching tab in a real browser: the manager's team overview, an agent's plan with its
focus areas and sparkline, a session with its effect and action items, the agent's own tab,
Settings → Coaches. Screenshots go to test-artifacts/coaching/."""

import datetime as dt

import pytest
from django.utils import timezone

from caredesk.coaching.plans import plans_build
from caredesk.coaching.sessions import action_item_add, session_create
from caredesk.quality.models import CoachAssignment
from caredesk.workspaces.access import get_access
from tests.browser import logged_in_page, marks, page_errors, screenshots

from .coaching_data import at, evaluate, member, responses

pytestmark = marks
shot = screenshots("coaching/", full_page=True)


@pytest.fixture
def scene(q):
    now = timezone.now()
    agent3 = member(q, "agent3", q.world.store1)
    for days, answers in (
        (80, (0, 3, 1, 1)),
        (62, (0, 2, 1, 0)),
        (45, (1, 4, 1, 1)),
        (33, (0, 3, 1, 0)),
        (20, (1, 5, 1, 1)),
        (12, (0, 4, 1, 2)),
        (4, (1, "na", 1, 0)),
    ):
        e = evaluate(q, q.agent, at(days, now), *answers)
    evaluate(q, agent3, at(6, now), 1, 5, 1, 2, minutes=20)
    responses(q, e.activity, "csat", [5, 4, 2], at(3, now))
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    plans_build(q.ws)
    access = get_access(q.manager, "support")
    s = session_create(
        access=access,
        agent_id=q.agent.pk,
        scheduled_at=now - dt.timedelta(days=15),
        criteria=[q.criteria[3], q.criteria[0]],
        notes="Agreed: <verify> before closing.",
    )
    action_item_add(access=access, session=s, text="Shadow a senior agent", due_date="2026-12-24")
    q.session = s
    return q


def test_the_coaching_pages(scene, live_server, transactional_db, browser):
    q = scene
    url = live_server.url
    page = logged_in_page(browser, q.manager, url, viewport={"width": 1280, "height": 900})
    errors = page_errors(page)
    page.goto(f"{url}/w/support/coaching/")
    assert page.locator(f"#agent-{q.agent.pk}").is_visible()
    shot(page, "overview")
    page.goto(f"{url}/w/support/coaching/plans/{q.agent.pk}/")
    assert page.locator("#focus-1 h3").inner_text() == "1. Resolution"
    assert page.locator("#focus-1 svg.spark").count() == 1
    shot(page, "plan")
    page.goto(f"{url}/w/support/coaching/sessions/{q.session.pk}/")
    assert "Agreed: <verify> before closing." in page.locator("textarea[name=notes]").input_value()
    shot(page, "session")
    page.goto(f"{url}/w/support/coaching/sessions/")
    shot(page, "sessions")
    assert errors == []
    agent = logged_in_page(browser, q.agent, url, viewport={"width": 1280, "height": 900})
    agent.goto(f"{url}/w/support/coaching/")
    assert agent.locator("#focus-1").is_visible()
    shot(agent, "agent-tab")
    admin = logged_in_page(browser, q.admin, url, viewport={"width": 1280, "height": 900})
    admin.goto(f"{url}/w/support/settings/coaches/")
    assert admin.locator("#assignments tbody tr").count() == 1
    shot(admin, "settings-coaches")
