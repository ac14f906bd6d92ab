"""The weekly digest: its numbers are insights.metrics' for that week and that member's area,
in their language, sent once per week, on Monday morning in the workspace's zone."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.digest import send_digest, send_due_digests, week_filters
from caredesk.insights.metrics import figure
from caredesk.insights.models import DigestSent
from caredesk.insights.valuetext import value_text
from caredesk.workspaces.access import get_access

WEEK = dt.date(2026, 11, 23)  # a Monday
UTC = dt.UTC


def _when(day: dt.date, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


@pytest.fixture
def scene(world):
    for user, email in [
        (world.manager, "manager@acme.test"),
        (world.italy_manager, "italy@acme.test"),
        (world.admin, "admin@acme.test"),
        (world.agent, "agent@acme.test"),
        (world.coach, "coach@acme.test"),
    ]:
        user.email = email
        user.save()
    mk = world.make_case
    mk(world.support, segment=world.lisbon, reported_at=_when(WEEK))
    mk(world.support, segment=world.store1, reported_at=_when(WEEK + dt.timedelta(days=6), 23))
    mk(world.support, segment=world.lisbon, reported_at=_when(WEEK - dt.timedelta(days=3)))
    mk(world.support, segment=world.italy, reported_at=_when(WEEK + dt.timedelta(days=2)))
    mk(world.support, segment=world.lisbon, reported_at=_when(WEEK + dt.timedelta(days=7)))
    return world


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def _html(message):
    return message.alternatives[0][0]


def _shown(html):
    return dict(
        re.findall(
            r'<tr data-metric="(\w+)">\s*<td[^>]*><a[^>]*>[^<]*</a></td>\s*<td[^>]*>([^<]*)</td>',
            html,
        )
    )


def test_a_manager_gets_their_areas_figures_of_the_week(scene):
    assert send_digest(scene.support, WEEK) == 3  # manager, Italy's manager, admin
    (message,) = _to("manager@acme.test")
    access = get_access(scene.manager, "support")
    filters = week_filters(access, WEEK)
    shown = _shown(_html(message))
    assert shown and set(shown) <= set(CATALOGUE)
    for name, text in shown.items():
        assert text == value_text(CATALOGUE[name], figure(access, name, filters).value), name
    assert shown["tickets"] == "2"
    assert "Tickets: 2 (+100%)" in message.body
    link = "/w/support/insights/?from=2026-11-23&to=2026-11-29&metric=tickets"
    assert link in message.body
    assert link.replace("&", "&amp;") in _html(message)
    assert _shown(_html(_to("italy@acme.test")[0]))["tickets"] == "1"
    assert _shown(_html(_to("admin@acme.test")[0]))["tickets"] == "3"
    assert not _to("agent@acme.test")  # no view_insights
    assert not _to("coach@acme.test")  # sees insights but manages no segment


def test_links_open_insights_with_the_weeks_filters(scene):
    send_digest(scene.support, WEEK)
    (message,) = _to("manager@acme.test")
    links = re.findall(r"(\S+/w/support/insights/\?\S+)", message.body)
    assert links and all("from=2026-11-23&to=2026-11-29" in link for link in links)


def test_a_second_run_of_the_same_week_sends_nothing(scene):
    assert send_digest(scene.support, WEEK) == 3
    assert send_digest(scene.support, WEEK) == 0
    assert len(mail.outbox) == 3
    assert DigestSent.objects.filter(week_start=WEEK).count() == 3
    # A day of the same week names the same week.
    assert send_digest(scene.support, WEEK + dt.timedelta(days=3)) == 0


def test_in_the_recipients_language(scene):
    scene.italy_manager.language = "it"
    scene.italy_manager.save()
    send_digest(scene.support, WEEK)
    (message,) = _to("italy@acme.test")
    assert message.extra_headers["Content-Language"] == "it"
    assert '<html lang="it">' in _html(message)
    with translation.override("it"):
        label = str(CATALOGUE["tickets"].label)
        hello = translation.gettext("Hello %(name)s,") % {"name": "Italymgr"}
    assert f">{label}</a>" in _html(message)
    assert hello in message.body
    # The dates in Italian formats (23/11/2026), the English one in its own.
    assert "23/11/2026" in message.body
    assert "23 Nov 2026" in _to("manager@acme.test")[0].body


def test_periodic_task_sends_on_monday_morning_in_the_workspaces_zone(scene):
    scene.support.time_zone = "Asia/Tokyo"
    scene.support.save()
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    sunday_night = dt.datetime(2026, 11, 30, 6, tzinfo=tokyo)  # Monday 06:00: too early
    assert send_due_digests(now=sunday_night) == 0
    monday = dt.datetime(2026, 11, 30, 8, tzinfo=tokyo)  # Sunday 23:00 UTC
    assert send_due_digests(now=monday) == 3
    assert set(DigestSent.objects.values_list("week_start", flat=True)) == {WEEK}
    assert send_due_digests(now=monday + dt.timedelta(hours=1)) == 0


def test_command_sends_a_given_week(scene, capsys):
    call_command("insights_digest", "--workspace", "support", "--week", "2026-11-25")
    assert "3 digests sent" in capsys.readouterr().out
    assert set(DigestSent.objects.values_list("week_start", flat=True)) == {WEEK}


def test_command_refuses_bad_input(scene):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--week"):
        call_command("insights_digest", "--week", "last monday")
    with pytest.raises(CommandError, match="--workspace"):
        call_command("insights_digest", "--workspace", "nope")
    assert not mail.outbox


def test_last_full_week_by_default(scene):
    now = timezone.now()
    send_digest(scene.support)
    monday = timezone.localdate(now) - dt.timedelta(days=timezone.localdate(now).weekday() + 7)
    assert set(DigestSent.objects.values_list("week_start", flat=True)) == {monday}
