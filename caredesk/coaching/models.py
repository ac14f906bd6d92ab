"""Coaching: each agent's plan (built by a periodic task from their own evaluations, surveys
and handling figures: `caredesk.coaching.plans`), its focus areas, and the coaching sessions
a coach holds with an agent, with their agreed action items."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from caredesk.quality.models import coached_agent_ids
from caredesk.workspaces.access import Access, area_q, visibility_queryset
from caredesk.workspaces.permissions import Perm


def agent_visibility_q(access: Access, prefix: str = "") -> Q | None:
    """Rows about one agent (`agent`, with the agent's segment path copied in `segment_path`):
    the agent sees their own; a coach the agents they coach; a manager their area; view_all
    the workspace."""
    if access.sees_whole_workspace:
        return None
    cond = Q(**{f"{prefix}agent": access.user})
    if access.has(Perm.EVALUATE) or access.has(Perm.REVIEW_APPEALS):
        cond |= area_q(access, f"{prefix}segment_path")
        if coached := coached_agent_ids(access):
            cond |= Q(**{f"{prefix}agent__in": coached})
    return cond


AgentRowQuerySet = visibility_queryset(agent_visibility_q)


class CoachingPlan(models.Model):
    """One agent's plan in one workspace, rebuilt in place by `plans.plans_build`.

    figures: the numbers behind it, {"period_days", "evaluations", "score", "pass_rate",
    "team_score", "csat", "nps", "responses", "handle_seconds", "team_handle_seconds",
    "volume", "team_volume"} (None where there is no data)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="coaching_plans"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_plans"
    )
    segment_path = models.CharField(max_length=500, blank=True, default="")
    figures = models.JSONField(default=dict, blank=True)
    built_at = models.DateTimeField()

    objects = AgentRowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "agent"], name="one_plan_per_agent")
        ]

    def __str__(self):
        return f"plan of {self.agent_id}"


class FocusArea(models.Model):
    """A criterion where the agent loses the most points, with the numbers that show it."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="focus_areas")
    criterion = models.ForeignKey("quality.Criterion", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    # The question's text in the latest version that has it (for display).
    question = models.CharField(max_length=500)
    # Points lost on it (weight × (1 − fraction), summed) in the period, and how often.
    lost_points = models.FloatField()
    answers = models.PositiveIntegerField()
    failures = models.PositiveIntegerField()
    # The agent's and the team's average fraction on it (0–1), and per week for the trend:
    # [{"week": "YYYY-MM-DD", "score": 0–100, "answers": n}].
    score = models.FloatField(null=True, blank=True)
    team_score = models.FloatField(null=True, blank=True)
    trend = models.JSONField(default=list, blank=True)
    recommendation = models.TextField(blank=True, default="")
    # A few evaluations where it was failed, newest first.
    evaluation_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "rank"]

    def __str__(self):
        return f"{self.plan_id} #{self.rank}: {self.question[:40]}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("coaching session status", "Scheduled")
    DONE = "done", pgettext_lazy("coaching session status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("coaching session status", "Cancelled")


class CoachingSession(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    segment_path = models.CharField(max_length=500, blank=True, default="")
    scheduled_at = models.DateTimeField()
    criteria = models.ManyToManyField("quality.Criterion", blank=True, related_name="+")
    notes = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgentRowQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["workspace", "status", "scheduled_at"], name="coach_ws")]

    def __str__(self):
        return f"session {self.pk} with {self.agent_id}"


class ActionItem(models.Model):
    """What coach and agent agreed in a session: a to-do with a due date."""

    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="action_items"
    )
    text = models.CharField(max_length=500)
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "due_date", "id"]

    def __str__(self):
        return self.text[:60]
