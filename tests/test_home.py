"""The workspace Home page: counts of my area, my open tickets, unassigned work."""

import re


def _stats(html: str) -> dict[str, str]:
    return dict(
        (label, n)
        for n, label in re.findall(r'<span class="n">(\d+)</span><span>(\w+)</span>', html)
    )


def test_manager_home_counts_their_area_and_lists_their_open_tickets(world, as_user):
    mk = world.make_case
    mine = mk(world.support, segment=world.store2, owner=world.manager, status="open")
    mk(world.support, segment=world.lisbon, owner=world.manager, status="closed")
    mk(world.support, segment=world.store1, status="new")  # in the area, unassigned
    mk(world.support, segment=world.italy, status="new")  # outside the area
    mk(world.support, segment=world.lisbon, status="new", days_ago=45)  # outside 30 days

    r = as_user(world.manager).get("/w/support/")

    html = r.content.decode()
    assert r.status_code == 200
    assert _stats(html) == {
        "New": "1",
        "Open": "1",
        "Escalated": "0",
        "Resolved": "0",
        "Closed": "1",
        "Total": "3",
    }
    assert f"#{mine.number}</a>" in html
    assert re.search(r'<span class="big">2</span> open tickets? in your area have no owner', html)


def test_agent_home_has_no_ticket_inbox(world, as_user):
    r = as_user(world.agent).get("/w/support/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Your user type does not include the ticket inbox." in html
    assert "/w/support/tickets/" not in html


def test_workspace_picker_lists_only_workspaces_the_user_may_use(world, as_user):
    r = as_user(world.admin).get("/")
    html = r.content.decode()
    assert r.status_code == 200
    assert re.findall(r'href="/w/([a-z]+)/"', html) == ["sales", "support"]


def test_outsider_cannot_open_another_organizations_workspace(world, as_user):
    assert as_user(world.outsider).get("/w/sales/").status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    r = client.get("/w/support/")
    assert (r.status_code, r["Location"]) == (302, "/login/?next=/w/support/")
