"""Background work of the measures (caredesk.insights.measures): re-measure what an event
was about, mark late waits every hour, measure a workspace again after its hours change."""

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from caredesk.insights import measures
from caredesk.workspaces.models import Workspace

# Changing business hours re-measures this much history (older figures keep their measure
# until `insights_rebuild` is run).
REMEASURE_DAYS = 180


@db_task()
def measure_cases_task(case_ids: list[int]) -> None:
    measures.measure_cases(case_ids)


@db_task()
def measure_activity_task(activity_id: int) -> None:
    measures.measure_activity(activity_id)


@db_task()
def measure_conversation_task(conversation_id: int) -> None:
    measures.measure_conversation(conversation_id)


@db_task()
def remeasure_workspace_task(workspace_id: int) -> None:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is not None:
        since = timezone.now() - dt.timedelta(days=REMEASURE_DAYS)
        measures.rebuild(workspace=workspace, since=since)


@db_periodic_task(crontab(minute="13"))
def mark_late_task() -> None:
    measures.mark_late()
