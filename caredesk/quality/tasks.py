"""Background work of the quality app: rescoring a scorecard's past evaluations."""

from huey.contrib.djhuey import db_task

from caredesk.quality.rescoring import rescore_run


@db_task()
def rescore_job(job_id: int) -> None:
    """Run a queued RescoreJob (caredesk.quality.rescoring.rescore_start queues it)."""
    rescore_run(job_id)
