"""Issue 15 end to end, in a real browser: a manager opens Insights and creates an action
plan from a KPI card, adds a task "write an article"; the article is written from the task
and published for customers; the customer's widget finds it before chatting, then asks about
a refund; the agent in the chat gets it suggested and inserts it into the reply; the plan's
page shows its impact chart. Screenshots: test-artifacts/e2e15/*.png."""

import datetime as dt
import re

from caredesk.action_plans.models import ActionPlan, PlanTask
from caredesk.care.models import Case
from caredesk.resources.models import Article, ArticleUse
from caredesk.routing import services as routing
from caredesk.routing.models import Conversation
from caredesk.webchat import services as webchat
from caredesk.workspaces.models import Tab
from tests.action_plans.scene import at_noon
from tests.browser import logged_in_page, marks, page_errors, screenshots
from tests.factories import make_case
from tests.widget.conftest import other_site  # noqa: F401 (a fixture)

pytestmark = marks
shot = screenshots("e2e15/", full_page=True)

SHOP = """<!doctype html>
<html><head><meta charset="utf-8"><title>Acme Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Acme Shop</h1><p>Your cart is empty.</p>
<script src="%(server)s/static/caredesk/widget.js" data-workspace="acme.support" async></script>
</body></html>
"""
BODY = """Refunds go back to the card you paid with.

## How long it takes

1. We check the returned items.
2. The refund reaches your card in **3–5 working days**.

Still nothing after 5 days? Start a chat with your order number."""


def widget(page, css):
    return page.locator(f"[data-caredesk-widget] {css}")


def setup(w):
    w.support.enabled_tabs = [
        Tab.HOME,
        Tab.DESK,
        Tab.TICKETS,
        Tab.INSIGHTS,
        Tab.ACTION_PLANS,
        Tab.RESOURCES,
    ]
    w.support.save(update_fields=["enabled_tabs"])
    # Tickets in Lisbon over the last weeks: the KPI card has a number, the plan a baseline.
    today = dt.date.today()
    for days in (3, 5, 5, 9, 12, 12, 20):
        make_case(w.support, segment=w.store1, reported_at=at_noon(today - dt.timedelta(days)))
    routing.queue_create(workspace=w.support, name="General", is_default=True)
    webchat.widget_settings_set(
        workspace=w.support,
        title="Acme Support",
        pre_chat_fields=[{"key": "name", "label": "Your name", "type": "text", "required": True}],
    )
    routing.agent_profile_set(workspace=w.support, user=w.agent, capacity=2)


def test_plan_article_chat_widget_impact(world, asgi_server, other_site, browser):  # noqa: F811
    from playwright.sync_api import expect

    w = world
    setup(w)
    url = asgi_server.url
    errors = []

    # 1. The manager opens Insights and makes a plan from a KPI card.
    manager = logged_in_page(browser, w.manager, url, viewport={"width": 1280, "height": 900})
    page_errors(manager, errors)
    manager.goto(f"{url}/w/support/")
    manager.get_by_role("navigation", name="Tabs").get_by_role("link", name="Insights").click()
    card_link = manager.locator("[data-plan-link]").first
    expect(card_link).to_be_visible()
    shot(manager, "1-insights")
    card_link.click()
    expect(manager.locator("#plan-form")).to_be_visible()
    shot(manager, "2-create-plan")
    title = manager.get_by_label("Title")
    title.fill("Fewer refund tickets in Lisbon")
    manager.get_by_role("button", name="Create plan").click()
    expect(manager.locator("#plan-title")).to_have_text("Fewer refund tickets in Lisbon")
    plan = ActionPlan.objects.get(title="Fewer refund tickets in Lisbon")
    assert plan.origin == "kpi" and plan.metric
    assert plan.baseline_from is not None and plan.baseline_count is not None

    # 2. A task: write an article.
    manager.locator("details.ap-add summary").click()
    form = manager.locator("#task-add")
    form.get_by_label("Title").fill("Write an article on refund times")
    form.get_by_label("Kind").select_option("article")
    form.get_by_role("button", name="Add task").click()
    task_row = manager.locator(".ap-task").filter(has_text="Write an article on refund times")
    expect(task_row).to_be_visible()
    shot(manager, "3-plan-with-task")
    task = PlanTask.objects.get(plan=plan)
    assert (task.kind, task.article_id) == ("article", None)

    # 3. Written from the task and published for customers.
    task_row.get_by_role("link", name=re.compile("Write it")).click()
    editor = manager.locator("#article-form")
    expect(editor).to_be_visible()
    editor.get_by_label("Title").fill("How refunds work")
    editor.locator("textarea[name=body]").fill(BODY)
    editor.locator("input[name=audience][value=public]").check()
    editor.locator("select[name=status]").select_option("published")
    expect(manager.locator("#preview h2")).to_have_text("How long it takes")
    shot(manager, "4-article-editor")
    editor.get_by_role("button", name="Save").click()
    expect(manager.get_by_role("heading", name="How refunds work").first).to_be_visible()
    shot(manager, "5-article-page")
    article = Article.objects.get(translations__title="How refunds work")
    assert (article.audience, article.status) == ("public", "published")
    task.refresh_from_db()
    assert task.article_id == article.pk

    # 4. The customer's widget finds it before chatting, then asks about a refund.
    other_site.pages["/"] = SHOP % {"server": url}
    customer = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page_errors(customer, errors)
    customer.goto(other_site.url + "/")
    customer.get_by_role("button", name="Open chat: Acme Support").click()
    search = customer.get_by_role("searchbox", name="Search our help articles")
    search.fill("refund")
    found = widget(customer, ".help-title")
    expect(found).to_have_text(["How refunds work"])
    shot(customer, "6-widget-finds-article")
    found.click()
    expect(widget(customer, "article.article h3")).to_have_text("How refunds work")
    shot(customer, "7-widget-reads-article")
    widget(customer, "article.article").get_by_role("button", name="Start a chat").click()
    customer.get_by_label("Your name").fill("Rita")
    customer.get_by_role("button", name="Start chat").click()
    expect(widget(customer, ".status")).to_have_text("Waiting for an agent…")

    # 5. The agent accepts; the customer asks; the article is suggested and inserted.
    desk = logged_in_page(browser, w.agent, url, viewport={"width": 1440, "height": 900})
    page_errors(desk, errors)
    desk.goto(f"{url}/w/support/desk/")
    presence = desk.locator("#presence")
    expect(presence).to_be_enabled()
    presence.select_option("available")
    desk.locator(".offer").get_by_role("button", name="Accept").click()
    expect(widget(customer, ".status")).to_contain_text("chatting")
    box = customer.get_by_label("Message")
    box.fill("Hi, I returned my order last week: when do I get my refund?")
    box.press("Enter")
    suggestion = desk.locator("#art-body .art-item").filter(has_text="How refunds work")
    expect(suggestion).to_be_visible()
    shot(desk, "8-desk-suggestion")
    suggestion.locator(".art-insert").click()
    reply = desk.locator("#reply")
    public_url = f"{url}/help/acme.support/{article.translations.get().slug}/"
    expect(reply).to_have_value(re.compile(re.escape(public_url)))
    shot(desk, "9-desk-inserted")
    reply.press("Enter")
    expect(widget(customer, ".msg.them .bubble").last).to_contain_text(public_url)
    shot(customer, "10-widget-reply-with-link")
    conv = Conversation.objects.get()
    uses = ArticleUse.objects.filter(article=article)
    assert set(uses.values_list("kind", flat=True)) >= {"viewed", "suggested", "inserted"}
    inserted = uses.get(kind="inserted")
    assert inserted.user_id == w.agent.pk
    assert inserted.activity is not None and inserted.activity.conversation_id == conv.pk

    # 6. The plan's page shows its impact chart.
    manager.goto(f"{url}/w/support/action-plans/{plan.pk}/")
    impact = manager.locator("#impact")
    expect(impact.locator("canvas[data-chart=impact]")).to_be_visible()
    expect(impact.locator("[data-card=baseline] .impact-value")).not_to_have_text("—")
    manager.wait_for_function(
        "() => { const c = document.querySelector('#impact canvas');"
        " return c && window.Chart && Chart.getChart(c); }"
    )
    shot(manager, "11-plan-impact")
    assert Case.objects.filter(workspace=w.support).count() == 7
    assert errors == []
