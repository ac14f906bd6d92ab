"""Every Home figure links to the list that shows exactly its rows: follow each link with the
test client and count the rows of the page it opens."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from caredesk.care.models import CaseTodo
from caredesk.feedback.models import AlertRule, AlertRuleCase, Response
from caredesk.feedback.services import survey_create
from caredesk.journey.models import Activity, Direction, MediaType

from .conftest import figure_value, figures, rows_on

NOT_LISTS = {"offers", "tasks"}  # the Desk's live work, shown by its websocket


def _scene(world, chat):
    mk = world.make_case
    now = timezone.now()
    # Unassigned open tickets: one recent, one older than the ticket list's 30 days.
    mk(world.support, segment=world.store1, status="new")
    mk(world.support, segment=world.lisbon, status="open", days_ago=45)
    mk(world.support, segment=world.italy, status="new", days_ago=40)  # outside Lisbon
    # Overdue: reported more than the SLA days ago, or a to-do past due.
    late = mk(world.support, segment=world.store2, owner=world.manager, status="open", days_ago=5)
    todo = mk(world.support, segment=world.lisbon, owner=world.manager2, status="open")
    CaseTodo.objects.create(
        case=todo, text="call back", due_date=timezone.localdate() - dt.timedelta(days=2)
    )
    # SLA at risk (no business hours: around the clock, 24 h target, 4 h horizon).
    mk(
        world.support,
        segment=world.lisbon,
        owner=world.manager,
        reported_at=now - dt.timedelta(hours=21),
    )
    mk(
        world.support,
        segment=world.lisbon,
        owner=world.manager,
        reported_at=now - dt.timedelta(hours=19),
    )
    mk(world.support, segment=world.lisbon, status="resolved", days_ago=6)
    # The agent's own work and figures of today.
    mk(world.support, segment=world.lisbon, owner=world.agent, status="open")
    mk(world.support, segment=world.lisbon, owner=world.agent, status="closed")
    chat(world, world.agent)
    chat(world, world.agent)
    chat(world, world.coach)
    # Detractors: one without a ticket, one whose ticket closed the loop, one whose ticket did
    # not (resolved without a reply), a passive, one in Italy.
    survey = survey_create(workspace=world.support, kind="nps", name="Relationship NPS")
    rule = AlertRule.objects.create(workspace=world.support, survey=survey, name="Detractors")

    def answer(score, segment, days_ago=1):
        return Response.objects.create(
            workspace=world.support,
            survey=survey,
            score=score,
            segment=segment,
            segment_path=segment.path,
            customer_email=f"c{score}{segment.pk}@example.com",
            responded_at=now - dt.timedelta(days=days_ago),
        )

    answer(2, world.store1)
    looped = answer(4, world.lisbon)
    case = mk(world.support, segment=world.lisbon, status="resolved", origin="alert")
    AlertRuleCase.objects.create(rule=rule, response=looped, case=case)
    Activity.objects.create(
        workspace=world.support, case=case, media_type=MediaType.EMAIL, direction=Direction.OUTBOUND
    )
    silent = answer(6, world.lisbon)
    case2 = mk(world.support, segment=world.lisbon, status="closed", origin="alert")
    AlertRuleCase.objects.create(rule=rule, response=silent, case=case2)
    answer(8, world.lisbon)
    answer(0, world.italy)
    answer(1, world.lisbon, days_ago=40)  # older than the 30 days
    return late


@pytest.mark.parametrize("who", ["agent", "manager", "italy_manager", "admin"])
def test_each_figure_count_is_the_rows_of_the_page_it_links_to(world, as_user, chat, who):
    _scene(world, chat)
    client = as_user(getattr(world, who))
    html = client.get("/w/support/").content.decode()

    links = figures(html)
    checked = 0
    for name, url in links.items():
        if name in NOT_LISTS:
            continue
        value = figure_value(html, name)
        shown = int(value.replace(",", "")) if value.replace(",", "").isdigit() else None
        if name.startswith("kpi-"):
            assert url.startswith("/w/support/insights/?from="), name
            continue
        if name.startswith("today-"):
            # A metric's card shows its value; its rows line says how many rows are behind it.
            m = re.search(
                rf'data-home="{name}".*?<span class="kpi-count">([\d,]+) rows?', html, re.S
            )
            shown = int(m.group(1).replace(",", ""))
        assert shown is not None, name
        assert rows_on(client, url) == shown, (name, url)
        checked += 1
    # The ticket summary's figures and the "no owner" figure are links too.
    for _status, url in re.findall(
        r'<a class="stat (?:s-(\w+)|total)" href="(/w/support/tickets/\?[^"]+)"', html
    ):
        url = url.replace("&amp;", "&")
        n = re.search(
            re.escape(url.replace("&", "&amp;")) + r'"><span class="n">(\d+)</span>', html
        )
        assert rows_on(client, url) == int(n.group(1)), url
        checked += 1
    if "no owner" in html:
        n = int(
            re.search(r'<span class="big">(\d+)</span> open tickets? in your area', html).group(1)
        )
        assert rows_on(client, "/w/support/home/unassigned/") == n
        checked += 1
    assert checked >= 3


def test_manager_attention_counts(world, as_user, chat):
    _scene(world, chat)
    html = as_user(world.manager).get("/w/support/").content.decode()
    assert (
        figure_value(html, "overdue"),
        figure_value(html, "sla-risk"),
        figure_value(html, "detractors"),
    ) == ("3", "3", "2")
    assert re.search(r"<span class=\"big\">2</span> open tickets in your area have no owner", html)


def test_unassigned_list_has_no_date_window(world, as_user, chat):
    _scene(world, chat)
    html = as_user(world.manager).get("/w/support/home/unassigned/").content.decode()
    assert 'data-total="2"' in html


def test_lists_refused_to_an_agent_and_bad_input(world, as_user):
    agent = as_user(world.agent)
    assert agent.get("/w/support/home/overdue/").status_code == 403
    assert agent.get("/w/support/home/mine/").status_code == 200
    manager = as_user(world.manager)
    assert manager.get("/w/support/home/nothing/").status_code == 404
    r = manager.get("/w/support/home/overdue/?page=x")
    assert r.status_code == 400 and "page: Not a page number: &#x27;x&#x27;" in r.content.decode()
    assert agent.get("/w/support/home/today/nothing/").status_code == 404
    assert as_user(world.outsider).get("/w/support/home/overdue/").status_code in (200, 403, 404)
    assert as_user(world.outsider).get("/w/sales/home/overdue/").status_code == 404


def test_lists_paginate_and_every_row_is_counted(world, as_user):
    for _ in range(103):
        world.make_case(world.support, segment=world.lisbon, status="new", days_ago=10)
    client = as_user(world.manager)
    html = client.get("/w/support/home/unassigned/").content.decode()
    assert 'data-total="103"' in html and 'rel="next"' in html
    assert rows_on(client, "/w/support/home/unassigned/") == 103
