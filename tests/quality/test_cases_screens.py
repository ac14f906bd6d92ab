"""Coaching cases and Home's quality block in headless Chromium: screenshots under
test-artifacts/quality-cases/ for a person to look at; nothing overflows sideways."""

from django.utils import timezone

from caredesk.quality.coaching_cases import coaching_case_create
from caredesk.quality.models import Evaluation
from caredesk.workspaces.access import get_access
from tests.browser import logged_in_page, marks, screenshots

from . import cases_scene

pytestmark = marks
shot = screenshots("quality-cases/", full_page=True)


def no_overflow(page, name):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} overflows sideways by {overflow}px"


def test_coaching_cases_screens(q, live_server, browser):
    cc = cases_scene.build(q)
    coaching_case_create(
        access=get_access(cc.coach, "support"),
        agent_id=cc.agent2.pk,
        title="Tone on the phone",
        comment="Listen to Tuesday's call together",
    )
    Evaluation.objects.filter(pk=cc.evaluation.pk).update(acknowledged_at=timezone.now())
    base = f"{live_server.url}/w/support"
    page = logged_in_page(
        browser, cc.coach, live_server.url, viewport={"width": 1360, "height": 900}
    )
    for name, path in (
        ("coach_home", "/"),
        ("coaching_list", "/tickets/?coaching=1"),
        ("coaching_inbox", "/tickets/inbox/?origins=coaching&view=all"),
        ("new_case_from_activity", f"/coaching/cases/new/?activity={cc.chat.pk}"),
    ):
        page.goto(base + path)
        shot(page, name)
        no_overflow(page, name)
    page.goto(f"{base}/tickets/?coaching=1&open={cc.case.number}")
    page.wait_for_selector("#coaching-evaluations")
    shot(page, "coaching_dialog")
    page.goto(f"{base}/coaching/cases/new/")
    page.select_option("select[name=agent]", str(cc.agent.pk))
    page.fill("textarea[name=comment]", "   ")
    page.click("#coaching-case-form button[type=submit]")
    assert "Say what the coaching is about." in page.content()
    shot(page, "new_case_error")
    agent = logged_in_page(
        browser, cc.agent, live_server.url, viewport={"width": 1360, "height": 900}
    )
    agent.goto(base + "/")
    shot(agent, "agent_home")
    no_overflow(agent, "agent_home")
    for lang in ("bg",):
        type(cc.coach).objects.filter(pk=cc.coach.pk).update(language=lang)
        page.goto(base + "/")
        shot(page, f"coach_home_{lang}")
        page.goto(f"{base}/tickets/?coaching=1&open={cc.case.number}")
        page.wait_for_selector("#coaching-evaluations")
        shot(page, f"coaching_dialog_{lang}")
