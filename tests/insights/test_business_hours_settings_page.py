"""Settings → Business hours (the page): who may open it, saving the week and the targets,
errors named per field with nothing saved, holidays added and removed, audit entries."""

import datetime as dt

import pytest

from caredesk.audit.models import AuditEntry
from caredesk.insights.models import BusinessHours, Holiday

URL = "/w/support/settings/business-hours/"


def week_form(**days):
    """Form fields for the week: days d0…d6 → list of (start, end)."""
    data = {
        "action": "hours",
        "first_response_target_minutes": "30",
        "resolution_target_hours": "8",
    }
    for day in range(7):
        for slot, (start, end) in enumerate(days.get(f"d{day}", [])):
            data[f"d{day}_{slot}_start"] = start
            data[f"d{day}_{slot}_end"] = end
    return data


@pytest.fixture
def admin(world, as_user):
    return as_user(world.admin)


def test_the_page_shows_the_zone_and_the_suggested_week(world, admin):
    world.support.time_zone = "Europe/Rome"
    world.support.save(update_fields=["time_zone"])
    r = admin.get(URL)
    assert r.status_code == 200
    body = r.content.decode()
    assert "Europe/Rome" in body
    assert 'id="bh-unsaved"' in body
    assert 'name="d0_0_start" value="09:00"' in body
    assert 'name="d5_0_start" value=""' in body  # Saturday closed
    assert f'href="{URL}"' in body  # in Settings' section list


def test_members_without_manage_care_are_refused(world, as_user):
    agent = as_user(world.agent)
    assert agent.get(URL).status_code == 403
    r = agent.post(URL, week_form(d0=[("09:00", "17:00")]))
    assert r.status_code == 403
    r = agent.post(URL, {"action": "holiday_add", "date": "2026-12-25", "name": "Christmas"})
    assert r.status_code == 403
    assert not BusinessHours.objects.exists() and not Holiday.objects.exists()
    assert f'href="{URL}"' not in as_user(world.agent).get("/w/support/").content.decode()


def test_saving_a_split_week(world, admin):
    data = week_form(
        d0=[("13:00", "17:00"), ("09:00", "12:00")],
        d4=[("09:00", "24:00")],
    )
    r = admin.post(URL, data)
    assert r.status_code == 302
    hours = BusinessHours.objects.get(workspace=world.support)
    assert hours.week == {
        "0": [["09:00", "12:00"], ["13:00", "17:00"]],
        "1": [],
        "2": [],
        "3": [],
        "4": [["09:00", "24:00"]],
        "5": [],
        "6": [],
    }
    assert (hours.first_response_target_minutes, hours.resolution_target_hours) == (30, 8)
    entries = AuditEntry.objects.filter(object_type="businesshours", object_id=hours.pk)
    assert {(e.action, e.field, e.actor_id) for e in entries} == {
        ("created", "week", world.admin.pk),
        ("created", "first_response_target_minutes", world.admin.pk),
        ("created", "resolution_target_hours", world.admin.pk),
    }
    body = admin.get(URL).content.decode()
    assert 'name="d0_1_start" value="13:00"' in body and 'id="bh-unsaved"' not in body
    # Saving the same again records nothing.
    admin.post(URL, data)
    assert entries.count() == 3


@pytest.mark.parametrize(
    "data, field, message",
    [
        (week_form(d1=[("09:00", "12:00"), ("11:00", "13:00")]), "week-1", "must not overlap"),
        (week_form(d2=[("17:00", "09:00")]), "week-2", "must end after it starts"),
        (week_form(d3=[("9", "17:00")]), "week-3", "HH:MM"),
        (week_form(d6=[("09:00", "")]), "week-6", "HH:MM"),
        (
            {**week_form(d0=[("09:00", "17:00")]), "first_response_target_minutes": "0"},
            "first_response_target_minutes",
            "A whole number from 1",
        ),
        (
            {**week_form(d0=[("09:00", "17:00")]), "resolution_target_hours": "x"},
            "resolution_target_hours",
            "A whole number from 1",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(world, admin, data, field, message):
    r = admin.post(URL, data)
    assert r.status_code == 400
    body = r.content.decode()
    assert message in body
    if field.startswith("week-"):
        assert f'id="error-{field}"' in body
    else:
        assert f'name="{field}" value="{data[field]}" class="invalid"' in body
    assert not BusinessHours.objects.exists()
    assert not AuditEntry.objects.filter(object_type="businesshours").exists()


def test_a_bad_week_keeps_the_old_one(world, admin):
    admin.post(URL, week_form(d0=[("09:00", "17:00")]))
    before = list(BusinessHours.objects.values())
    r = admin.post(URL, week_form(d0=[("10:00", "18:00")], d1=[("18:00", "10:00")]))
    assert r.status_code == 400
    assert list(BusinessHours.objects.values()) == before


def test_holidays_are_added_and_removed(world, admin):
    r = admin.post(URL, {"action": "holiday_add", "date": "2026-12-25", "name": "Christmas"})
    assert r.status_code == 302
    h = Holiday.objects.get(workspace=world.support)
    assert (h.date, h.name) == (dt.date(2026, 12, 25), "Christmas")
    assert f'id="holiday-{h.pk}"' in admin.get(URL).content.decode()
    r = admin.post(URL, {"action": "holiday_add", "date": "2026-12-25", "name": "Again"})
    assert r.status_code == 400 and "already a holiday" in r.content.decode()
    r = admin.post(URL, {"action": "holiday_add", "date": "25/12/2026", "name": "x"})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.content.decode()
    r = admin.post(URL, {"action": "holiday_add", "date": "2026-12-26", "name": "x" * 101})
    assert r.status_code == 400 and "at most 100 characters" in r.content.decode()
    assert Holiday.objects.count() == 1
    # Another workspace's holiday is not found from this one.
    other = Holiday.objects.create(workspace=world.sales, date=dt.date(2026, 1, 1))
    r = admin.post(URL, {"action": "holiday_remove", "holiday": other.pk})
    assert r.status_code == 404
    r = admin.post(URL, {"action": "holiday_remove", "holiday": h.pk})
    assert r.status_code == 302
    assert list(Holiday.objects.values_list("pk", flat=True)) == [other.pk]
    actions = AuditEntry.objects.filter(object_type="holiday", object_id=h.pk)
    assert sorted({e.action for e in actions}) == ["created", "deleted"]
