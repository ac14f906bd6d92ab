"""Home per role: the blocks each role sees, their numbers computed by insights.metrics, and
the management area (a manager of Italy never counts Lisbon's rows)."""

import datetime as dt
import re

from django.utils import timezone

from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.metrics import figure
from caredesk.insights.valuetext import value_text
from caredesk.routing.models import AgentProfile, Conversation, ConversationStatus, Offer, Queue
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import Tab

from .conftest import figure_value, figures


def _blocks(html: str) -> set[str]:
    return set(re.findall(r'<section class="home-block" id="(home-[\w-]+)"', html))


def _kpi_filters(access):
    from caredesk.home.panels import kpi_filters

    return kpi_filters(access)


def test_agent_sees_their_work_and_their_own_figures_only(world, as_user, chat):
    chat(world, world.agent)
    chat(world, world.agent)
    chat(world, world.coach)  # another agent's chat today
    chat(world, world.agent, when=timezone.now() - dt.timedelta(days=2))  # not today
    world.make_case(world.support, segment=world.store1, owner=world.agent, status="open")
    world.make_case(world.support, segment=world.store1, owner=world.coach, status="open")

    r = as_user(world.agent).get("/w/support/")

    html = r.content.decode()
    assert r.status_code == 200
    assert _blocks(html) == {"home-work", "home-today"}
    assert figure_value(html, "mine") == "1"
    assert figure_value(html, "today-chats") == "2"
    assert "home-kpis" not in html and "home-attention" not in html
    assert "/insights/" not in html
    access = get_access(world.agent, "support")
    f = figure(access, "chats", _today_filters(access))
    assert (f.value, f.count) == (2, 2)


def _today_filters(access):
    from caredesk.insights.filters import parse_insight_filters

    today = timezone.localdate().isoformat()
    return parse_insight_filters({"from": today, "to": today, "agent": str(access.user.pk)}, access)


def test_agent_offers_and_tasks_are_the_desks(world, as_user):
    queue = Queue.objects.create(workspace=world.support, name="Support")
    profile = AgentProfile.objects.create(workspace=world.support, user=world.agent)
    other = AgentProfile.objects.create(workspace=world.support, user=world.coach)
    active = Conversation.objects.create(
        workspace=world.support, queue=queue, agent=profile, status=ConversationStatus.ACTIVE
    )
    waiting = Conversation.objects.create(workspace=world.support, queue=queue)
    Offer.objects.create(conversation=waiting, agent=profile)
    Offer.objects.create(
        conversation=Conversation.objects.create(workspace=world.support, queue=queue),
        agent=other,
    )
    assert active.pk

    # Without the Desk tab the Desk's figures are not shown (they would link to no page).
    html = as_user(world.agent).get("/w/support/").content.decode()
    assert 'data-home="offers"' not in html and 'data-home="tasks"' not in html
    world.support.enabled_tabs = [*world.support.enabled_tabs, Tab.DESK]
    world.support.save(update_fields=["enabled_tabs"])
    html = as_user(world.agent).get("/w/support/").content.decode()

    assert (figure_value(html, "offers"), figure_value(html, "tasks")) == ("1", "1")
    assert figures(html)["offers"] == "/w/support/desk/"


def test_manager_sees_their_area_kpis_and_attention(world, as_user):
    mk = world.make_case
    mk(world.support, segment=world.store1, days_ago=1)
    mk(world.support, segment=world.lisbon, days_ago=3)
    mk(world.support, segment=world.lisbon, days_ago=9)  # the previous 7 days
    mk(world.support, segment=world.italy, days_ago=1)  # not their area

    html = as_user(world.manager).get("/w/support/").content.decode()

    assert _blocks(html) == {"home-kpis", "home-attention"}
    assert "home-today" not in html and 'data-home="today-' not in html
    access = get_access(world.manager, "support")
    f = figure(access, "tickets", _kpi_filters(access))
    assert (f.value, f.previous) == (2, 1)
    assert figure_value(html, "kpi-tickets") == "2"
    link = figures(html)["kpi-tickets"]
    start = (timezone.localdate() - dt.timedelta(days=6)).isoformat()
    assert link == f"/w/support/insights/?from={start}&to={timezone.localdate()}&metric=tickets"


def test_italy_manager_counts_italy_not_lisbon(world, as_user):
    mk = world.make_case
    mk(world.support, segment=world.italy, days_ago=1)
    mk(world.support, segment=world.lisbon, days_ago=1)
    mk(world.support, segment=world.store2, days_ago=2)
    mk(world.support, segment=world.italy, days_ago=10, status="open")  # overdue, Italy
    mk(world.support, segment=world.lisbon, days_ago=10, status="open")  # overdue, Lisbon

    html = as_user(world.italy_manager).get("/w/support/").content.decode()

    assert figure_value(html, "kpi-tickets") == "1"
    assert figure_value(html, "overdue") == "1"


def test_admin_sees_the_whole_workspace(world, as_user):
    mk = world.make_case
    mk(world.support, segment=world.italy, days_ago=1)
    mk(world.support, segment=world.lisbon, days_ago=1)
    mk(world.support, segment=None, days_ago=2)
    mk(world.sales, segment=world.lisbon, days_ago=2)  # another workspace

    html = as_user(world.admin).get("/w/support/").content.decode()

    assert _blocks(html) == {"home-kpis", "home-attention"}
    assert "The workspace, last 7 days" in html
    assert figure_value(html, "kpi-tickets") == "3"


def test_every_kpi_shown_is_a_catalogue_metric_computed_by_figure(world, as_user):
    world.make_case(world.support, segment=world.italy, days_ago=1)
    html = as_user(world.admin).get("/w/support/").content.decode()
    access = get_access(world.admin, "support")
    shown = re.findall(r'data-home="kpi-(\w+)"', html)
    assert shown and all(name in CATALOGUE for name in shown)
    filters = _kpi_filters(access)
    for name in shown:
        expected = value_text(CATALOGUE[name], figure(access, name, filters).value)
        assert figure_value(html, f"kpi-{name}") == expected, name
