"""Re-analysing history in batches: every source of a period (the `reanalyse` command), or
the analyses made with an older taxonomy (after a topic change). Batches are keyset pages
by id, so a million rows never sit in memory and progress can be reported."""

import datetime as dt
from collections.abc import Callable, Iterator

from django.db.models import Q, QuerySet

from caredesk.analysis.models import Analysis, SourceKind
from caredesk.conversations import pipeline
from caredesk.feedback.models import Response
from caredesk.journey.models import Activity

BATCH = 500

Progress = Callable[[str, int, int], None]


def _pages(qs: QuerySet, field: str = "pk") -> Iterator[list]:
    last = None
    while True:
        page = qs.order_by(field)
        if last is not None:
            page = page.filter(**{f"{field}__gt": last})
        ids = list(page.values_list(field, flat=True)[:BATCH])
        if not ids:
            return
        yield ids
        last = ids[-1]


def sources(workspace_ids: list[int] | None, since: dt.datetime | None) -> dict[str, QuerySet]:
    activities = Activity.objects.filter(media_type__in=pipeline.ANALYSED_MEDIA)
    responses = Response.objects.exclude(comment="")
    if workspace_ids is not None:
        activities = activities.filter(workspace_id__in=workspace_ids)
        responses = responses.filter(workspace_id__in=workspace_ids)
    if since is not None:
        activities = activities.filter(occurred_at__gte=since)
        responses = responses.filter(responded_at__gte=since)
    return {SourceKind.ACTIVITY: activities, SourceKind.RESPONSE: responses}


def reanalyse(
    workspace_ids: list[int] | None = None,
    since: dt.datetime | None = None,
    progress: Progress | None = None,
) -> int:
    """Analyse every source (of a workspace, since a moment) again; returns how many
    analyses were stored. `progress(source, done, total)` after each batch."""
    stored = 0
    for source, qs in sources(workspace_ids, since).items():
        total, done = qs.count(), 0
        for ids in _pages(qs):
            stored += pipeline.analyse(source, ids)
            done += len(ids)
            if progress:
                progress(source, done, total)
    return stored


def reanalyse_stale(workspace_id: int, since: dt.datetime) -> int:
    """The analyses since `since` whose taxonomy is not the current one."""
    stamp = pipeline.taxonomy_stamp(workspace_id)
    stale = Analysis.objects.filter(workspace_id=workspace_id, occurred_at__gte=since).filter(
        ~Q(taxonomy_stamp=stamp)
    )
    stored = 0
    for source in (SourceKind.ACTIVITY, SourceKind.RESPONSE):
        for ids in _pages(stale.filter(source=source), "source_id"):
            stored += pipeline.analyse(source, ids)
    return stored
