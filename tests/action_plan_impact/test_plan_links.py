"""'Create action plan' links on Insights and Conversations: only for holders of
manage_action_plans, each carrying exactly its metric, origin, suggested title and filters."""

import re
from urllib.parse import parse_qs, urlparse

import pytest

from caredesk.routing.models import Queue

from ..conversations.conftest import bulgaria, topics  # noqa: F401
from ..conversations.test_pages import scene  # noqa: F401
from .scene import day

CREATE = "/w/support/action-plans/new/"


def plan_links(html: str) -> list[dict]:
    out = []
    for href in re.findall(r'<a class="plan-link" href="([^"]+)"', html):
        u = urlparse(href.replace("&amp;", "&"))
        assert u.path == CREATE
        out.append({k: v[0] for k, v in parse_qs(u.query).items()} | {"_n": len(parse_qs(u.query))})
    return out


def test_insights_cards_charts_and_rows(world, as_user):
    Queue.objects.create(workspace=world.support, name="Q1")
    world.make_case(world.support, segment=world.store1, origin="email", days_ago=2)
    world.make_case(world.support, segment=world.store2, origin="email", days_ago=3)
    start, end = day(9).isoformat(), day(0).isoformat()
    q = f"from={start}&to={end}&segment={world.lisbon.pk}&channel=email"
    r = as_user(world.manager).get(f"/w/support/insights/?{q}&by=segment")
    assert r.status_code == 200
    links = plan_links(r.content.decode())
    page = {"from": start, "to": end, "segment": str(world.lisbon.pk), "channel": "email"}
    frt = [x for x in links if x["origin"] == "kpi" and x["metric"] == "first_response_time"]
    assert frt == [
        {
            "origin": "kpi",
            "metric": "first_response_time",
            "title": "Improve First response time — Lisbon",
            **page,
            "_n": 7,
        }
    ]
    kpis = {x["metric"] for x in links if x["origin"] == "kpi"}
    assert {"tickets", "nps", "csat", "sla_attainment", "backlog"} <= kpis
    charts = [x for x in links if x["origin"] == "chart" and x["segment"] == str(world.lisbon.pk)]
    assert {x["metric"] for x in charts} >= {"tickets", "first_response_time", "nps"}
    # Breakdown rows by segment: the row's segment replaces the page's.
    rows = [x for x in links if x["origin"] == "chart" and x["segment"] != str(world.lisbon.pk)]
    assert {x["segment"] for x in rows} == {str(world.store1.pk), str(world.store2.pk)}
    assert {x["title"] for x in rows} == {
        "Improve Tickets — Lisbon Store 1",
        "Improve Tickets — Lisbon Store 2",
    }
    for x in rows:
        assert x["metric"] == "tickets"
        assert (x["channel"], x["from"], x["to"]) == ("email", start, end)
        assert x["_n"] == 7
        assert x["title"].startswith("Improve Tickets — ")


@pytest.mark.parametrize("who", ["coach"])
def test_insights_without_the_permission_has_no_link(world, as_user, who):
    r = as_user(getattr(world, who)).get("/w/support/insights/")
    assert r.status_code == 200
    assert 'class="plan-link"' not in r.content.decode()
    assert CREATE not in r.content.decode()


def test_conversations_topics_and_drivers(world, as_user, scene, topics):  # noqa: F811
    r = as_user(world.admin).get("/w/support/conversations/?from=2020-01-01")
    html = r.content.decode()
    links = plan_links(html)
    to = re.search(r'name="to" value="([^"]+)"', html)
    topic_links = [x for x in links if x["origin"] == "topic"]
    driver_links = [x for x in links if x["origin"] == "driver"]
    billing = str(topics["billing"].pk)
    assert {
        "origin": "topic",
        "metric": "sentiment",
        "title": "Improve Sentiment — Billing",
        "from": "2020-01-01",
        "to": topic_links[0]["to"],
        "topic": billing,
        "_n": 6,
    } in topic_links
    assert driver_links
    for x in driver_links:
        assert x["metric"] == "nps" and x["title"].startswith("Improve NPS — ")
        assert set(x) == {"origin", "metric", "title", "from", "to", "topic", "_n"}
    assert to is None or to.group(1) == topic_links[0]["to"]


def test_conversations_without_the_permission_has_no_link(world, as_user, scene):  # noqa: F811
    r = as_user(world.coach).get("/w/support/conversations/")
    assert r.status_code == 200
    assert 'class="plan-link"' not in r.content.decode()
