import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from caredesk.care.models import Tag

from .conftest import BASE, numbers

UTC = dt.UTC


def at(y, m, d, hh=12, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=UTC)


@pytest.fixture
def scene(world):
    """Tickets inside the default 30-day window, plus one 40 days old."""
    mk = world.make_case
    s = type("Scene", (), {})()
    s.lisbon_high = mk(
        world.support,
        segment=world.lisbon,
        priority="high",
        status="open",
        days_ago=1,
        customer_email="ana@example.com",
        origin="email",
    )
    s.store1_new = mk(
        world.support,
        segment=world.store1,
        priority="low",
        days_ago=2,
        owner=world.manager,
        customer_email="bob@example.com",
    )
    s.store2_esc = mk(
        world.support,
        segment=world.store2,
        priority="critical",
        status="escalated",
        days_ago=3,
        owner=world.manager2,
        origin="chat",
    )
    s.italy_open = mk(
        world.support,
        segment=world.italy,
        status="open",
        days_ago=4,
        owner=world.italy_manager,
        customer_email="ana@example.com",
    )
    s.portugal_resolved = mk(world.support, segment=world.portugal, status="resolved", days_ago=5)
    s.unsegmented_closed = mk(world.support, status="closed", days_ago=6, origin="call")
    s.old = mk(world.support, segment=world.lisbon, days_ago=40)
    s.sales = mk(world.sales, segment=world.lisbon, days_ago=1)  # another workspace
    return s


def n(*cases):
    return [c.number for c in cases]


def test_default_is_last_30_days_newest_first(scene, admin_api):
    r = admin_api.get(f"{BASE}/tickets")
    s = scene
    assert numbers(r) == n(
        s.lisbon_high,
        s.store1_new,
        s.store2_esc,
        s.italy_open,
        s.portugal_resolved,
        s.unsegmented_closed,
    )
    assert r.json()["next_cursor"] is None
    assert r.json()["prev_cursor"] is None


def test_ticket_json_shape(scene, world, admin_api):
    case = scene.store1_new
    case.tags.set(
        [
            Tag.objects.create(workspace=world.support, name="vip"),
            Tag.objects.create(workspace=world.support, name="angry"),
        ]
    )
    r = admin_api.get(f"{BASE}/tickets", {"owner": world.manager.pk})
    (item,) = r.json()["items"]
    assert item == {
        "number": case.number,
        "title": "",
        "customer_email": "bob@example.com",
        "contact_id": case.contact_id,
        "source_segment": {"id": world.store1.pk, "name": "Lisbon Store 1"},
        "segment": {"id": world.store1.pk, "name": "Lisbon Store 1"},
        "owner": {"id": world.manager.pk, "username": "manager", "name": "Manager"},
        "priority": "low",
        "status": "new",
        "origin": "manual",
        "reported_at": item["reported_at"],
        "customer_comment": "",
        "tags": ["angry", "vip"],
        "updated_at": item["updated_at"],
        "closed_at": None,
        "response": None,
        "resolution_reason": "",
        "resolution_note": "",
        "shares": [],
        "todos": [],
        "about_agent": None,
    }
    # JSON datetimes carry milliseconds.
    reported = dt.datetime.fromisoformat(item["reported_at"].replace("Z", "+00:00"))
    assert abs(reported - case.reported_at) < dt.timedelta(milliseconds=1)
    assert admin_api.get(f"{BASE}/tickets/{case.number}").json() == item


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "open"}, ["lisbon_high", "italy_open"]),
        ({"status": "escalated"}, ["store2_esc"]),
        ({"priority": "critical"}, ["store2_esc"]),
        ({"priority": "medium"}, ["italy_open", "portugal_resolved", "unsegmented_closed"]),
        ({"origin": "chat"}, ["store2_esc"]),
        ({"origin": "call"}, ["unsegmented_closed"]),
        ({"customer_email": "ana@example.com"}, ["lisbon_high", "italy_open"]),
        ({"customer_email": " ANA@example.com "}, ["lisbon_high", "italy_open"]),
        ({"owner": "none"}, ["lisbon_high", "portugal_resolved", "unsegmented_closed"]),
        (
            {"status": "open", "customer_email": "ana@example.com", "priority": "high"},
            ["lisbon_high"],
        ),
    ],
)
def test_list_filters(scene, admin_api, params, expected):
    r = admin_api.get(f"{BASE}/tickets", params)
    assert numbers(r) == [getattr(scene, name).number for name in expected]


def test_filter_by_owner(scene, world, admin_api):
    assert numbers(admin_api.get(f"{BASE}/tickets", {"owner": world.manager2.pk})) == n(
        scene.store2_esc
    )


def test_filter_by_segment_takes_in_descendants(scene, world, admin_api):
    s = scene
    got = numbers(admin_api.get(f"{BASE}/tickets", {"segment": world.lisbon.pk}))
    assert got == n(s.lisbon_high, s.store1_new, s.store2_esc)
    got = numbers(admin_api.get(f"{BASE}/tickets", {"segment": world.portugal.pk}))
    assert got == n(s.lisbon_high, s.store1_new, s.store2_esc, s.portugal_resolved)
    got = numbers(admin_api.get(f"{BASE}/tickets", {"segment": world.store2.pk}))
    assert got == n(s.store2_esc)


def test_date_range_is_inclusive_and_old_tickets_are_reachable(scene, world, admin_api):
    mk = world.make_case
    first = mk(world.support, reported_at=at(2024, 3, 1, 0, 0))
    last = mk(world.support, reported_at=at(2024, 3, 31, 23, 59))
    mk(world.support, reported_at=at(2024, 2, 29, 23, 59))
    mk(world.support, reported_at=at(2024, 4, 1, 0, 0))
    r = admin_api.get(f"{BASE}/tickets", {"created_from": "2024-03-01", "created_to": "2024-03-31"})
    assert numbers(r) == n(last, first)
    # The 40-day-old ticket is outside the default window but found with explicit dates.
    day = timezone.localdate(scene.old.reported_at).isoformat()
    r = admin_api.get(f"{BASE}/tickets", {"created_from": day, "created_to": day})
    assert numbers(r) == n(scene.old)
    # Only a start date: up to today.
    r = admin_api.get(f"{BASE}/tickets", {"created_from": day})
    assert scene.old.number in numbers(r)
    assert len(numbers(r)) == 7


@pytest.mark.parametrize(
    "params, field, status",
    [
        ({"status": "pending"}, "status", 400),
        ({"priority": "urgent"}, "priority", 400),
        ({"origin": "fax"}, "origin", 400),
        ({"created_from": "03/01/2024"}, "created_from", 400),
        ({"created_from": "2024-03-02", "created_to": "2024-03-01"}, "created_from", 400),
        ({"segment": "abc"}, "segment", 400),
        ({"segment": "999999"}, "segment", 400),
        ({"owner": "someone"}, "owner", 400),
        ({"owner": "999999"}, "owner", 400),
        ({"limit": "0"}, "limit", 422),
        ({"limit": "201"}, "limit", 422),
        ({"limit": "ten"}, "limit", 422),
        ({"cursor": "!!garbage!!"}, "cursor", 400),
    ],
)
def test_bad_filters_name_the_field(world, admin_api, params, field, status):
    r = admin_api.get(f"{BASE}/tickets", params)
    assert r.status_code == status, r.content
    body = r.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == [field]
    assert body["detail"].startswith(f"{field}: ")


def test_segment_of_another_organization_is_unknown(world, admin_api):
    from caredesk.workspaces.services import segment_create

    foreign = segment_create(organization=world.other_org, name="Elsewhere")
    r = admin_api.get(f"{BASE}/tickets", {"segment": foreign.pk})
    assert r.status_code == 400
    assert r.json()["errors"] == {"segment": "No such segment."}


def test_keyset_pagination_forward_and_back(world, admin_api):
    base = timezone.now() - dt.timedelta(hours=1)
    cases = [
        world.make_case(world.support, reported_at=base - dt.timedelta(minutes=i)) for i in range(5)
    ]
    # Three tickets sharing one timestamp: the id breaks the tie.
    same = base - dt.timedelta(minutes=10)
    cases += [world.make_case(world.support, reported_at=same) for _ in range(3)]
    expected = [c.number for c in sorted(cases, key=lambda c: (c.reported_at, c.pk), reverse=True)]
    assert len(expected) == 8

    p1 = admin_api.get(f"{BASE}/tickets", {"limit": 3}).json()
    assert p1["prev_cursor"] is None and p1["next_cursor"]
    p2 = admin_api.get(f"{BASE}/tickets", {"limit": 3, "cursor": p1["next_cursor"]}).json()
    assert p2["prev_cursor"] and p2["next_cursor"]
    p3 = admin_api.get(f"{BASE}/tickets", {"limit": 3, "cursor": p2["next_cursor"]}).json()
    assert p3["next_cursor"] is None and p3["prev_cursor"]
    pages = [[t["number"] for t in p["items"]] for p in (p1, p2, p3)]
    assert [len(p) for p in pages] == [3, 3, 2]
    assert pages[0] + pages[1] + pages[2] == expected  # no duplicates, no gaps, in order

    back2 = admin_api.get(f"{BASE}/tickets", {"limit": 3, "before": p3["prev_cursor"]}).json()
    assert [t["number"] for t in back2["items"]] == pages[1]
    assert back2["next_cursor"] == p2["next_cursor"]
    back1 = admin_api.get(f"{BASE}/tickets", {"limit": 3, "before": back2["prev_cursor"]}).json()
    assert [t["number"] for t in back1["items"]] == pages[0]
    assert back1["prev_cursor"] is None
    assert back1["next_cursor"] == p1["next_cursor"]


def test_pagination_keeps_filters(world, admin_api):
    opened = [world.make_case(world.support, status="open", days_ago=i + 1) for i in range(4)]
    for i in range(4):
        world.make_case(world.support, status="new", days_ago=i + 1)
    p1 = admin_api.get(f"{BASE}/tickets", {"limit": 2, "status": "open"}).json()
    p2 = admin_api.get(
        f"{BASE}/tickets", {"limit": 2, "status": "open", "cursor": p1["next_cursor"]}
    ).json()
    got = [t["number"] for t in p1["items"] + p2["items"]]
    assert got == [c.number for c in opened]
    assert p2["next_cursor"] is None


def test_list_avoids_n_plus_one(world, admin_api, django_assert_max_num_queries):
    vip = Tag.objects.create(workspace=world.support, name="vip")
    for i in range(30):
        c = world.make_case(
            world.support, segment=world.store2, owner=world.manager, days_ago=1 + i % 5
        )
        c.tags.add(vip)
    admin_api.get(f"{BASE}/tickets")  # warm up (token lookups etc. are the same every time)
    with django_assert_max_num_queries(12):
        r = admin_api.get(f"{BASE}/tickets")
    assert len(r.json()["items"]) == 30
    assert all(t["tags"] == ["vip"] for t in r.json()["items"])


def test_summary_counts(scene, world, admin_api):
    r = admin_api.get(f"{BASE}/tickets/summary")
    assert r.status_code == 200
    assert r.json() == {"new": 1, "open": 2, "escalated": 1, "resolved": 1, "closed": 1, "total": 6}
    r = admin_api.get(f"{BASE}/tickets/summary", {"segment": world.lisbon.pk})
    assert r.json() == {"new": 1, "open": 1, "escalated": 1, "resolved": 0, "closed": 0, "total": 3}
    r = admin_api.get(f"{BASE}/tickets/summary", {"status": "pending"})
    assert r.status_code == 400
    assert list(r.json()["errors"]) == ["status"]


def test_manager_sees_only_management_area_and_own(scene, world, api_client):
    s = scene
    own_italy = world.make_case(world.support, segment=world.italy, owner=world.manager, days_ago=7)
    c = api_client(world.manager)
    got = numbers(c.get(f"{BASE}/tickets"))
    # Lisbon subtree (Lisbon, Store 1, Store 2) and the ticket the manager owns; not Portugal,
    # not Italy, not the unsegmented one.
    assert got == n(s.lisbon_high, s.store1_new, s.store2_esc, own_italy)
    assert c.get(f"{BASE}/tickets/summary").json()["total"] == 4
    r = c.get(f"{BASE}/tickets/{s.italy_open.number}")
    assert r.status_code == 404
    assert r.json() == {"detail": "No such ticket"}
    assert c.get(f"{BASE}/tickets/{s.italy_open.number}/comments").status_code == 404
    assert c.get(f"{BASE}/tickets/{s.italy_open.number}/logs").status_code == 404
    assert c.get(f"{BASE}/tickets/{own_italy.number}").status_code == 200
    assert c.get(f"{BASE}/tickets/{s.portugal_resolved.number}").status_code == 404


def test_ticket_of_another_workspace_is_404(scene, admin_api):
    numbers_in_support = numbers(admin_api.get(f"{BASE}/tickets"))
    missing = max(numbers_in_support) + 100
    r = admin_api.get(f"{BASE}/tickets/{missing}")
    assert r.status_code == 404


def test_non_integer_ticket_number_is_422(world, admin_api):
    r = admin_api.get(f"{BASE}/tickets/abc")
    assert r.status_code == 422
    assert list(r.json()["errors"]) == ["number"]


# -- Excel export ---------------------------------------------------------------------------


def _sheet(response):
    assert response.status_code == 200, response.content
    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _naive_utc(value):
    return value.astimezone(UTC).replace(tzinfo=None) if value else None


def _close(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) < dt.timedelta(seconds=1)


def test_export_matches_the_filtered_list(scene, world, admin_api):
    params = {"segment": world.portugal.pk}
    r = admin_api.get(f"{BASE}/tickets/export.xlsx", params)
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    today = timezone.localdate()
    start = today - dt.timedelta(days=29)
    assert r["Content-Disposition"] == (
        f'attachment; filename="tickets-support-{start.isoformat()}-{today.isoformat()}.xlsx"'
    )
    sheet = _sheet(r)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Ticket",
        "Customer email",
        "Source segment",
        "Current segment",
        "Owner",
        "Priority",
        "Status",
        "Origin",
        "Reported on",
        "Customer comment",
        "Last updated",
        "Closed on",
    )
    listed = numbers(admin_api.get(f"{BASE}/tickets", params))
    assert [row[0] for row in rows[1:]] == listed
    s = scene
    assert listed == n(s.lisbon_high, s.store1_new, s.store2_esc, s.portugal_resolved)
    by_number = {row[0]: row for row in rows[1:]}
    row = by_number[s.store2_esc.number]
    assert row[1:8] == (
        s.store2_esc.customer_email,
        "Lisbon Store 2",
        "Lisbon Store 2",
        "Manager2",
        "Critical",
        "Escalated",
        "Chat",
    )
    assert isinstance(row[8], dt.datetime)
    assert _close(row[8], _naive_utc(s.store2_esc.reported_at))
    assert row[9] is None  # empty comment
    s.store2_esc.refresh_from_db()
    assert _close(row[10], _naive_utc(s.store2_esc.updated_at))
    assert row[11] is None
    row = by_number[s.lisbon_high.number]
    assert row[4] is None and row[5:8] == ("High", "Open", "Email")


def test_export_of_closed_ticket_has_closed_date(world, admin_api):
    closed_at = timezone.now() - dt.timedelta(hours=5)
    case = world.make_case(
        world.support, status="closed", days_ago=1, customer_comment="Never again"
    )
    type(case).objects.filter(pk=case.pk).update(closed_at=closed_at)
    rows = list(_sheet(admin_api.get(f"{BASE}/tickets/export.xlsx")).iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == case.number
    assert rows[1][9] == "Never again"
    assert _close(rows[1][11], _naive_utc(closed_at))


def test_export_respects_visibility_and_dates(scene, world, api_client):
    c = api_client(world.manager)  # managers have export_cases
    rows = list(_sheet(c.get(f"{BASE}/tickets/export.xlsx")).iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == numbers(c.get(f"{BASE}/tickets"))
    assert len(rows) == 4
    r = c.get(
        f"{BASE}/tickets/export.xlsx", {"created_from": "2020-01-01", "created_to": "2020-01-31"}
    )
    assert r["Content-Disposition"].endswith(
        'filename="tickets-support-2020-01-01-2020-01-31.xlsx"'
    )
    assert list(_sheet(r).iter_rows(values_only=True))[1:] == []


def test_export_needs_export_cases(world, api_client):
    r = api_client(world.coach).get(f"{BASE}/tickets/export.xlsx")
    assert r.status_code == 403
    assert r.json() == {
        "detail": "You need permission to download tickets to Excel."
        " Ask an admin of this workspace: Admin."
    }


def test_export_bad_filter_is_400(world, admin_api):
    r = admin_api.get(f"{BASE}/tickets/export.xlsx", {"status": "pending"})
    assert r.status_code == 400
    assert list(r.json()["errors"]) == ["status"]
