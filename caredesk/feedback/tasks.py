"""Background work for feedback: rule evaluation (one task per stored batch), webhook
deliveries with exponential backoff, runs over past responses, survey invitations."""

import datetime as dt

from django.utils import timezone
from huey.contrib.djhuey import db_task

from caredesk.feedback import evaluation

PAST_BATCH = 1000


@db_task(retries=3, retry_delay=10)
def evaluate_responses(response_ids: list[int]) -> list[int]:
    """Evaluate the alert rules for stored responses; returns the ids of new cases."""
    return [case.pk for case in evaluation.evaluate(response_ids).cases]


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


@db_task()
def run_rule_on_past(rule_id: int, date_from: str, date_to: str) -> int:
    """Evaluate one rule over the responses answered between the two dates (inclusive), in
    batches by id; returns the number of new hits."""
    from caredesk.feedback.models import AlertRule, Response

    rule = AlertRule.objects.filter(pk=rule_id).first()
    if rule is None:
        return 0
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(dt.date.fromisoformat(date_from), dt.time.min, tz)
    end = dt.datetime.combine(dt.date.fromisoformat(date_to), dt.time.min, tz) + dt.timedelta(
        days=1
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
    from caredesk.feedback.invitations import invitation_send

    invitation_send(invitation_id)
