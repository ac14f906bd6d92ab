"""Reading scorecards for Settings → Scorecards and the API: the list with its figures, one
scorecard (404 outside the caller's workspace), its versions, its history and rescore jobs."""

from django.db.models import Count, Max, Q
from django.http import Http404

from caredesk.audit.models import AuditEntry
from caredesk.quality.models import (
    Evaluation,
    EvaluationKind,
    RescoreJob,
    Scorecard,
    ScorecardVersion,
)
from caredesk.workspaces.access import Access


def scorecard_list(access: Access):
    """Every scorecard of the workspace (on and off), with its evaluations count and last
    edit."""
    return (
        Scorecard.objects.visible_to(access)
        .select_related("current_version")
        .annotate(
            n_evaluations=Count("evaluations", filter=Q(evaluations__kind=EvaluationKind.REGULAR))
        )
        .order_by("name", "id")
    )


def scorecard_get(access: Access, scorecard_id) -> Scorecard:
    try:
        pk = int(scorecard_id)
    except (TypeError, ValueError):
        raise Http404 from None
    card = (
        Scorecard.objects.visible_to(access)
        .select_related("current_version", "created_by")
        .filter(pk=pk)
        .first()
    )
    if card is None:
        raise Http404
    return card


def versions_of(scorecard: Scorecard) -> list[ScorecardVersion]:
    """Newest first, each with `n_evaluations` (regular ones scored on it)."""
    return list(
        scorecard.versions.select_related("created_by")
        .annotate(
            n_evaluations=Count("evaluations", filter=Q(evaluations__kind=EvaluationKind.REGULAR))
        )
        .order_by("-number")
    )


def version_get(scorecard: Scorecard, number) -> ScorecardVersion:
    try:
        n = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    version = (
        scorecard.versions.select_related("created_by")
        .annotate(
            n_evaluations=Count("evaluations", filter=Q(evaluations__kind=EvaluationKind.REGULAR))
        )
        .filter(number=n)
        .first()
    )
    if version is None:
        raise Http404
    return version


def on_older_versions(scorecard: Scorecard) -> int:
    """How many regular evaluations a rescore would move."""
    return (
        Evaluation.objects.filter(scorecard=scorecard, kind=EvaluationKind.REGULAR)
        .exclude(version_id=scorecard.current_version_id)
        .count()
    )


def history(scorecard: Scorecard) -> list[AuditEntry]:
    """Who changed what (audit entries of the scorecard), newest first."""
    return list(
        AuditEntry.objects.filter(
            workspace_id=scorecard.workspace_id, object_type="scorecard", object_id=scorecard.pk
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def last_edits(access: Access) -> dict[int, object]:
    """The time of each scorecard's latest audit entry."""
    rows = (
        AuditEntry.objects.filter(workspace=access.workspace, object_type="scorecard")
        .values("object_id")
        .annotate(at=Max("created_at"))
    )
    return {r["object_id"]: r["at"] for r in rows}


def rescore_jobs(scorecard: Scorecard, limit: int = 5) -> list[RescoreJob]:
    return list(
        scorecard.rescores.select_related("to_version", "started_by").order_by(
            "-created_at", "-id"
        )[:limit]
    )


def rescore_job_get(scorecard: Scorecard, job_id) -> RescoreJob:
    try:
        pk = int(job_id)
    except (TypeError, ValueError):
        raise Http404 from None
    job = scorecard.rescores.select_related("to_version", "started_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
