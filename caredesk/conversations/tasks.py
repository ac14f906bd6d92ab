"""The analysis in the task queue: what arrives is analysed after its commit, one task per
event (a survey batch is one task), and a taxonomy change re-analyses the last 90 days."""

import datetime as dt

from django.utils import timezone
from huey.contrib.djhuey import db_task

from caredesk.conversations import history, pipeline
from caredesk.journey.models import Activity

# How far back a topic change re-analyses on its own (older history: the reanalyse command).
TAXONOMY_DAYS = 90


@db_task(retries=2, retry_delay=10)
def analyse_sources(source: str, ids: list[int]) -> int:
    return pipeline.analyse(source, ids)


@db_task(retries=2, retry_delay=10)
def analyse_chat(conversation_id: int) -> int:
    """A chat that ended: its activity (made after the chat's start commit) is analysed."""
    ids = list(
        Activity.objects.filter(conversation_id=conversation_id).values_list("pk", flat=True)
    )
    return pipeline.analyse_activities(ids) if ids else 0


@db_task()
def reanalyse_taxonomy(workspace_id: int) -> int:
    """After a topic was created, changed or deleted: the analyses of the last 90 days not
    yet made with the current taxonomy (two edits in a row: the second run finds little)."""
    since = timezone.now() - dt.timedelta(days=TAXONOMY_DAYS)
    return history.reanalyse_stale(workspace_id, since)
