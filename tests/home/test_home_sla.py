"""SLA at risk: the resolution deadline counted in business hours (across a weekend and a
holiday), as one cut-off on the report time."""

import datetime as dt
import zoneinfo

from caredesk.insights.attention import BusinessClock, sla_at_risk, sla_risk_cutoff
from caredesk.insights.models import BusinessHours, Holiday
from caredesk.workspaces.access import get_access

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")


def _at(y, m, d, h, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=LISBON)


def _hours(world, target=8):
    world.support.time_zone = "Europe/Lisbon"
    world.support.save()
    BusinessHours.objects.create(workspace=world.support, resolution_target_hours=target)


def test_deadline_crosses_the_weekend(world):
    _hours(world)
    # Friday 4 Dec 2026, 16:00: +4 business hours is Monday 12:00; 8 business hours before
    # that is Friday 12:00.
    now = _at(2026, 12, 4, 16)
    assert sla_risk_cutoff(world.support, now) == _at(2026, 12, 4, 12)


def test_a_holiday_is_closed(world):
    _hours(world)
    Holiday.objects.create(workspace=world.support, date=dt.date(2026, 12, 7), name="Monday off")
    clock = BusinessClock.of(world.support)
    assert clock.shift(_at(2026, 12, 4, 16), 4 * 3600) == _at(2026, 12, 8, 12)
    assert clock.shift(_at(2026, 12, 8, 10), -3 * 3600) == _at(2026, 12, 4, 15)


def test_no_business_hours_counts_every_second(world):
    now = _at(2026, 12, 5, 10)
    assert sla_risk_cutoff(world.support, now) == now - dt.timedelta(hours=20)


def test_a_week_with_no_open_hour_has_no_deadline(world):
    _hours(world)
    BusinessHours.objects.filter(workspace=world.support).update(
        week={str(d): [] for d in range(7)}
    )
    world.make_case(world.support, segment=world.lisbon, status="open", days_ago=30)
    assert sla_at_risk(get_access(world.admin, "support")).count() == 0


def test_open_tickets_reported_before_the_cutoff_are_at_risk(world):
    _hours(world)
    now = _at(2026, 12, 4, 16)
    mk = world.make_case
    risky = mk(world.support, segment=world.lisbon, status="open", reported_at=_at(2026, 12, 4, 11))
    mk(world.support, segment=world.lisbon, status="open", reported_at=_at(2026, 12, 4, 13))
    mk(world.support, segment=world.lisbon, status="resolved", reported_at=_at(2026, 12, 1, 9))
    mk(world.support, segment=world.italy, status="open", reported_at=_at(2026, 12, 1, 9))
    found = sla_at_risk(get_access(world.manager, "support"), now=now)
    assert list(found.values_list("pk", flat=True)) == [risky.pk]
