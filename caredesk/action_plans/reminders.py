"""Due-date reminders by email: a plan's owner for the plan's due date, each task's owner for
their open tasks' due dates, from LEAD_DAYS days before the date to the day itself, from
SEND_HOUR on in the workspace's zone. One email per recipient and run lists what is due.

`ReminderSent` keeps each (plan or task, recipient, due date) to one reminder: the first run
inside the window sends it (two days before, or on the day for something made later), later
runs send nothing; moving the date sends a new one. Closed plans (done, cancelled) and done
tasks get none. In the recipient's language and zone, as the weekly digest."""

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caredesk.action_plans.models import CLOSED_STATUSES, ActionPlan, PlanTask, ReminderSent
from caredesk.core.i18n import staff_zone, supported
from caredesk.feedback.evaluation import base_url
from caredesk.workspaces.models import Membership, Tab, User, Workspace

log = logging.getLogger(__name__)

SEND_HOUR = 8
LEAD_DAYS = 2


@dataclass(frozen=True)
class Item:
    """One thing due: a plan (task None) or one of its tasks."""

    plan: ActionPlan
    task: PlanTask | None
    due_date: dt.date

    @property
    def title(self) -> str:
        return self.task.title if self.task else self.plan.title

    def days_left(self, today: dt.date) -> int:
        return (self.due_date - today).days

    def when(self, today: dt.date) -> str:
        days = self.days_left(today)
        if days <= 0:
            return _("due today")
        if days == 1:
            return _("due tomorrow")
        return ngettext("due in %(n)s day", "due in %(n)s days", days) % {"n": days}


def local_now(workspace: Workspace, now: dt.datetime) -> dt.datetime:
    return now.astimezone(zoneinfo.ZoneInfo(workspace.time_zone))


def due_items(workspace: Workspace, today: dt.date) -> dict[int, list[Item]]:
    """user id → what falls due within the window, of open plans and open tasks, that the
    user has not yet been reminded of for that date."""
    window = (today, today + dt.timedelta(days=LEAD_DAYS))
    members = Membership.objects.filter(workspace=workspace, user__is_active=True)
    member_ids = set(members.values_list("user_id", flat=True))
    open_plans = ActionPlan.objects.filter(workspace=workspace).exclude(status__in=CLOSED_STATUSES)
    sent = set(
        ReminderSent.objects.filter(plan__workspace=workspace, due_date__range=window).values_list(
            "plan_id", "task_id", "user_id", "due_date"
        )
    )
    out: dict[int, list[Item]] = defaultdict(list)
    for plan in open_plans.filter(due_date__range=window, owner__isnull=False).order_by("due_date"):
        key = (plan.pk, None, plan.owner_id, plan.due_date)
        if plan.owner_id in member_ids and key not in sent:
            out[plan.owner_id].append(Item(plan, None, plan.due_date))
    tasks = (
        PlanTask.objects.filter(
            plan__in=open_plans, done=False, due_date__range=window, owner__isnull=False
        )
        .select_related("plan")
        .order_by("due_date", "plan_id", "position", "id")
    )
    for task in tasks:
        key = (task.plan_id, task.pk, task.owner_id, task.due_date)
        if task.owner_id in member_ids and key not in sent:
            out[task.owner_id].append(Item(task.plan, task, task.due_date))
    return out


def language_of(user: User, workspace: Workspace) -> str:
    return supported(user.language) or supported(workspace.language) or "en"


def plan_url(workspace: Workspace, plan: ActionPlan) -> str:
    return base_url() + reverse("action_plan_detail", args=[workspace.slug, plan.pk])


def render_reminder(
    workspace: Workspace, user: User, items: list[Item], today: dt.date
) -> EmailMultiAlternatives:
    language = language_of(user, workspace)
    with (
        translation.override(language),
        timezone.override(zoneinfo.ZoneInfo(staff_zone(user, workspace))),
    ):
        lines = [
            {
                "item": item,
                "kind": "task" if item.task else "plan",
                "when": item.when(today),
                "url": plan_url(workspace, item.plan),
            }
            for item in items
        ]
        context = {
            "workspace": workspace,
            "user": user,
            "lines": lines,
            "list_url": base_url() + reverse("action_plan_list", args=[workspace.slug]),
            "LANGUAGE_CODE": language,
        }
        if len(items) == 1:
            subject = _("Reminder: “%(title)s” is %(when)s") % {
                "title": items[0].title,
                "when": lines[0]["when"],
            }
        else:
            subject = ngettext(
                "Reminder: %(n)s action item is due soon",
                "Reminder: %(n)s action items are due soon",
                len(items),
            ) % {"n": len(items)}
        text = render_to_string("action_plans/email/reminder.txt", context)
        html = render_to_string("action_plans/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=f"[caredesk] {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_reminders(workspace: Workspace, *, now: dt.datetime | None = None, force=False) -> int:
    """Send what is due in this workspace (from SEND_HOUR on, unless `force`); returns how
    many emails were sent. The ReminderSent rows are written in the same transaction as the
    send: a failed send leaves none, so the next hour tries again."""
    local = local_now(workspace, now or timezone.now())
    if local.hour < SEND_HOUR and not force:
        return 0
    today = local.date()
    due = due_items(workspace, today)
    users = User.objects.in_bulk(list(due))
    sent = 0
    connection = get_connection()
    for user_id, items in due.items():
        user = users.get(user_id)
        if user is None or not user.email:
            continue
        try:
            with transaction.atomic():
                for item in items:
                    ReminderSent.objects.create(
                        plan=item.plan, task=item.task, user=user, due_date=item.due_date
                    )
                message = render_reminder(workspace, user, items, today)
                message.connection = connection
                message.send()
        except IntegrityError:
            continue  # another run sent it meanwhile
        except Exception:
            log.exception(
                "action plan reminders of %s not sent to user %s", workspace.slug, user_id
            )
            continue
        sent += 1
    return sent


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """The hourly task's work: every workspace where it is SEND_HOUR or later."""
    now = now or timezone.now()
    return sum(
        send_reminders(ws, now=now)
        for ws in Workspace.objects.order_by("pk")
        if Tab.ACTION_PLANS in ws.enabled_tabs
    )
