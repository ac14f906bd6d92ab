"""A hand-computed scene for the impact: chats and calls of Italy with known handle times,
around a plan started six days ago (dates relative to today, in UTC, the workspace's zone).

    day  (today − n)   slice   handle time
    −20  chat          Italy   300 s        baseline period only
    −10  chat          Italy   600 s        baseline and previous period
     −8  call          Italy   1200 s       baseline and previous period
     −5  chat          Italy   400 s        since the start
     −3  chat          Lisbon  5000 s       outside the slice
     −2  chat          Italy   200 s        since the start

The plan starts on today − 6: since the start is 7 days (today − 6 … today), the previous
period today − 13 … today − 7, the baseline (taken over today − 36 … today − 7) 700 s from 3
rows, since the start 300 s from 2 rows, the previous period 900 s from 2 rows. Target 200 s:
(300 − 700) / (200 − 700) = 0.8 of the way."""

import datetime as dt

from django.utils import timezone

from caredesk.action_plans.models import ActionPlan, PlanTask
from caredesk.action_plans.slice import baseline
from caredesk.core import zones
from caredesk.journey.models import Activity

from ..factories import make_case


def day(n: int) -> dt.date:
    return zones.today(dt.UTC) - dt.timedelta(days=n)


def noon(n: int) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time(12), tzinfo=dt.UTC)


def chat(world, segment, n, seconds, media="chat"):
    case = make_case(world.support, segment=segment, reported_at=noon(n))
    start = noon(n)
    return Activity.objects.create(
        workspace=world.support,
        media_type=media,
        case=case,
        occurred_at=start,
        started_at=start,
        ended_at=start + dt.timedelta(seconds=seconds),
    )


def build(world, **plan_fields):
    w = world
    for n, seconds, media in ((20, 300, "chat"), (10, 600, "chat"), (8, 1200, "call")):
        chat(w, w.italy, n, seconds, media)
    chat(w, w.italy, 5, 400)
    chat(w, w.lisbon, 3, 5000)
    chat(w, w.italy, 2, 200)
    params = {"segment": str(w.italy.pk)}
    base = baseline(w.support, "handle_time", params, date_from=day(36), date_to=day(7))
    fields = {
        "workspace": w.support,
        "title": "Shorter handle time — Italy",
        "owner": w.italy_manager,
        "segment": w.italy,
        "segment_path": w.italy.path,
        "origin": "kpi",
        "metric": "handle_time",
        "filters": params,
        "baseline_value": base.value,
        "baseline_count": base.count,
        "baseline_from": base.date_from,
        "baseline_to": base.date_to,
        "target_value": 200,
        "started_on": day(6),
        "due_date": day(-20),
        "status": "in_progress",
    }
    fields.update(plan_fields)
    plan = ActionPlan.objects.create(**fields)
    PlanTask.objects.create(
        plan=plan,
        title="Coach the Italian team",
        owner=w.italy_manager,
        done=True,
        done_at=noon(3),
    )
    PlanTask.objects.create(plan=plan, title="Write the refund macro", owner=w.italy_manager)
    return plan


def now() -> dt.datetime:
    return timezone.now()
