from huey.contrib.djhuey import db_task

from caredesk.feedback.services import response_evaluate


@db_task(retries=3, retry_delay=10)
def evaluate_response(response_id: int) -> list[int]:
    """Evaluate the alert rules for one stored response; returns the ids of new cases."""
    return [case.pk for case in response_evaluate(response_id)]
