"""Background work for feedback: rule evaluation (one task per stored batch, and a sweep of
what such tasks left undone), webhook deliveries with exponential backoff, runs over past
responses, survey invitations."""

import datetime as dt
import threading

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from caredesk.core import zones
from caredesk.feedback import evaluation
from caredesk.feedback.invitations import invitation_send
from caredesk.feedback.models import AlertRule, Response

PAST_BATCH = 1000


@db_task(retries=3, retry_delay=10)
def evaluate_responses(response_ids: list[int]) -> list[int]:
    """Evaluate the alert rules for stored responses; returns the ids of new cases."""
    return [case.pk for case in evaluation.evaluate(response_ids).cases]


@db_periodic_task(crontab(minute="*"))
def evaluate_pending_responses() -> int:
    """The backstop of evaluate_responses, which huey runs at most once: a task is lost with
    a worker killed while it runs, or never queued by an app process killed right after its
    commit. Evaluates the responses still pending after a grace period (during which their
    own task normally runs); returns how many."""
    grace = dt.timedelta(seconds=settings.CAREDESK_EVALUATION_GRACE_SECONDS)
    return evaluation.evaluate_pending(stored_before=timezone.now() - grace)


@db_task()
def evaluate_pending_at_start() -> int:
    """Everything pending when a worker starts, without the grace period: the tasks of the
    worker that ran before it may have died with it."""
    return evaluation.evaluate_pending(stored_before=timezone.now())


_started = threading.Lock()


@on_startup()
def _sweep_at_start() -> None:
    # Huey calls this in each worker thread of the consumer: one sweep per process is enough.
    if _started.acquire(blocking=False):
        evaluate_pending_at_start()


def evaluate_response(response_id: int) -> list[int]:
    return evaluate_responses([response_id])


@db_task()
def deliver_webhook(rule_id: int, response_id: int, attempt: int) -> None:
    """One attempt; a failure schedules the next one (30 s, 60 s, 120 s, …) through huey."""
    delivery = evaluation.webhook_attempt(rule_id, response_id, attempt)
    if delivery is not None and delivery.next_at is not None:
        deliver_webhook.schedule(
            args=(rule_id, response_id, attempt + 1), delay=evaluation.retry_delay(attempt)
        )


@db_periodic_task(crontab(minute="*"))
def deliver_owed_webhooks() -> int:
    """The backstop of deliver_webhook: the calls whose task was lost (a process killed after
    the evaluation's commit, or a worker killed during an attempt or before it scheduled the
    next one), once their time has passed by the grace period. Returns how many it queued."""
    grace = dt.timedelta(seconds=settings.CAREDESK_EVALUATION_GRACE_SECONDS)
    owed = evaluation.webhooks_due(due_before=timezone.now() - grace)
    for rule_id, response_id, attempt in owed:
        deliver_webhook(rule_id, response_id, attempt)
    return len(owed)


@db_task()
def run_rule_on_past(rule_id: int, date_from: str, date_to: str, zone: str = "") -> int:
    """Evaluate one rule over the responses answered between the two dates (inclusive), days
    of `zone` (else the workspace's: the worker's own zone is nobody's), in batches by id;
    returns the number of new hits. `zone` has a default so work queued before it existed
    still runs."""
    rule = AlertRule.objects.filter(pk=rule_id).select_related("workspace").first()
    if rule is None:
        return 0
    tz = zones.zone(zone or rule.workspace.time_zone)
    start, end = zones.days_bounds(
        dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to), tz
    )
    qs = Response.objects.filter(
        workspace_id=rule.workspace_id, responded_at__gte=start, responded_at__lt=end
    )
    if rule.survey_id:
        qs = qs.filter(survey_id=rule.survey_id)
    hits, last = 0, 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:PAST_BATCH])
        if not ids:
            return hits
        hits += evaluation.evaluate(ids, rule_ids=[rule_id]).hits
        last = ids[-1]


@db_task(retries=3, retry_delay=60)
def send_invitation(invitation_id: int) -> None:
    invitation_send(invitation_id)
