"""Due-date reminders: to the plan's owner and each open task's owner, from two days before
the date, at 08:00 in the workspace's zone, once per (item, user, date), in the recipient's
language; none for closed plans and done tasks."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from caredesk.action_plans.models import ActionPlan, PlanTask, ReminderSent
from caredesk.action_plans.reminders import send_due_reminders, send_reminders
from caredesk.core import zones
from caredesk.workspaces.models import Tab

TODAY = dt.date(2026, 12, 10)
# 08:30 in Rome (UTC+1 in December); 07:30 there is before the sending hour.
MORNING = dt.datetime(2026, 12, 10, 7, 30, tzinfo=dt.UTC)
EARLY = dt.datetime(2026, 12, 10, 6, 30, tzinfo=dt.UTC)


def days(n):
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def scene(world):
    ws = world.support
    ws.time_zone = "Europe/Rome"
    ws.enabled_tabs = [*ws.enabled_tabs, Tab.ACTION_PLANS]
    ws.save()
    for user, email, language in (
        (world.manager, "manager@acme.test", "it"),
        (world.agent, "agent@acme.test", "bg"),
        (world.coach, "coach@acme.test", ""),
    ):
        user.email, user.language = email, language
        user.save()
    s = type("S", (), {})()

    def plan(title, due, owner, **kw):
        return ActionPlan.objects.create(
            workspace=ws, title=title, owner=owner, due_date=due, started_on=days(-30), **kw
        )

    s.p1 = plan("Faster refunds", days(2), world.manager, status="in_progress")
    s.done = plan("Old plan", days(1), world.manager, status="done")
    s.cancelled = plan("Dropped plan", days(0), world.coach, status="cancelled")
    s.later = plan("Later plan", days(3), world.coach)
    s.t1 = PlanTask.objects.create(
        plan=s.p1, title="Write the macro", owner=world.agent, due_date=days(0)
    )
    PlanTask.objects.create(
        plan=s.p1, title="Done task", owner=world.agent, due_date=days(1), done=True
    )
    PlanTask.objects.create(plan=s.p1, title="Far task", owner=world.agent, due_date=days(9))
    # An open task of a closed plan: the plan is over, so no reminder.
    PlanTask.objects.create(plan=s.done, title="Leftover", owner=world.coach, due_date=days(1))
    return s


def by_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_sent_once_to_the_right_people(world, scene):
    assert send_reminders(world.support, now=EARLY) == 0
    assert mail.outbox == []
    assert send_reminders(world.support, now=MORNING) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["agent@acme.test", "manager@acme.test"]
    rows = set(ReminderSent.objects.values_list("plan_id", "task_id", "user_id", "due_date"))
    assert rows == {
        (scene.p1.pk, None, world.manager.pk, days(2)),
        (scene.p1.pk, scene.t1.pk, world.agent.pk, days(0)),
    }
    # Later hours of the day: nothing again; the next day only the plan now two days away.
    assert send_reminders(world.support, now=MORNING + dt.timedelta(hours=3)) == 0
    assert send_reminders(world.support, now=MORNING + dt.timedelta(days=1)) == 1
    assert [m.to for m in mail.outbox[2:]] == [["coach@acme.test"]]
    assert "Later plan" in mail.outbox[2].subject
    assert send_reminders(world.support, now=MORNING + dt.timedelta(days=2)) == 0


def test_in_the_recipients_language(world, scene):
    send_reminders(world.support, now=MORNING)
    (it,) = by_to("manager@acme.test")
    assert it.subject == "[caredesk] Promemoria: «Faster refunds» scade tra 2 giorni"
    assert it.extra_headers["Content-Language"] == "it"
    assert f"/w/support/action-plans/{scene.p1.pk}/" in it.body
    assert "12/12/2026" in it.body
    (bg,) = by_to("agent@acme.test")
    assert bg.extra_headers["Content-Language"] == "bg"
    assert "Write the macro" in bg.subject and "днес" in bg.subject
    assert "Faster refunds" in bg.body
    html = bg.alternatives[0][0]
    assert 'data-reminder="task"' in html and 'lang="bg"' in html


def test_moving_the_date_sends_a_new_one(world, scene):
    send_reminders(world.support, now=MORNING)
    scene.p1.due_date = days(1)
    scene.p1.save()
    assert send_reminders(world.support, now=MORNING + dt.timedelta(hours=1)) == 1
    (last,) = [m for m in by_to("manager@acme.test") if "domani" in m.subject]
    assert "Faster refunds" in last.subject


def test_done_plans_and_tasks_get_none(world, scene):
    scene.p1.status = "done"
    scene.p1.save()
    assert send_reminders(world.support, now=MORNING) == 0
    assert ReminderSent.objects.count() == 0


def test_without_the_tab_nothing_is_sent(world, scene):
    world.support.enabled_tabs = [Tab.HOME, Tab.TICKETS]
    world.support.save()
    assert send_due_reminders(now=MORNING) == 0


def test_the_periodic_work_and_the_command(world, scene):
    assert send_due_reminders(now=MORNING) == 2
    mail.outbox.clear()
    # By hand, whatever the hour: what is due from the real today (in Rome) on.
    ActionPlan.objects.update(status="done")
    today = zones.today(zones.zone("Europe/Rome"))
    ActionPlan.objects.create(
        workspace=world.support,
        title="Due today",
        owner=world.manager,
        due_date=today,
        started_on=today,
    )
    call_command("action_plan_reminders", "--now", "--workspace", "support")
    assert [m.to for m in mail.outbox] == [["manager@acme.test"]]
    call_command("action_plan_reminders", "--now")
    assert len(mail.outbox) == 1
