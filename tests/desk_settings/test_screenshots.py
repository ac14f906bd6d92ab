"""Settings → Queues & skills in headless Chromium: the page, an open queue editor, an htmx
error in place and an agent saved in place; screenshots in test-artifacts/desk_settings/ for
a person to look at; nothing overflows sideways."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from caredesk.routing import services
from caredesk.routing.models import AgentProfile, Skill

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "desk_settings"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium"),
]


def test_queues_and_skills_page(world, live_server):
    from playwright.sync_api import sync_playwright

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
    client = Client()
    client.force_login(world.admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            context = browser.new_context(viewport={"width": 1360, "height": 900})
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            page.goto(f"{live_server.url}/w/support/settings/queues/")
            assert page.locator(".side-nav a.active").inner_text().strip() == "Queues & skills"
            page.screenshot(path=str(OUT / "queues.png"), full_page=True)

            def overflow():
                return page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )

            assert overflow() <= 0

            # The queue editor opens under its row.
            page.locator(f"#queue-{vip.pk} details summary").click()
            assert page.locator(f"#queue-{vip.pk}-form").is_visible()
            page.screenshot(path=str(OUT / "queue_edit.png"), full_page=True)

            # A bad new queue: the error appears in place (htmx), the page is not reloaded.
            page.evaluate("window.notReloaded = true")
            page.fill("#id_new-name", "vip")
            page.click("#add-queue button[type=submit]")
            page.wait_for_selector("#add-queue .errorlist")
            assert "A queue with this name already exists." in page.inner_text("#add-queue")
            assert page.evaluate("window.notReloaded") is True
            page.screenshot(path=str(OUT / "queue_error.png"), full_page=True)

            # An agent's capacity and levels saved in place.
            page.fill(f"#id_a{world.agent.pk}-capacity", "2")
            page.select_option(f"#id_a{world.agent.pk}-skill_{spanish.pk}", "3")
            page.click(f"#agent-{world.agent.pk} button[type=submit]")
            page.wait_for_selector(".msg.success")
            assert "Saved the routing settings of Agent." in page.inner_text(".msg.success")
            assert page.evaluate("window.notReloaded") is True
            page.screenshot(path=str(OUT / "agent_saved.png"), full_page=True)
            assert overflow() <= 0
        finally:
            browser.close()
            # ORM calls made while Playwright's sync API runs get their own connection;
            # close it, or PostgreSQL cannot drop the test database at the end.
            connections.close_all()
    agent = AgentProfile.objects.get(workspace=world.support, user=world.agent)
    assert agent.capacity == 2
    assert sorted(agent.skills.values_list("skill__name", "level")) == [
        ("billing", 4),
        ("spanish", 3),
        ("vip", 2),
    ]
