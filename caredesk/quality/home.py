"""The quality figures of Home, per role, each counted exactly as the list it links to shows
its rows (core/_quality_home.html builds the links):

- evaluations to do (`evaluate`): pending review-queue items the user may evaluate: assigned
  to them, or about an agent they coach or whose segment lies in their area (the whole
  workspace with view_all_cases) → the review queue;
- appeals to review (`review_appeals`, or named reviewer): open appeals where they are the
  reviewer, or on an evaluation they see → the appeals list, open ones;
- my coaching cases (`evaluate`): open coaching cases (origin evaluation or coaching) they own
  or that are shared with them → the inbox's "Mine & shared with me" view of coaching cases;
- sessions due (counted by home.views, as coaching lies above quality): scheduled coaching
  sessions in the next 7 days where they are the coach or the agent → the coaching sessions;
- for everyone evaluated: their evaluations not acknowledged yet, their open appeals and
  their five latest evaluations.

Read straight from the models, one COUNT each."""

from django.db.models import Q

from caredesk.care.models import COACHING_ORIGINS, OPEN_STATUSES, Case, shared_case_ids
from caredesk.quality.models import (
    Appeal,
    AppealStatus,
    Evaluation,
    EvaluationKind,
    ReviewItem,
    ReviewStatus,
    coached_agent_ids,
)
from caredesk.workspaces.access import Access, area_q
from caredesk.workspaces.permissions import Perm

LATEST = 5


def review_items_to_do(access: Access):
    """Pending review-queue items the user may evaluate."""
    qs = ReviewItem.objects.filter(workspace=access.workspace, status=ReviewStatus.PENDING)
    if access.sees_whole_workspace:
        return qs
    cond = Q(assignee=access.user) | area_q(access, "segment_path")
    if coached := coached_agent_ids(access):
        cond |= Q(agent__in=coached)
    return qs.filter(cond)


def appeals_to_review(access: Access):
    """Open appeals the user decides: theirs as reviewer, and with review_appeals every open
    one on an evaluation they see."""
    qs = Appeal.objects.filter(workspace=access.workspace, status=AppealStatus.OPEN)
    cond = Q(reviewer=access.user)
    if access.has(Perm.REVIEW_APPEALS):
        cond |= Q(pk__in=Appeal.objects.visible_to(access).values("pk"))
    return qs.filter(cond)


def my_coaching_cases(access: Access):
    """Open coaching cases the user owns or that are shared with them (the inbox's "mine")."""
    mine = Q(owner=access.user)
    if shared := shared_case_ids(access):
        mine |= Q(pk__in=shared)
    return (
        Case.objects.visible_to(access)
        .filter(origin__in=COACHING_ORIGINS, status__in=OPEN_STATUSES)
        .filter(mine)
    )


def my_evaluations(access: Access):
    """The user's own regular evaluations (what an evaluated agent sees of theirs)."""
    return Evaluation.objects.filter(
        workspace=access.workspace, agent=access.user, kind=EvaluationKind.REGULAR
    )


def quality_home(access: Access) -> dict:
    """Home's quality block for the user; empty figures are left to the template."""
    if access.user is None:
        return {}
    evaluates = access.has(Perm.EVALUATE)
    mine = my_evaluations(access)
    out = {
        "evaluates": evaluates,
        "unacknowledged": mine.filter(acknowledged_at__isnull=True).count(),
        "my_open_appeals": Appeal.objects.filter(
            workspace=access.workspace, agent=access.user, status=AppealStatus.OPEN
        ).count(),
        "latest": list(mine.select_related("scorecard").order_by("-occurred_at", "-id")[:LATEST]),
    }
    # Shown to those who decide appeals, and to a named arbitrator with one waiting.
    to_review = appeals_to_review(access).count()
    out["appeals_to_review"] = to_review if access.has(Perm.REVIEW_APPEALS) or to_review else None
    if evaluates:
        out["review_to_do"] = review_items_to_do(access).count()
        out["coaching_cases"] = my_coaching_cases(access).count()
    return out
