"""The stored measures (caredesk.insights.measures) after real work through the public
surface: tickets created and updated over the API, emails sent from a ticket, chats with
customer, agent, bot and system messages, business hours and holidays set over the API.
Every expected figure is computed by hand in the comments."""

import datetime as dt
import io
import itertools
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from caredesk.care.models import Case
from caredesk.insights import tasks
from caredesk.insights.models import CaseMeasure, ResponseEpisode
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.journey.services import activity_create
from caredesk.mail.services import case_email_send
from caredesk.routing import services as routing
from caredesk.routing.models import Sender
from caredesk.workspaces.access import get_access

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")
W = "/api/v1/workspaces/support"
H = 3600


class Clock:
    def __init__(self):
        self.now = None

    def at(self, *args):
        self.now = dt.datetime(*args, tzinfo=LISBON)


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    real = timezone.now

    def now():
        return c.now.astimezone(dt.UTC) if c.now else real()

    monkeypatch.setattr(timezone, "now", now)
    # A field default holds the function itself, not its name (and caches it).
    occurred = Activity._meta.get_field("occurred_at")
    monkeypatch.setattr(occurred, "default", now)
    monkeypatch.setattr(occurred, "_get_default", now, raising=False)
    return c


@pytest.fixture
def scene(world, api_client, django_capture_on_commit_callbacks, clock):
    world.support.time_zone = "Europe/Lisbon"
    world.support.save(update_fields=["time_zone"])

    class Scene:
        api = api_client(world.admin)
        admin = get_access(world.admin, "support")

        def live(self):
            """What runs after each commit (the listeners and, in tests, their tasks)."""
            return django_capture_on_commit_callbacks(execute=True)

        def hours(self, first_response=60, resolution=24, week=None):
            week = week or {str(d): [["09:00", "17:00"]] for d in range(5)}
            with self.live():
                r = self.api.put(
                    f"{W}/business-hours",
                    {
                        "week": week,
                        "first_response_target_minutes": first_response,
                        "resolution_target_hours": resolution,
                    },
                    content_type="application/json",
                )
            assert r.status_code == 200, r.content

        def ticket(self) -> Case:
            with self.live():
                r = self.api.post(
                    f"{W}/tickets",
                    {"customer_email": "ana@example.com", "comment": "Broken"},
                    content_type="application/json",
                )
            assert r.status_code == 201, r.content
            return Case.objects.get(workspace=world.support, number=r.json()["number"])

        def status(self, case, status, **extra):
            with self.live():
                r = self.api.patch(
                    f"{W}/tickets/{case.number}",
                    {"comment": "x", "status": status, **extra},
                    content_type="application/json",
                )
            assert r.status_code == 200, r.content

        def email(self, case):
            with self.live():
                case_email_send(access=self.admin, case=case, subject="Re: Broken", body="Fixed")

    return Scene()


def episodes(**filters):
    return list(
        ResponseEpisode.objects.filter(**filters)
        .order_by("started_at")
        .values_list("kind", "business_seconds", "sla_met")
    )


def test_a_response_across_the_weekend_counts_business_hours_only(scene, clock, world):
    scene.hours(first_response=60)
    clock.at(2026, 3, 6, 16, 0)  # Friday 16:00
    case = scene.ticket()
    assert episodes(case_id=case.pk) == [("ticket", None, None)]
    clock.at(2026, 3, 9, 10, 0)  # Monday 10:00: 1 h on Friday + 1 h on Monday
    scene.email(case)
    ep = ResponseEpisode.objects.get(case_id=case.pk)
    assert (ep.kind, ep.business_seconds, ep.sla_met) == ("ticket", 2 * H, False)
    assert ep.responder_id == ep.agent_id == world.admin.pk
    assert ep.channel == ""  # a ticket made by hand, with no contact activity
    # A target of 3 business hours: re-measured when the hours change.
    scene.hours(first_response=180)
    assert episodes(case_id=case.pk) == [("ticket", 2 * H, True)]


def test_a_holiday_monday_is_not_counted(scene, clock):
    scene.hours()
    with scene.live():
        r = scene.api.post(
            f"{W}/business-hours/holidays",
            {"date": "2026-03-09", "name": "Closed"},
            content_type="application/json",
        )
    assert r.status_code == 201, r.content
    clock.at(2026, 3, 6, 16, 0)  # Friday 16:00
    case = scene.ticket()
    clock.at(2026, 3, 10, 10, 0)  # Tuesday 10:00: Friday 1 h, Monday closed, Tuesday 1 h
    scene.email(case)
    assert episodes(case_id=case.pk) == [("ticket", 2 * H, False)]
    # Removing the holiday re-measures: Monday's 8 hours count again.
    with scene.live():
        r = scene.api.delete(f"{W}/business-hours/holidays/{r.json()['id']}")
    assert r.status_code == 204
    assert episodes(case_id=case.pk) == [("ticket", 10 * H, False)]


def test_a_reopen_starts_a_second_wait_and_counts_in_the_resolution(scene, clock):
    scene.hours(first_response=60, resolution=24)
    clock.at(2026, 3, 2, 9, 0)  # Monday 09:00
    case = scene.ticket()
    clock.at(2026, 3, 2, 9, 30)
    scene.email(case)  # answered in 30 minutes
    clock.at(2026, 3, 2, 10, 0)
    scene.status(case, "resolved", resolution_reason="resolved_contacted")
    m = CaseMeasure.objects.get(case_id=case.pk)
    assert (m.resolution_business_seconds, m.sla_met, m.reopen_count) == (H, True, 0)
    assert m.first_contact_resolution is True
    clock.at(2026, 3, 3, 11, 0)  # Tuesday 11:00: the customer is back
    scene.status(case, "open")
    m.refresh_from_db()
    assert (m.resolved_at, m.resolution_business_seconds, m.sla_met) == (None, None, None)
    assert (m.reopen_count, m.first_contact_resolution) == (1, None)
    assert episodes(case_id=case.pk) == [("ticket", 30 * 60, True), ("reopen", None, None)]
    clock.at(2026, 3, 3, 12, 15)  # answered 75 business minutes after the reopen
    scene.email(case)
    assert episodes(case_id=case.pk) == [("ticket", 30 * 60, True), ("reopen", 75 * 60, False)]
    reopen = ResponseEpisode.objects.get(case_id=case.pk, kind="reopen")
    assert reopen.started_at == dt.datetime(2026, 3, 3, 11, 0, tzinfo=LISBON)
    clock.at(2026, 3, 3, 13, 0)
    scene.status(case, "closed", resolution_reason="resolved_contacted")
    m.refresh_from_db()
    # Monday 09:00 → Tuesday 13:00: 8 h on Monday, 4 h on Tuesday.
    assert m.resolved_at == dt.datetime(2026, 3, 3, 13, 0, tzinfo=LISBON)
    assert (m.resolution_business_seconds, m.sla_met, m.reopen_count) == (12 * H, True, 1)
    assert m.first_contact_resolution is False


def _chat(scene, world):
    with scene.live():
        conv = routing.conversation_start(workspace=world.support)
    return conv


_ids = itertools.count(1)


def _say(scene, conv, sender, author=None):
    with scene.live():
        routing.message_post(
            conversation=conv, sender=sender, client_id=f"m{next(_ids)}", body="hi", author=author
        )


def test_a_chat_waits_for_a_person_not_for_the_bot_or_the_system(scene, clock, world):
    scene.hours(first_response=2)
    clock.at(2026, 3, 4, 10, 0, 0)  # Wednesday
    conv = _chat(scene, world)
    clock.at(2026, 3, 4, 10, 0, 10)
    _say(scene, conv, Sender.CUSTOMER)
    clock.at(2026, 3, 4, 10, 0, 20)
    _say(scene, conv, Sender.SYSTEM)  # "waiting for an agent"
    clock.at(2026, 3, 4, 10, 0, 30)
    _say(scene, conv, Sender.AGENT)  # a bot's answer: an agent message with no author
    chat = Activity.objects.get(conversation=conv)
    assert episodes(activity_id=chat.pk, kind="chat") == [("chat", None, None)]
    clock.at(2026, 3, 4, 10, 3, 10)
    _say(scene, conv, Sender.AGENT, author=world.agent)
    ep = ResponseEpisode.objects.get(activity_id=chat.pk, kind="chat")
    # From the customer's first message (10:00:10) to the agent's (10:03:10).
    assert (ep.business_seconds, ep.sla_met, ep.responder_id) == (180, False, world.agent.pk)
    assert (ep.channel, ep.queue_name, ep.case_id) == ("chat", chat.queue_name, None)
    assert ep.queue_name


def test_a_ticket_made_from_a_chat_is_answered_in_the_chat(scene, clock, world):
    scene.hours()
    clock.at(2026, 3, 4, 10, 0)
    conv = _chat(scene, world)
    _say(scene, conv, Sender.CUSTOMER)
    chat = Activity.objects.get(conversation=conv)
    clock.at(2026, 3, 4, 10, 5)
    with scene.live():
        r = scene.api.post(
            f"{W}/activities/{chat.pk}/ticket",
            {"title": "Refund"},
            content_type="application/json",
        )
    assert r.status_code == 201, r.content
    case = Case.objects.get(workspace=world.support, number=r.json()["number"])
    clock.at(2026, 3, 4, 10, 6)
    _say(scene, conv, Sender.SYSTEM)
    _say(scene, conv, Sender.AGENT)  # bot
    assert episodes(case_id=case.pk, kind="ticket") == [("ticket", None, None)]
    clock.at(2026, 3, 4, 10, 25)
    _say(scene, conv, Sender.AGENT, author=world.agent)
    ep = ResponseEpisode.objects.get(case_id=case.pk, kind="ticket")
    assert (ep.business_seconds, ep.sla_met, ep.channel) == (20 * 60, True, "chat")
    assert ep.queue_name == chat.queue_name
    chat_ep = ResponseEpisode.objects.get(activity_id=chat.pk, kind="chat")
    assert (chat_ep.business_seconds, chat_ep.case_id) == (25 * 60, case.pk)


def test_an_inbound_email_on_no_ticket_waits_for_the_reply(scene, clock, world):
    scene.hours()
    from caredesk.customers.services import contact_for_email

    ana = contact_for_email(organization=world.org, email="ana@example.com")
    clock.at(2026, 3, 6, 16, 30)  # Friday 16:30
    with scene.live():
        inbound = activity_create(
            workspace=world.support,
            media_type=MediaType.EMAIL,
            direction=Direction.INBOUND,
            contact=ana,
            subject="Help",
            body="?",
            occurred_at=timezone.now(),
        )
    assert episodes(activity_id=inbound.pk) == [("email", None, None)]
    clock.at(2026, 3, 9, 9, 15)  # Monday 09:15: 30 min + 15 min
    with scene.live():
        activity_create(
            workspace=world.support,
            media_type=MediaType.EMAIL,
            direction=Direction.OUTBOUND,
            contact=ana,
            agent=world.agent,
            subject="Re: Help",
            body="!",
            occurred_at=timezone.now(),
        )
    ep = ResponseEpisode.objects.get(activity_id=inbound.pk)
    assert (ep.kind, ep.business_seconds, ep.sla_met, ep.responder_id) == (
        "email",
        45 * 60,
        True,
        world.agent.pk,
    )


def test_late_waits_are_marked_by_the_hourly_check(scene, clock):
    scene.hours(first_response=60, resolution=8)
    clock.at(2026, 3, 6, 16, 30)  # Friday 16:30
    case = scene.ticket()
    clock.at(2026, 3, 9, 9, 15)  # 45 business minutes later: not late yet
    tasks.mark_late_task()
    assert episodes(case_id=case.pk) == [("ticket", None, None)]
    assert CaseMeasure.objects.get(case_id=case.pk).sla_met is None
    clock.at(2026, 3, 9, 9, 45)  # 75 minutes: the first response is late
    tasks.mark_late_task()
    assert episodes(case_id=case.pk) == [("ticket", None, False)]
    assert CaseMeasure.objects.get(case_id=case.pk).sla_met is None
    clock.at(2026, 3, 9, 16, 45)  # 8 h 15 min: the resolution is late too
    tasks.mark_late_task()
    assert CaseMeasure.objects.get(case_id=case.pk).sla_met is False


def test_the_rebuild_command_measures_everything_again(scene, clock, world):
    scene.hours()
    clock.at(2026, 3, 6, 16, 0)
    case = scene.ticket()
    clock.at(2026, 3, 9, 10, 0)
    scene.email(case)
    conv = _chat(scene, world)
    _say(scene, conv, Sender.CUSTOMER)
    before = sorted(
        ResponseEpisode.objects.values_list("kind", "case_id", "activity_id", "business_seconds")
    )
    assert len(before) == 2
    ResponseEpisode.objects.all().delete()
    CaseMeasure.objects.all().delete()
    out = io.StringIO()
    call_command("insights_rebuild", "--workspace", "support", "--since", "2026-03-01", stdout=out)
    text = out.getvalue()
    assert "tickets: 1/1" in text and "chats: 1/1" in text and "measured 2 in" in text
    after = sorted(
        ResponseEpisode.objects.values_list("kind", "case_id", "activity_id", "business_seconds")
    )
    assert after == before
    assert CaseMeasure.objects.count() == 1
    # Twice is the same as once.
    call_command("insights_rebuild", stdout=io.StringIO())
    assert (
        sorted(
            ResponseEpisode.objects.values_list(
                "kind", "case_id", "activity_id", "business_seconds"
            )
        )
        == before
    )


def test_the_rebuild_command_refuses_bad_arguments(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--since"):
        call_command("insights_rebuild", "--since", "03/01/2026", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--workspace"):
        call_command("insights_rebuild", "--workspace", "nope", stdout=io.StringIO())
