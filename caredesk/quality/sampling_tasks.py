"""The review queue's periodic sampling (caredesk.quality.sampling). Imported by
QualityConfig.ready, so the worker registers it whatever task modules it discovers."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from caredesk.quality.sampling import sample_all


@db_periodic_task(crontab(minute="7"))
def sample_review_queues() -> int:
    """Every hour: fill each workspace's review queue from its active rules."""
    return sample_all()
