"""Action plans: an improvement plan made from an insight (a metric on a slice of the data),
with its owner, collaborators, tasks, comments and links. The plan keeps the filter it came
from and the metric's value on that slice when it was made (the baseline); its impact is
computed from the same metric definitions as the Insights tab (caredesk.insights.metrics),
never typed in. Changes are written to the audit log (object_type "action_plan")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caredesk.workspaces.access import WorkspaceQuerySet


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("action plan status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("action plan status", "In progress")
    BLOCKED = "blocked", pgettext_lazy("action plan status", "Blocked")
    DONE = "done", pgettext_lazy("action plan status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action plan status", "Cancelled")


# A plan in one of these is over: not overdue, not in reminders, not in "my action items".
CLOSED_STATUSES = (PlanStatus.DONE, PlanStatus.CANCELLED)


class PlanPriority(models.TextChoices):
    LOW = "low", pgettext_lazy("action plan priority", "Low")
    MEDIUM = "medium", pgettext_lazy("action plan priority", "Medium")
    HIGH = "high", pgettext_lazy("action plan priority", "High")
    CRITICAL = "critical", pgettext_lazy("action plan priority", "Critical")


class PlanOrigin(models.TextChoices):
    """Where in the product the plan was made from."""

    MANUAL = "manual", _("By hand")
    KPI = "kpi", _("KPI card")
    CHART = "chart", _("Chart")
    TOPIC = "topic", _("Topic")
    DRIVER = "driver", _("Driver of detractors")


class ActionPlan(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="action_plans"
    )
    title = models.CharField(max_length=200)
    # Markdown, shown through caredesk.core.markdown (sanitised).
    description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="collaborating_action_plans"
    )
    # Whose plan it is: readers are those whose management area holds it (the segment's path
    # is copied, as on cases, so the area rule is a prefix test). Null: the whole workspace.
    segment = models.ForeignKey(
        "workspaces.Segment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    segment_path = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(
        max_length=20, choices=PlanStatus.choices, default=PlanStatus.NOT_STARTED
    )
    priority = models.CharField(
        max_length=10, choices=PlanPriority.choices, default=PlanPriority.MEDIUM
    )
    due_date = models.DateField(null=True, blank=True)

    # The insight it came from. `metric` is a name of caredesk.insights.catalogue ("" for a
    # plan made by hand without one); `filters` the Insights query string it was made under
    # (InsightFilters.as_params(): segment, queue, channel, agent, team, survey, tag, topic,
    # from, to, grain), so the plan's slice is exactly the card's.
    origin = models.CharField(max_length=10, choices=PlanOrigin.choices, default=PlanOrigin.MANUAL)
    metric = models.CharField(max_length=40, blank=True, default="")
    filters = models.JSONField(default=dict, blank=True)
    # The metric on that slice over the period it was made from (`baseline_from`..`to`), and
    # how many rows it was computed from; null when there was no metric or no data.
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_count = models.IntegerField(null=True, blank=True)
    baseline_from = models.DateField(null=True, blank=True)
    baseline_to = models.DateField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    # When the plan started: the impact is the metric since this day (creation by default).
    started_on = models.DateField()

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["workspace", "status", "due_date"]),
            models.Index(fields=["workspace", "owner", "status"]),
            models.Index(
                fields=["workspace", "segment_path"],
                name="action_plan_area",
                opclasses=["", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.title


class TaskKind(models.TextChoices):
    FREE = "free", _("Task")
    COACHING = "coaching", _("Coaching session")
    ARTICLE = "article", _("Article to write or update")


class PlanTask(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=10, choices=TaskKind.choices, default=TaskKind.FREE)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    # kind=coaching: the agent to coach, and the session once it is scheduled
    # (caredesk.coaching); the agent's coaching plan is found from the agent.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coaching_session = models.ForeignKey(
        "coaching.CoachingSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_tasks",
    )
    # kind=article: the article to update, or the one written for it (caredesk.resources).
    article = models.ForeignKey(
        "resources.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["owner", "done", "due_date"])]

    def __str__(self):
        return self.title


class PlanComment(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:40]


class PlanLink(models.Model):
    """An attachment, kept as a link (a document, a spreadsheet, a recording)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=2000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title


class ReminderSent(models.Model):
    """A due-date reminder sent once per (plan or task, recipient, due date): moving the date
    sends a new one."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(
        PlanTask, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Two, as a null task would make one constraint never match on PostgreSQL < 15.
            models.UniqueConstraint(
                fields=["plan", "user", "due_date"],
                condition=models.Q(task=None),
                name="action_plan_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["task", "user", "due_date"],
                condition=models.Q(task__isnull=False),
                name="action_plan_task_reminder_once",
            ),
        ]

    def __str__(self):
        return f"reminder {self.plan_id} {self.due_date}"
