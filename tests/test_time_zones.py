"""Days are the days of a place: every date filter, "last 30 days", "today" for a due date,
the inactivity rule and the Excel export count in the workspace's time zone (the user's own
when they set one), never in UTC.

The scene: two tickets late on 5 December 2026 in UTC terms. In São Paulo (UTC−3) both are
on the 5th (20:30 and 23:30); in Sofia (UTC+2 in winter) both are on the 6th (01:30 and
04:30); in UTC they fall on two different days, so a count done in UTC is wrong in both."""

import datetime as dt
import io
import re
import zoneinfo

import openpyxl
import pytest
from django.utils import timezone

from caredesk.care import services as care_services
from caredesk.care.models import Case, CaseTodo
from caredesk.core import zones
from caredesk.feedback.models import AlertRule, Response
from caredesk.feedback.services import responses_ingest, survey_create
from caredesk.journey import services as journey_services
from caredesk.workspaces.models import User, Workspace

UTC = dt.UTC
LATE = dt.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)  # SP 5th 20:30, Sofia 6th 01:30
LATER = dt.datetime(2026, 12, 6, 2, 30, tzinfo=UTC)  # SP 5th 23:30, Sofia 6th 04:30
SAO_PAULO, SOFIA = "America/Sao_Paulo", "Europe/Sofia"


def _zone(workspace, name):
    Workspace.objects.filter(pk=workspace.pk).update(time_zone=name)
    workspace.time_zone = name


@pytest.fixture
def scene(world):
    """Support is in São Paulo, Sales in Sofia; each has the two late tickets."""
    _zone(world.support, SAO_PAULO)
    _zone(world.sales, SOFIA)
    s = type("Scene", (), {})()
    s.sp = [world.make_case(world.support, reported_at=at) for at in (LATE, LATER)]
    s.sofia = [world.make_case(world.sales, reported_at=at) for at in (LATE, LATER)]
    return s


def _day(day):
    return {"created_from": day, "created_to": day}


def _page_numbers(response) -> list[int]:
    assert response.status_code == 200
    return sorted(c.number for c in response.context["page"].items)


# --------------------------------------------------------------------------- ticket list


def test_the_ticket_lists_date_filter_counts_the_workspaces_days(world, as_user, scene):
    admin = as_user(world.admin)
    sp = sorted(c.number for c in scene.sp)
    sofia = sorted(c.number for c in scene.sofia)

    assert _page_numbers(admin.get("/w/support/tickets/", _day("2026-12-05"))) == sp
    assert _page_numbers(admin.get("/w/support/tickets/", _day("2026-12-06"))) == []
    assert _page_numbers(admin.get("/w/sales/tickets/", _day("2026-12-05"))) == []
    assert _page_numbers(admin.get("/w/sales/tickets/", _day("2026-12-06"))) == sofia
    summary = admin.get("/w/support/tickets/", _day("2026-12-05")).context["summary"]
    assert (summary["new"], summary["total"]) == (2, 2)


def test_a_users_own_zone_overrides_the_workspaces_for_days_and_times(world, as_user, scene):
    User.objects.filter(pk=world.admin.pk).update(time_zone=SOFIA)
    admin = as_user(world.admin)  # in São Paulo's workspace, living in Sofia
    first = scene.sp[0].number

    on_6th = admin.get("/w/support/tickets/", _day("2026-12-06"))
    assert _page_numbers(on_6th) == sorted(c.number for c in scene.sp)
    assert _page_numbers(admin.get("/w/support/tickets/", _day("2026-12-05"))) == []
    row = re.search(rf'<tr id="ticket-{first}".*?</tr>', on_6th.content.decode(), re.S).group(0)
    assert "01:30" in row and "20:30" not in row and "23:30" not in row

    # A colleague without a zone of their own sees the workspace's time.
    Case.objects.filter(pk=scene.sp[0].pk).update(
        segment=world.lisbon, segment_path=world.lisbon.path
    )
    html = as_user(world.manager).get("/w/support/tickets/", _day("2026-12-05")).content.decode()
    row = re.search(rf'<tr id="ticket-{first}".*?</tr>', html, re.S).group(0)
    assert "20:30" in row and "01:30" not in row


# --------------------------------------------------------------------------- Home


def _home_total(client, slug) -> int:
    r = client.get(f"/w/{slug}/")
    assert r.status_code == 200
    return r.context["summary"]["total"]


@pytest.mark.parametrize("zone_name", [SAO_PAULO, SOFIA])
def test_homes_last_30_days_start_at_local_midnight(world, as_user, zone_name):
    _zone(world.support, zone_name)
    tz = zoneinfo.ZoneInfo(zone_name)
    first_day = timezone.localdate(timezone=tz) - dt.timedelta(days=29)
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=tz)
    inside = world.make_case(world.support, reported_at=start)
    world.make_case(world.support, reported_at=start - dt.timedelta(minutes=1))

    r = as_user(world.admin).get("/w/support/")

    assert r.context["summary"]["total"] == 1
    assert r.context["filters"].created_from == first_day
    assert Case.objects.filter(r.context["filters"].as_q()).get() == inside


# --------------------------------------------------------------------------- API


def test_the_apis_date_filters_count_the_workspaces_days(world, api_client, scene):
    api = api_client(world.admin)  # a token: no session, no zone from the middleware

    def numbers(slug, day):
        r = api.get(f"/api/v1/workspaces/{slug}/tickets", _day(day))
        assert r.status_code == 200, r.content
        return sorted(t["number"] for t in r.json()["items"])

    def total(slug, day):
        return api.get(f"/api/v1/workspaces/{slug}/tickets/summary", _day(day)).json()["total"]

    assert numbers("support", "2026-12-05") == sorted(c.number for c in scene.sp)
    assert numbers("support", "2026-12-06") == []
    assert numbers("sales", "2026-12-05") == []
    assert numbers("sales", "2026-12-06") == sorted(c.number for c in scene.sofia)
    assert (total("support", "2026-12-05"), total("sales", "2026-12-06")) == (2, 2)
    assert (total("support", "2026-12-06"), total("sales", "2026-12-05")) == (0, 0)


def test_the_api_uses_the_callers_own_zone_when_they_have_one(world, api_client, scene):
    User.objects.filter(pk=world.admin.pk).update(time_zone=SOFIA)
    api = api_client(User.objects.get(pk=world.admin.pk))
    r = api.get("/api/v1/workspaces/support/tickets/summary", _day("2026-12-06"))
    assert r.json()["total"] == 2
    r = api.get("/api/v1/workspaces/support/tickets/summary", _day("2026-12-05"))
    assert r.json()["total"] == 0


def _far_zone() -> tuple[str, int]:
    """A zone whose date differs from UTC's right now, and by how much (+1 or −1 day):
    UTC+14 from 10:00 UTC on, UTC−12 before 12:00 UTC."""
    return ("Pacific/Kiritimati", 1) if timezone.now().hour >= 12 else ("Etc/GMT+12", -1)


def test_an_overdue_to_do_is_due_before_the_workspaces_today(world, api_client):
    name, shift = _far_zone()
    _zone(world.support, name)
    case = world.make_case(world.support)
    local_today = timezone.localdate(timezone=zoneinfo.ZoneInfo(name))
    assert local_today == timezone.now().date() + dt.timedelta(days=shift)
    yesterday = CaseTodo.objects.create(
        case=case, text="yesterday", due_date=local_today - dt.timedelta(days=1)
    )
    today = CaseTodo.objects.create(case=case, text="today", due_date=local_today)

    r = api_client(world.admin).get(f"/api/v1/workspaces/support/tickets/{case.number}")

    assert r.status_code == 200
    assert {t["id"]: t["overdue"] for t in r.json()["todos"]} == {
        yesterday.pk: True,
        today.pk: False,
    }


def test_a_due_date_before_the_users_today_is_refused_and_nothing_is_added(world, as_user):
    name, _shift = _far_zone()
    _zone(world.support, name)
    case = world.make_case(world.support)
    local_yesterday = timezone.localdate(timezone=zoneinfo.ZoneInfo(name)) - dt.timedelta(days=1)
    client = as_user(world.admin)
    url = f"/w/support/tickets/{case.number}/todos/"

    r = client.post(url, {"text": "Call back", "due_date": local_yesterday.isoformat()})

    assert r.status_code == 400
    assert "The due date cannot be in the past." in r.content.decode()
    assert CaseTodo.objects.count() == 0


# --------------------------------------------------------------------------- export


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _reported_cells(sheet) -> dict[int, dt.datetime]:
    header = [c.value for c in sheet[1]]
    col = header.index("Reported on")
    return {row[0]: row[col] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_export_writes_typed_cells_in_the_workspaces_wall_clock(
    world, as_user, api_client, scene
):
    page = _sheet(as_user(world.admin).get("/w/support/tickets/export.xlsx", _day("2026-12-05")))
    api = _sheet(
        api_client(world.admin).get(
            "/api/v1/workspaces/support/tickets/export.xlsx", _day("2026-12-05")
        )
    )
    sofia = _sheet(as_user(world.admin).get("/w/sales/tickets/export.xlsx", _day("2026-12-06")))

    expected_sp = {
        scene.sp[0].number: dt.datetime(2026, 12, 5, 20, 30),
        scene.sp[1].number: dt.datetime(2026, 12, 5, 23, 30),
    }
    assert _reported_cells(page) == expected_sp
    assert _reported_cells(api) == expected_sp
    assert _reported_cells(sofia) == {
        scene.sofia[0].number: dt.datetime(2026, 12, 6, 1, 30),
        scene.sofia[1].number: dt.datetime(2026, 12, 6, 4, 30),
    }
    cell = page.cell(row=2, column=9)
    assert isinstance(cell.value, dt.datetime) and cell.is_date
    assert cell.number_format == "yyyy\\-mm\\-dd\\ hh:mm"


# --------------------------------------------------------------------------- the worker


def test_auto_close_counts_the_workspaces_days_across_a_change_of_the_clocks(world):
    # Sofia leaves summer time on Sunday 25 October 2026 (03:00 UTC+3 → 03:00 UTC+2): five
    # days after Thursday 10:00 there is Tuesday 10:00 there, 121 hours later.
    _zone(world.support, SOFIA)
    touched = dt.datetime(2026, 10, 22, 7, 0, tzinfo=UTC)  # 10:00 in Sofia (UTC+3)
    case = world.make_case(
        world.support, status="open", reported_at=touched, last_activity_at=touched
    )

    # Tuesday 09:59 in Sofia (UTC+2), 120 h 59 min later: not yet five days there.
    assert care_services.cases_close_inactive(now=dt.datetime(2026, 10, 27, 7, 59, tzinfo=UTC)) == 0
    assert Case.objects.get(pk=case.pk).status == "open"
    # Tuesday 10:01 in Sofia.
    assert care_services.cases_close_inactive(now=dt.datetime(2026, 10, 27, 8, 1, tzinfo=UTC)) == 1
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_running_a_rule_on_past_days_counts_the_days_the_person_chose(
    world, as_user, django_capture_on_commit_callbacks
):
    _zone(world.support, SAO_PAULO)
    nps = survey_create(workspace=world.support, kind="nps", name="Store visit")
    AlertRule.objects.update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        responses_ingest(
            survey=nps,
            items=[
                # 5 November in São Paulo (the 6th in UTC).
                {"score": 1, "comment": "late on the 5th", "responded_at": "2026-11-06T02:30:00Z"},
                # 6 November in São Paulo.
                {"score": 1, "comment": "the 6th", "responded_at": "2026-11-06T03:30:00Z"},
                # 4 November in São Paulo, the 5th in UTC.
                {"score": 1, "comment": "the 4th", "responded_at": "2026-11-05T02:59:00Z"},
            ],
        )
    assert Response.objects.count() == 3
    rule = AlertRule.objects.get(survey=nps)
    url = f"/w/support/feedback/rules/{rule.pk}/run/"
    admin = as_user(world.admin)

    # The task runs after the request has ended, as in the worker.
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(url, {"date_from": "2026-11-05", "date_to": "2026-11-05"})

    assert r.status_code == 302
    assert list(Case.objects.values_list("customer_comment", flat=True)) == ["late on the 5th"]
    shown = admin.get(r["Location"]).content.decode()
    assert "on the responses of 5 Nov 2026 to 5 Nov 2026." in shown


def test_call_events_are_shown_in_the_viewers_zone_and_format(world, as_user):
    _zone(world.support, SOFIA)
    User.objects.filter(pk=world.manager.pk).update(language="bg", time_zone=SAO_PAULO)
    call = journey_services.activity_create(
        workspace=world.support,
        media_type="call",
        actor=world.agent,
        context={"call": {"state": "ended", "events": {"ringing": "2026-01-05T23:30:00+00:00"}}},
        occurred_at=dt.datetime(2026, 1, 5, 23, 30, tzinfo=UTC),
    )
    url = f"/w/support/journey/activities/{call.pk}/"

    agent = as_user(world.agent).get(url).content.decode()
    manager = as_user(world.manager).get(url).content.decode()

    assert "<dt>Ringing</dt><dd>6 Jan 2026, 01:30</dd>" in agent  # Sofia, English
    assert "<dd>05.01.2026 20:30</dd>" in manager  # São Paulo, Bulgarian


def test_a_response_time_without_an_offset_is_the_workspaces_wall_clock(
    world, api_client, django_capture_on_commit_callbacks
):
    _zone(world.support, SAO_PAULO)
    nps = survey_create(workspace=world.support, kind="nps", name="Store visit")
    api = api_client(world.admin)
    url = f"/api/v1/workspaces/support/surveys/{nps.pk}/responses"
    with django_capture_on_commit_callbacks(execute=True):
        local = api.post(
            url,
            {"score": 9, "responded_at": "2026-11-05T22:00:00"},
            content_type="application/json",
        )
        utc = api.post(
            url,
            {"score": 9, "responded_at": "2026-11-05T22:00:00Z"},
            content_type="application/json",
        )

    assert (local.status_code, utc.status_code) == (201, 201)
    assert Response.objects.get(pk=local.json()["id"]).responded_at == dt.datetime(
        2026, 11, 6, 1, 0, tzinfo=UTC
    )
    assert Response.objects.get(pk=utc.json()["id"]).responded_at == dt.datetime(
        2026, 11, 5, 22, 0, tzinfo=UTC
    )


# --------------------------------------------------------------------------- the helpers


def test_day_bounds_where_midnight_does_not_exist():
    # São Paulo's last summer time began at midnight on 4 November 2018: that day began at
    # 01:00 local (03:00 UTC) and had 23 hours.
    tz = zoneinfo.ZoneInfo(SAO_PAULO)
    start, end = zones.days_bounds(dt.date(2018, 11, 4), dt.date(2018, 11, 4), tz)
    assert start == dt.datetime(2018, 11, 4, 3, 0, tzinfo=UTC)
    assert end == dt.datetime(2018, 11, 5, 2, 0, tzinfo=UTC)
    assert zones.days_before(
        dt.datetime(2026, 10, 27, 8, 0, tzinfo=UTC), 5, zoneinfo.ZoneInfo(SOFIA)
    ) == (dt.datetime(2026, 10, 22, 7, 0, tzinfo=UTC))
