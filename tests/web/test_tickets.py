"""The Tickets page: list, filters, overview, pagination, export link, create and update
dialogs, assign to me, access rules and escaping."""

import datetime as dt
import re
import types

import pytest
from django.http import HttpResponse
from django.utils import timezone

from caredesk.audit.models import AuditEntry
from caredesk.care import services
from caredesk.care.models import Case, CaseComment
from caredesk.care.selectors import PAGE_SIZE
from caredesk.tickets import views as ticket_views
from caredesk.workspaces.access import get_access

HX = {"HTTP_HX_REQUEST": "true"}
LIST = "/w/support/tickets/"


def numbers(response) -> list[int]:
    return [c.number for c in response.context["page"].items]


def rows(response) -> list[str]:
    """Ticket numbers as rendered in the table body, top to bottom."""
    return re.findall(r'<tr id="ticket-(\d+)"', response.content.decode())


# --------------------------------------------------------------------------- list and filters


def test_default_range_is_last_30_days_and_excludes_a_40_day_old_ticket(world, as_user):
    recent = world.make_case(
        world.support, segment=world.lisbon, days_ago=1, customer_email="new@x.io"
    )
    old = world.make_case(
        world.support, segment=world.lisbon, days_ago=40, customer_email="old@x.io"
    )
    r = as_user(world.admin).get(LIST)
    assert r.status_code == 200
    assert numbers(r) == [recent.number]
    assert rows(r) == [str(recent.number)]
    body = r.content.decode()
    assert "new@x.io" in body and "old@x.io" not in body
    today = timezone.localdate()
    assert f'name="created_from" value="{(today - dt.timedelta(days=29)).isoformat()}"' in body
    assert f'name="created_to" value="{today.isoformat()}"' in body
    # An explicit range brings the old one back.
    r = as_user(world.admin).get(
        LIST,
        {
            "created_from": (today - dt.timedelta(days=60)).isoformat(),
            "created_to": today.isoformat(),
        },
    )
    assert numbers(r) == [recent.number, old.number]


@pytest.fixture
def scene(world):
    w = world
    s = types.SimpleNamespace()
    s.lis_new = w.make_case(
        w.support, segment=w.lisbon, owner=w.manager, status="new", priority="low", days_ago=5
    )
    s.store1_open = w.make_case(
        w.support, segment=w.store1, status="open", priority="high", days_ago=4
    )
    s.store2_esc = w.make_case(
        w.support,
        segment=w.store2,
        owner=w.manager2,
        status="escalated",
        priority="critical",
        days_ago=3,
    )
    s.italy_res = w.make_case(
        w.support, segment=w.italy, owner=w.italy_manager, status="resolved", days_ago=2
    )
    s.none_closed = w.make_case(
        w.support, segment=None, status="closed", priority="high", days_ago=1
    )
    s.sales = w.make_case(w.sales, segment=w.lisbon, days_ago=1)  # another workspace: never listed
    return s


def test_list_shows_every_workspace_ticket_to_an_admin_newest_first(world, as_user, scene):
    r = as_user(world.admin).get(LIST)
    assert numbers(r) == [
        scene.none_closed.number,
        scene.italy_res.number,
        scene.store2_esc.number,
        scene.store1_open.number,
        scene.lis_new.number,
    ]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "open"}, ["store1_open"]),
        ({"status": "escalated"}, ["store2_esc"]),
        ({"priority": "high"}, ["none_closed", "store1_open"]),
        ({"segment": "lisbon"}, ["store2_esc", "store1_open", "lis_new"]),  # descendants included
        ({"segment": "store2"}, ["store2_esc"]),
        ({"segment": "italy"}, ["italy_res"]),
        ({"owner": "manager"}, ["lis_new"]),
        ({"owner": "manager2"}, ["store2_esc"]),
        ({"owner": "none"}, ["none_closed", "store1_open"]),
        ({"status": "open", "segment": "lisbon", "owner": "none"}, ["store1_open"]),
        ({"status": "new", "priority": "critical"}, []),
    ],
)
def test_each_filter(world, as_user, scene, params, expected):
    query = dict(params)
    if "segment" in query:
        query["segment"] = getattr(world, query["segment"]).pk
    if query.get("owner") not in (None, "none"):
        query["owner"] = getattr(world, query["owner"]).pk
    r = as_user(world.admin).get(LIST, query)
    assert r.status_code == 200
    assert numbers(r) == [getattr(scene, name).number for name in expected]


def test_date_filters_bound_the_reported_day(world, as_user, scene):
    today = timezone.localdate()
    day = (today - dt.timedelta(days=3)).isoformat()
    r = as_user(world.admin).get(LIST, {"created_from": day, "created_to": day})
    assert numbers(r) == [scene.store2_esc.number]


def test_filter_choices_segments_by_level_and_owners_are_segment_managers(world, as_user, scene):
    body = as_user(world.admin).get(LIST, {"segment": world.lisbon.pk}).content.decode()
    segment_select = body.split('name="segment"')[1].split("</select>")[0]
    # Plain names (a closed select shows no indentation), the tree depth in data-level.
    options = re.findall(
        r'<option value="(\d+)" data-level="(\d)"( selected)?>([^<]*)<', segment_select
    )
    assert options == [
        (str(world.portugal.pk), "0", "", "Portugal"),
        (str(world.lisbon.pk), "1", " selected", "Lisbon"),
        (str(world.store1.pk), "2", "", "Lisbon Store 1"),
        (str(world.store2.pk), "2", "", "Lisbon Store 2"),
        (str(world.italy.pk), "0", "", "Italy"),
    ]
    assert "\u00a0" not in segment_select and "&nbsp;" not in segment_select
    owner_select = body.split('name="owner"')[1].split("</select>")[0]
    labels = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', owner_select)
    assert labels == [
        ("", "Anyone"),
        ("none", "Unassigned"),
        (str(world.italy_manager.pk), "Italymgr"),
        (str(world.manager.pk), "Manager"),
        (str(world.manager2.pk), "Manager2"),
    ]
    # The admin and the coach manage nothing, so they are not offered.
    assert str(world.admin.pk) not in {pk for pk, _ in labels}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"status": "bogus"}, "Unknown status &#x27;bogus&#x27;"),
        ({"priority": "urgent"}, "Unknown priority &#x27;urgent&#x27;"),
        ({"created_from": "yesterday"}, "Not a date (YYYY-MM-DD): &#x27;yesterday&#x27;"),
        (
            {"created_from": "2025-02-10", "created_to": "2025-02-01"},
            "The start date is after the end date.",
        ),
        ({"segment": "999999"}, "No such segment."),
        ({"segment": "abc"}, "Not a segment id: &#x27;abc&#x27;"),
        ({"owner": "<b>x</b>"}, "Not a user id: &#x27;&lt;b&gt;x&lt;/b&gt;&#x27;"),
    ],
)
def test_bad_filter_values_give_400_with_the_message_near_the_filters(
    world, as_user, scene, params, message
):
    r = as_user(world.admin).get(LIST, params)
    assert r.status_code == 400
    body = r.content.decode()
    errors = body.split('class="errorlist filter-errors"')[1].split("</ul>")[0]
    assert message in errors
    assert "<b>x</b>" not in body
    assert 'id="results"' not in body
    assert "correct the filters above" in body


def test_filter_by_a_segment_of_another_organization_is_rejected(world, as_user):
    from caredesk.workspaces import services as ws

    foreign = ws.segment_create(organization=world.other_org, name="Foreign")
    r = as_user(world.admin).get(LIST, {"segment": foreign.pk})
    assert r.status_code == 400
    assert "No such segment." in r.content.decode()


# --------------------------------------------------------------------------- overview


def test_overview_counts_follow_the_filters_and_link_to_the_status(world, as_user, scene):
    world.make_case(world.support, segment=world.store1, status="open", days_ago=6)
    r = as_user(world.admin).get(LIST)
    assert r.context["summary"] == {
        "new": 1,
        "open": 2,
        "escalated": 1,
        "resolved": 1,
        "closed": 1,
        "total": 6,
    }
    body = r.content.decode()
    stats = body.split('class="stats"')[1].split("</div>")[0]
    found = re.findall(
        r'data-status="(\w*)">\s*<span class="n">(\d+)</span><span>(\w+)</span>', stats
    )
    assert found == [
        ("new", "1", "New"),
        ("open", "2", "Open"),
        ("escalated", "1", "Escalated"),
        ("resolved", "1", "Resolved"),
        ("closed", "1", "Closed"),
        ("", "6", "Total"),
    ]
    assert 'href="/w/support/tickets/?created_from=' in stats and "&amp;status=open" in stats

    r = as_user(world.admin).get(LIST, {"segment": world.lisbon.pk})
    assert r.context["summary"] == {
        "new": 1,
        "open": 2,
        "escalated": 1,
        "resolved": 0,
        "closed": 0,
        "total": 4,
    }
    # Clicking a count keeps the other filters and adds the status.
    link = dict((s[0], s[3]) for s in r.context["stat_links"])["open"]
    assert f"segment={world.lisbon.pk}" in link and "status=open" in link
    r2 = as_user(world.admin).get(link)
    assert [c.status for c in r2.context["page"].items] == ["open", "open"]


def test_overview_for_a_manager_counts_only_their_area(world, as_user, scene):
    r = as_user(world.manager).get(LIST)
    assert r.context["summary"] == {
        "new": 1,
        "open": 1,
        "escalated": 1,
        "resolved": 0,
        "closed": 0,
        "total": 3,
    }
    assert scene.italy_res.number not in numbers(r)


# --------------------------------------------------------------------------- pagination


def test_keyset_pagination_newer_and_older_keep_the_filters(world, as_user):
    now = timezone.now()
    cases = [
        world.make_case(
            world.support,
            segment=world.lisbon,
            status="open",
            reported_at=now - dt.timedelta(minutes=i),
        )
        for i in range(PAGE_SIZE + 7)
    ]
    world.make_case(world.support, segment=world.lisbon, status="new")  # filtered out
    client = as_user(world.admin)
    r = client.get(LIST, {"status": "open"})
    assert numbers(r) == [c.number for c in cases[:PAGE_SIZE]]
    assert r.context["newer_link"] == ""
    older = r.context["older_link"]
    assert "status=open" in older and "after=" in older and "created_from=" in older
    assert 'rel="next"' in r.content.decode()

    r = client.get(older)
    assert numbers(r) == [c.number for c in cases[PAGE_SIZE:]]
    assert r.context["older_link"] == ""
    newer = r.context["newer_link"]
    assert "status=open" in newer and "before=" in newer

    r = client.get(newer)
    assert numbers(r) == [c.number for c in cases[:PAGE_SIZE]]
    assert r.context["newer_link"] == ""
    assert r.context["older_link"]


# --------------------------------------------------------------------------- export


def test_export_link_carries_the_filters_and_needs_export_permission(world, as_user, scene):
    r = as_user(world.admin).get(LIST, {"status": "open", "segment": world.lisbon.pk})
    body = r.content.decode()
    href = re.search(r'id="export-link" href="([^"]+)"', body).group(1)
    today = timezone.localdate()
    assert href == (
        f"/w/support/tickets/export.xlsx?created_from={(today - dt.timedelta(days=29)).isoformat()}"
        f"&amp;created_to={today.isoformat()}&amp;status=open&amp;segment={world.lisbon.pk}"
    )
    # The coach has the inbox but not export_cases: no button, and the URL is forbidden.
    r = as_user(world.coach).get(LIST)
    assert r.status_code == 200
    assert "export-link" not in r.content.decode() and "Download Excel" not in r.content.decode()
    assert as_user(world.coach).get("/w/support/tickets/export.xlsx").status_code == 403


def test_export_view_hands_the_parsed_filters_to_the_exporter(world, as_user, monkeypatch):
    seen = {}

    def fake(access, filters):
        seen["user"], seen["filters"] = access.user, filters
        return HttpResponse(b"xlsx", content_type="application/octet-stream")

    monkeypatch.setattr(ticket_views, "cases_xlsx_response", fake)
    r = as_user(world.admin).get(
        "/w/support/tickets/export.xlsx", {"status": "open", "owner": "none"}
    )
    assert r.status_code == 200 and r.content == b"xlsx"
    assert seen["user"] == world.admin
    assert seen["filters"].status == "open" and seen["filters"].unassigned is True
    r = as_user(world.admin).get("/w/support/tickets/export.xlsx", {"status": "nope"})
    assert r.status_code == 400


# --------------------------------------------------------------------------- create


def new_ticket_data(world, **over):
    data = {
        "customer_email": "Jane@Example.com",
        "priority": "high",
        "status": "open",
        "segment": str(world.store2.pk),
        "owner": str(world.manager2.pk),
        "comment": "Called about a broken order",
        "customer_comment": "Nobody answers <the phone>",
        "next": "http://testserver/w/support/tickets/?status=open&open=3&after=abc",
    }
    data.update(over)
    return data


def test_new_ticket_form_renders_in_the_dialog(world, as_user):
    r = as_user(world.admin).get("/w/support/tickets/new/", **HX)
    assert r.status_code == 200
    body = r.content.decode()
    assert '<h2 id="new-ticket-title">New ticket</h2>' in body and "<html" not in body
    for name in (
        "customer_email",
        "priority",
        "status",
        "segment",
        "owner",
        "comment",
        "customer_comment",
    ):
        assert f'name="{name}"' in body
    assert body.count('<select name="owner"') == 1
    assert "Managers of the selected segment." in body
    assert "{#" not in body and "{%" not in body  # no template source leaks into the page
    # Without htmx it is a whole page.
    r = as_user(world.admin).get("/w/support/tickets/new/")
    assert r.status_code == 200 and "<html" in r.content.decode()


def test_create_ticket_success(world, as_user):
    client = as_user(world.admin)
    r = client.post("/w/support/tickets/new/", new_ticket_data(world), **HX)
    assert r.status_code == 204
    # Back to the list as it was, without the open dialog or the page cursor.
    assert r["HX-Redirect"] == "/w/support/tickets/?status=open"
    case = Case.objects.get(workspace=world.support)
    assert (
        case.customer_email,
        case.priority,
        case.status,
        case.segment,
        case.source_segment,
        case.owner,
        case.customer_comment,
        case.created_by,
    ) == (
        "jane@example.com",
        "high",
        "open",
        world.store2,
        world.store2,
        world.manager2,
        "Nobody answers <the phone>",
        world.admin,
    )
    assert [c.body for c in CaseComment.objects.filter(case=case)] == [
        "Called about a broken order"
    ]
    r = client.get("/w/support/tickets/?status=open")
    assert f"Ticket #{case.number} created." in r.content.decode()
    assert numbers(r) == [case.number]


def test_create_ticket_without_htmx_redirects(world, as_user):
    r = as_user(world.admin).post("/w/support/tickets/new/", new_ticket_data(world, next=""))
    assert r.status_code == 302 and r["Location"] == "/w/support/tickets/"
    assert Case.objects.filter(workspace=world.support).count() == 1


def test_create_ticket_preselects_the_only_manager(world, as_user):
    r = as_user(world.admin).post(
        "/w/support/tickets/new/",
        new_ticket_data(world, segment=str(world.lisbon.pk), owner=""),
        **HX,
    )
    assert r.status_code == 204
    assert Case.objects.get(workspace=world.support).owner == world.manager


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"comment": "   "}, "comment", "A comment saying why the ticket is created is required."),
        (
            {"customer_email": "not-an-email"},
            "customer_email",
            "Not a valid email address: &#x27;not-an-email&#x27;",
        ),
        (
            {"segment": "", "owner": ""} | {"customer_email": "a@@b"},
            "customer_email",
            "Not a valid email address: &#x27;a@@b&#x27;",
        ),
        (
            {"segment": None, "owner": None},
            "owner",
            "The owner must be a manager of the selected segment.",
        ),
    ],
)
def test_create_ticket_errors_are_shown_and_nothing_is_created(
    world, as_user, over, field, message
):
    if over.get("segment", "") is None:  # owner not managing the segment
        over = {"segment": str(world.lisbon.pk), "owner": str(world.manager2.pk)}
    data = new_ticket_data(world, **over)
    r = as_user(world.admin).post("/w/support/tickets/new/", data, **HX)
    assert r.status_code == 400
    body = r.content.decode()
    assert f'<span class="field-error">{message}</span>' in body
    assert "The ticket was not created." in body
    # What was typed is still there.
    assert "Nobody answers &lt;the phone&gt;</textarea>" in body
    assert f'<option value="{data["priority"]}" selected>' in body
    assert Case.objects.count() == 0
    assert CaseComment.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_owner_options_for_a_segment(world, as_user):
    client = as_user(world.admin)
    url = "/w/support/tickets/owners/"
    body = client.get(url, {"segment": world.lisbon.pk}, **HX).content.decode()
    assert f'<option value="{world.manager.pk}" selected>Manager</option>' in body
    body = client.get(url, {"segment": world.store2.pk}, **HX).content.decode()
    assert re.findall(r'<option value="(\d+)"( selected)?>', body) == [
        (str(world.manager.pk), ""),
        (str(world.manager2.pk), ""),
    ]
    body = client.get(
        url, {"segment": world.store2.pk, "owner": world.manager2.pk}, **HX
    ).content.decode()
    assert f'<option value="{world.manager2.pk}" selected>Manager2</option>' in body
    body = client.get(url, {"segment": world.store1.pk}, **HX).content.decode()
    assert (
        "No manager for this segment" in body
        and '<option value="' + str(world.manager.pk) not in body
    )
    body = client.get(url, {"segment": ""}, **HX).content.decode()
    assert "Choose a segment first" in body


# --------------------------------------------------------------------------- update dialog


def detail(number):
    return f"/w/support/tickets/{number}/"


def test_update_dialog_shows_the_ticket_facts(world, as_user):
    case = world.make_case(
        world.support,
        segment=world.lisbon,
        owner=world.manager,
        status="open",
        customer_email="who@x.io",
        customer_comment="Slow service",
    )
    r = as_user(world.admin).get(detail(case.number), **HX)
    assert r.status_code == 200
    body = r.content.decode()
    assert f"Ticket #{case.number}" in body
    assert "{#" not in body and "{%" not in body
    assert 'hx-include="#f-owner, #f-orig-segment, #f-orig-owner"' in body
    for fact in (
        "Response ID",
        "who@x.io",
        "Source segment",
        "Current segment",
        "Slow service",
        "Reported on",
        "Update ticket",
        "Comments",
        "Log",
    ):
        assert fact in body
    assert f'<option value="{world.manager.pk}" selected>Manager</option>' in body
    assert '<option value="open" selected>Open</option>' in body
    # Without htmx the list opens the dialog itself.
    r = as_user(world.admin).get(detail(case.number))
    assert r.status_code == 302 and r["Location"] == f"/w/support/tickets/?open={case.number}"
    r = as_user(world.admin).get(LIST, {"open": case.number})
    body = r.content.decode()
    assert '<dialog id="ticket-dialog" aria-label="Ticket" data-open>' in body
    assert 'id="update-ticket-form"' in body


def test_update_requires_a_comment_and_saves_nothing_without_it(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager, status="new")
    r = as_user(world.admin).post(
        detail(case.number),
        {
            "priority": "critical",
            "status": "open",
            "segment": world.lisbon.pk,
            "owner": world.manager.pk,
            "comment": " ",
        },
        **HX,
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert '<span class="field-error">A comment is required with every update.</span>' in body
    assert "Nothing was saved." in body
    # The dialog keeps what was chosen.
    assert '<option value="critical" selected>Critical</option>' in body
    case.refresh_from_db()
    assert (case.status, case.priority) == ("new", "medium")
    assert CaseComment.objects.filter(case=case).count() == 0
    assert AuditEntry.objects.count() == 0


def test_update_changes_are_audited_and_shown_in_comments_and_log(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager, status="new")
    r = as_user(world.admin).post(
        detail(case.number),
        {
            "priority": "high",
            "status": "open",
            "segment": world.lisbon.pk,
            "owner": world.manager.pk,
            "comment": "Called the customer back",
        },
        **HX,
    )
    assert r.status_code == 200
    assert r["HX-Trigger"] == "tickets-changed"
    case.refresh_from_db()
    assert (case.status, case.priority, case.owner) == ("open", "high", world.manager)
    entries = list(
        AuditEntry.objects.filter(object_id=case.pk).values_list(
            "actor__username", "action", "field", "old_value", "new_value"
        )
    )
    # Only what changed: priority and status, not segment or owner.
    assert sorted(entries) == [
        ("admin", "updated", "priority", "medium", "high"),
        ("admin", "updated", "status", "new", "open"),
    ]
    body = r.content.decode()
    assert f"Ticket #{case.number} updated." in body
    comments = body.split('data-panel="comments"')[1].split('data-panel="log"')[0]
    assert '<div class="body">Called the customer back</div>' in comments
    log = body.split('data-panel="log"')[1]
    assert (
        '<span class="field">Status</span> <span class="old">New</span> → '
        '<span class="new">Open</span>'
    ) in log
    assert (
        '<span class="field">Priority</span> <span class="old">Medium</span> → '
        '<span class="new">High</span>'
    ) in log
    assert "<b>Admin</b>" in log


def test_log_shows_system_for_automatic_changes(world, as_user):
    case = world.make_case(
        world.support,
        segment=world.lisbon,
        status="open",
        last_activity_at=timezone.now() - dt.timedelta(days=30),
    )
    services.cases_close_inactive()
    body = as_user(world.admin).get(detail(case.number), **HX).content.decode()
    log = body.split('data-panel="log"')[1]
    # The action in words, not its code (issue 12).
    assert "<b>System</b>" in log and "Closed automatically" in log and "auto_closed" not in log
    comments = body.split('data-panel="comments"')[1].split('data-panel="log"')[0]
    assert "<b>System</b>" in comments


def test_update_segment_auto_selects_the_only_manager(world, as_user):
    case = world.make_case(world.support, segment=world.store1, owner=None)
    r = as_user(world.admin).post(
        detail(case.number),
        {
            "priority": "medium",
            "status": "new",
            "segment": world.lisbon.pk,
            "owner": "",
            "comment": "Moving to Lisbon",
        },
        **HX,
    )
    assert r.status_code == 200
    case.refresh_from_db()
    assert (case.segment, case.source_segment, case.owner) == (
        world.lisbon,
        world.store1,
        world.manager,
    )
    entries = sorted(
        AuditEntry.objects.filter(object_id=case.pk).values_list("field", "old_value", "new_value")
    )
    assert entries == [("owner", "", "manager"), ("segment", "Lisbon Store 1", "Lisbon")]


def test_update_with_an_owner_who_does_not_manage_the_segment_fails(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager)
    r = as_user(world.admin).post(
        detail(case.number),
        {
            "priority": "medium",
            "status": "new",
            "segment": world.italy.pk,
            "owner": world.manager.pk,
            "comment": "Move",
        },
        **HX,
    )
    assert r.status_code == 400
    assert "The owner must be a manager of the selected segment." in r.content.decode()
    case.refresh_from_db()
    assert (case.segment, case.owner) == (world.lisbon, world.manager)
    assert AuditEntry.objects.count() == 0


def test_update_keeps_an_owner_who_is_not_a_segment_manager_when_untouched(world, as_user):
    case = world.make_case(world.support, segment=world.store1, owner=world.admin)
    body = as_user(world.admin).get(detail(case.number), **HX).content.decode()
    assert f'<option value="{world.admin.pk}" selected>Admin (not a manager here)</option>' in body
    r = as_user(world.admin).post(
        detail(case.number),
        {
            "priority": "low",
            "status": "new",
            "segment": world.store1.pk,
            "owner": world.admin.pk,
            "comment": "Lower priority",
        },
        **HX,
    )
    assert r.status_code == 200
    case.refresh_from_db()
    assert (case.priority, case.owner) == ("low", world.admin)


def test_update_without_htmx_redirects_to_the_open_dialog(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager)
    r = as_user(world.admin).post(
        detail(case.number),
        {
            "priority": "medium",
            "status": "resolved",
            "segment": world.lisbon.pk,
            "owner": world.manager.pk,
            "comment": "Done",
            "resolution_reason": "resolved_contacted",
        },
    )
    assert r.status_code == 302 and r["Location"] == f"/w/support/tickets/?open={case.number}"
    case.refresh_from_db()
    assert (case.status, case.resolution_reason) == ("resolved", "resolved_contacted")


# --------------------------------------------------------------------------- assign to me


def test_assign_to_me_button_and_action_for_an_admin(world, as_user):
    case = world.make_case(world.support, segment=world.store1, owner=None)
    client = as_user(world.admin)
    body = client.get(LIST).content.decode()
    assert f'action="/w/support/tickets/{case.number}/assign-to-me/"' in body
    r = client.post(
        f"/w/support/tickets/{case.number}/assign-to-me/",
        {"next": "/w/support/tickets/?owner=none"},
    )
    assert r.status_code == 302 and r["Location"] == "/w/support/tickets/?owner=none"
    case.refresh_from_db()
    assert case.owner == world.admin
    assert list(
        AuditEntry.objects.filter(object_id=case.pk).values_list("action", "field", "new_value")
    ) == [("assigned", "owner", "admin")]
    # Now owned: no second assignment.
    r = client.post(f"/w/support/tickets/{case.number}/assign-to-me/")
    assert r.status_code == 302
    assert "already owned" in client.get(LIST).content.decode()


def test_assign_to_me_is_forbidden_without_manage_care(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, owner=None)
    client = as_user(world.manager)
    body = client.get(LIST).content.decode()
    assert "Assign to me" not in body and ">Unassigned</span>" in body
    r = client.post(f"/w/support/tickets/{case.number}/assign-to-me/")
    assert r.status_code == 403
    case.refresh_from_db()
    assert case.owner is None


# --------------------------------------------------------------------------- access


def test_agent_without_inbox_access_gets_the_403_page(world, as_user):
    r = as_user(world.agent).get(LIST)
    assert r.status_code == 403
    assert "You don't have access to this" in r.content.decode()
    refusal = "You need access to tickets. Ask an admin of this workspace: Admin."
    assert refusal in r.content.decode()
    assert as_user(world.agent).get("/w/support/tickets/new/").status_code == 403


def test_manager_gets_404_for_a_ticket_outside_their_area(world, as_user):
    italy = world.make_case(world.support, segment=world.italy)
    client = as_user(world.manager)
    assert client.get(detail(italy.number), **HX).status_code == 404
    assert (
        client.post(detail(italy.number), {"comment": "x", "status": "closed"}, **HX).status_code
        == 404
    )
    assert client.get(LIST, {"open": italy.number}).status_code == 404
    italy.refresh_from_db()
    assert italy.status == "new"
    assert italy.number not in numbers(client.get(LIST))


def test_outsider_gets_404(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, customer_email="acme-only@x.io")
    client = as_user(world.outsider)
    # /w/support/ is the outsider's own organization's workspace of that name: empty for them.
    r = client.get(LIST)
    assert r.status_code == 200 and numbers(r) == []
    assert "acme-only@x.io" not in r.content.decode()
    assert client.get(detail(case.number), **HX).status_code == 404
    assert client.get(LIST, {"open": case.number}).status_code == 404
    assert (
        client.post(detail(case.number), {"comment": "x", "status": "closed"}, **HX).status_code
        == 404
    )
    # Acme's other workspace does not exist for them at all.
    assert client.get("/w/sales/tickets/").status_code == 404
    assert client.get("/w/sales/tickets/export.xlsx").status_code == 404
    case.refresh_from_db()
    assert case.status == "new"


def test_login_required(world, client):
    r = client.get(LIST)
    assert r.status_code == 302 and r["Location"].startswith("/login/")


# --------------------------------------------------------------------------- escaping


def test_customer_text_is_escaped_in_the_list_and_the_dialog(world, as_user):
    evil = (
        '<script>alert("x")</script><img src=x onerror=alert(1)>'
        + " and then nobody called me back at all"
    )
    case = world.make_case(world.support, segment=world.lisbon, customer_comment=evil)
    access = get_access(world.admin, "support")
    services.case_update(access=access, case=case, comment="<b>bold</b> claim", status="open")
    r = as_user(world.admin).get(LIST)
    body = r.content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    row = body.split(f'id="ticket-{case.number}"')[1].split("</tr>")[0]
    escaped = (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        " and then nobody called me back at all"
    )
    assert f'title="{escaped}"' in row
    # Truncated to 80 characters in the cell, the full text in the title.
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        " and then nobody called …</td>"
    ) in row

    body = as_user(world.admin).get(detail(case.number), **HX).content.decode()
    assert "<script>alert" not in body and "<b>bold</b>" not in body
    assert f'<dd class="customer-comment">{escaped}</dd>' in body
    assert '<div class="body">&lt;b&gt;bold&lt;/b&gt; claim</div>' in body


def test_export_download_is_an_xlsx_of_the_filtered_tickets(world, as_user):
    world.make_case(world.support, segment=world.lisbon, status="new")
    r = as_user(world.admin).get("/w/support/tickets/export.xlsx", {"status": "new"})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"].startswith('attachment; filename="tickets-support-')
