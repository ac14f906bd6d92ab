"""GET/PUT /business-hours and POST/DELETE /business-hours/holidays: the same rules as the
Settings page (manage_care; a bad field named, nothing changed)."""

import pytest

from caredesk.audit.models import AuditEntry
from caredesk.insights.models import BusinessHours, Holiday

BASE = "/api/v1/workspaces/support/business-hours"
WEEK = {"0": [["09:00", "12:30"], ["13:30", "18:00"]], "5": [["10:00", "14:00"]]}


def put(client, body, url=BASE):
    return client.put(url, body, content_type="application/json")


def post(client, body, url=f"{BASE}/holidays"):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def admin(world, api_client):
    return api_client(world.admin)


def state():
    return (
        list(BusinessHours.objects.values()),
        list(Holiday.objects.values()),
        AuditEntry.objects.count(),
    )


def test_unset_hours_read_as_the_suggested_week(world, admin):
    r = admin.get(BASE)
    assert r.status_code == 200
    assert r.json() == {
        "configured": False,
        "time_zone": "UTC",
        "week": {
            **{str(d): [["09:00", "17:00"]] for d in range(5)},
            "5": [],
            "6": [],
        },
        "first_response_target_minutes": 60,
        "resolution_target_hours": 24,
        "holidays": [],
    }


def test_replacing_the_week_and_targets(world, admin):
    r = put(
        admin, {"week": WEEK, "first_response_target_minutes": 15, "resolution_target_hours": 4}
    )
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["configured"] is True
    assert got["week"] == {
        "0": [["09:00", "12:30"], ["13:30", "18:00"]],
        "1": [],
        "2": [],
        "3": [],
        "4": [],
        "5": [["10:00", "14:00"]],
        "6": [],
    }
    assert (got["first_response_target_minutes"], got["resolution_target_hours"]) == (15, 4)
    assert admin.get(BASE).json() == got
    hours = BusinessHours.objects.get(workspace=world.support)
    assert AuditEntry.objects.filter(object_type="businesshours", object_id=hours.pk).count() == 3


@pytest.mark.parametrize(
    "body, field",
    [
        ({"week": {"2": [["10:00", "09:00"]]}}, "week.2"),
        ({"week": {"1": [["09:00", "13:00"], ["12:00", "14:00"]]}}, "week.1"),
        ({"week": {"3": [["09:00", "24:30"]]}}, "week.3"),
        ({"week": {"4": [["09:00"]]}}, "week.4"),
        ({"week": {"7": []}}, "week.7"),
        ({"first_response_target_minutes": 0}, "first_response_target_minutes"),
        ({"resolution_target_hours": 10**6}, "resolution_target_hours"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(world, admin, body, field):
    put(admin, {"week": WEEK, "first_response_target_minutes": 15, "resolution_target_hours": 4})
    before = state()
    full = {"week": WEEK, "first_response_target_minutes": 15, "resolution_target_hours": 4}
    r = put(admin, {**full, **body})
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"], r.json()
    assert state() == before


def test_holidays(world, admin):
    r = post(admin, {"date": "2026-12-25", "name": "Christmas"})
    assert r.status_code == 201, r.content
    created = r.json()
    assert created == {"id": created["id"], "date": "2026-12-25", "name": "Christmas"}
    assert admin.get(BASE).json()["holidays"] == [created]
    before = state()
    r = post(admin, {"date": "2026-12-25"})
    assert r.status_code == 400 and "date" in r.json()["errors"]
    r = post(admin, {"date": "2026-02-30"})
    assert r.status_code in (400, 422) and "date" in r.json()["errors"], r.content
    r = post(admin, {"date": "2026-12-26", "name": "x" * 101})
    assert r.status_code in (400, 422) and "name" in r.json()["errors"], r.content
    assert state() == before
    other = Holiday.objects.create(workspace=world.sales, date="2026-01-01")
    assert admin.delete(f"{BASE}/holidays/{other.pk}").status_code == 404
    assert admin.delete(f"{BASE}/holidays/{created['id']}").status_code == 204
    assert admin.delete(f"{BASE}/holidays/{created['id']}").status_code == 404
    assert list(Holiday.objects.values_list("pk", flat=True)) == [other.pk]


def test_refused_without_manage_care_or_outside_the_workspace(world, api_client):
    agent = api_client(world.agent)
    Holiday.objects.create(workspace=world.support, date="2026-05-01")
    h = Holiday.objects.get()
    before = state()
    assert agent.get(BASE).status_code == 403
    r = put(agent, {"week": WEEK, "first_response_target_minutes": 1, "resolution_target_hours": 1})
    assert r.status_code == 403
    assert post(agent, {"date": "2026-12-25"}).status_code == 403
    assert agent.delete(f"{BASE}/holidays/{h.pk}").status_code == 403
    sales = "/api/v1/workspaces/sales/business-hours"
    assert agent.get(sales).status_code in (403, 404)
    assert put(
        agent, {"week": {}, "first_response_target_minutes": 1, "resolution_target_hours": 1}, sales
    ).status_code in (403, 404)
    assert state() == before
