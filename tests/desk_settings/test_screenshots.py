"""Settings → Queues & skills in headless Chromium: the page, an open queue editor, an htmx
error in place and an agent saved in place; screenshots in test-artifacts/desk_settings/ for
a person to look at; nothing overflows sideways."""

from caredesk.routing import services
from caredesk.routing.models import AgentProfile, Skill
from tests.browser import logged_in_page, marks, screenshots

pytestmark = marks
shot = screenshots("desk_settings/", full_page=True)


def test_queues_and_skills_page(world, live_server, browser):
    for name in ("billing", "spanish", "returns", "vip"):
        Skill.objects.create(workspace=world.support, name=name)
    services.queue_create(workspace=world.support, name="General", is_default=True)
    vip = services.queue_create(
        workspace=world.support, name="VIP", priority=10, required_skills=["vip", "billing"]
    )
    services.queue_create(workspace=world.support, name="Returns", priority=2)
    services.agent_profile_set(
        workspace=world.support, user=world.agent, capacity=4, skills={"billing": 4, "vip": 2}
    )
    services.agent_profile_set(
        workspace=world.support, user=world.coach, presence="available", skills={"spanish": 5}
    )

    spanish = Skill.objects.get(name="spanish")
    page = logged_in_page(
        browser, world.admin, live_server.url, viewport={"width": 1360, "height": 900}
    )
    page.goto(f"{live_server.url}/w/support/settings/queues/")
    assert page.locator(".side-nav a.active").inner_text().strip() == "Queues & skills"
    shot(page, "queues")

    def overflow():
        return page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    assert overflow() <= 0

    # The queue editor opens under its row.
    page.locator(f"#queue-{vip.pk} details summary").click()
    # A click returns before the browser has opened the <details>: wait for it, not the clock.
    page.locator(f"#queue-{vip.pk}-form").wait_for(state="visible")
    assert page.locator(f"#queue-{vip.pk}-form").is_visible()
    shot(page, "queue_edit")

    # A bad new queue: the error appears in place (htmx), the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    page.fill("#id_new-name", "vip")
    page.click("#add-queue button[type=submit]")
    page.wait_for_selector("#add-queue .errorlist")
    assert "A queue with this name already exists." in page.inner_text("#add-queue")
    assert page.evaluate("window.notReloaded") is True
    shot(page, "queue_error")

    # An agent's capacity and levels saved in place.
    page.fill(f"#id_a{world.agent.pk}-capacity", "2")
    page.select_option(f"#id_a{world.agent.pk}-skill_{spanish.pk}", "3")
    page.click(f"#agent-{world.agent.pk} button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "Saved the routing settings of Agent." in page.inner_text(".msg.success")
    assert page.evaluate("window.notReloaded") is True
    shot(page, "agent_saved")
    assert overflow() <= 0
    agent = AgentProfile.objects.get(workspace=world.support, user=world.agent)
    assert agent.capacity == 2
    assert sorted(agent.skills.values_list("skill__name", "level")) == [
        ("billing", 4),
        ("spanish", 3),
        ("vip", 2),
    ]
