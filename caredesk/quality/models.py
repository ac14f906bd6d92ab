"""Quality management: scorecards (versioned), evaluations of activities and their answers,
appeals, calibration sessions, the review queue and who coaches whom.

A scorecard's questions live in its versions (`ScorecardVersion.sections`, immutable once an
evaluation used them); a `Criterion` row is only the stable identity of one question across
versions, so answers and per-criterion trends survive edits. The score arithmetic is in
`caredesk.quality.scoring` and nowhere else."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caredesk.workspaces.access import Access, WorkspaceQuerySet, area_q, visibility_queryset
from caredesk.workspaces.permissions import Perm


class Scale(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    ONE_TO_FIVE = "1_5", _("1 to 5")
    ZERO_TO_TEN = "0_10", _("0 to 10")
    CUSTOM = "custom", _("Own labelled points")


class Scorecard(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="scorecards"
    )
    name = models.CharField(max_length=200)
    # Off: kept with its evaluations, but offered nowhere for new ones.
    active = models.BooleanField(default=True)
    # The version new evaluations are scored on; null only while the first one is written.
    current_version = models.ForeignKey(
        "ScorecardVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """The identity of one question of a scorecard across its versions (its text, weight and
    scale are in each version's `sections`, keyed by this id)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="criteria")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"criterion {self.pk}"


class ScorecardVersion(models.Model):
    """One immutable state of a scorecard once an evaluation used it.

    sections: [{"title": str, "criteria": [{"id": Criterion pk, "question": str,
    "weight": number > 0, "scale": Scale, "points": [{"value": int, "label": str,
    "score": 0–100}] (custom scale only), "na_allowed": bool, "auto_fail": bool,
    "bonus": bool, "recommendation": str}]}]"""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    pass_mark = models.PositiveSmallIntegerField(default=80)
    # Which activities it applies to: media types (journey.MediaType values, plus "ticket")
    # and queue names; empty means any.
    media_types = models.JSONField(default=list, blank=True)
    queue_names = models.JSONField(default=list, blank=True)
    sections = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scorecard", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "number"], name="scorecard_version_once")
        ]

    def __str__(self):
        return f"{self.scorecard} v{self.number}"


class EvaluationKind(models.TextChoices):
    REGULAR = "regular", pgettext_lazy("evaluation kind", "Evaluation")
    # Scored in a calibration session: never counts in the agent's quality score.
    CALIBRATION = "calibration", pgettext_lazy("evaluation kind", "Calibration")


class EvaluationSource(models.TextChoices):
    MANUAL = "manual", pgettext_lazy("evaluation source", "By an evaluator")
    API = "api", pgettext_lazy("evaluation source", "By an integration")


def evaluation_visibility_q(access: Access, prefix: str = "") -> Q | None:
    """Who sees an evaluation: the whole workspace with view_all_cases; else the agent it is
    about (regular ones only: calibration scores are not theirs), its evaluator, a coach of the
    agent (CoachAssignment, per agent or per segment), and managers whose area holds the
    agent's segment. A user without `evaluate` or `review_appeals` sees only their own."""
    if access.sees_whole_workspace:
        return None
    user = access.user
    mine = Q(**{f"{prefix}agent": user, f"{prefix}kind": EvaluationKind.REGULAR})
    if not (access.has(Perm.EVALUATE) or access.has(Perm.REVIEW_APPEALS)):
        return mine
    cond = mine | Q(**{f"{prefix}evaluator": user})
    cond |= area_q(access, f"{prefix}segment_path")
    coached = coached_agent_ids(access)
    if coached:
        cond |= Q(**{f"{prefix}agent__in": coached})
    return cond


def coached_agent_ids(access: Access) -> list[int]:
    """The users `access.user` coaches in this workspace: named per agent, or members whose
    default segment lies under a segment they coach."""
    from caredesk.workspaces.models import Membership, Segment

    if access.user is None:
        return []
    rows = CoachAssignment.objects.filter(workspace=access.workspace, coach=access.user)
    ids = set(rows.filter(agent__isnull=False).values_list("agent_id", flat=True))
    paths = list(
        Segment.objects.filter(
            pk__in=rows.filter(segment__isnull=False).values("segment_id")
        ).values_list("path", flat=True)
    )
    if paths:
        cond = Q(pk__in=[])
        for path in paths:
            cond |= Q(default_segment__path__startswith=path)
        ids |= set(
            Membership.objects.filter(cond, workspace=access.workspace).values_list(
                "user_id", flat=True
            )
        )
    ids.discard(access.user.pk)
    return sorted(ids)


EvaluationQuerySet = visibility_queryset(evaluation_visibility_q)
EvaluationChildQuerySet = visibility_queryset(evaluation_visibility_q, "evaluation__")


class Evaluation(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="evaluations"
    )
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="evaluations")
    version = models.ForeignKey(
        ScorecardVersion, on_delete=models.PROTECT, related_name="evaluations"
    )
    # What was evaluated: an activity (chat, call, email…) or a ticket.
    activity = models.ForeignKey(
        "journey.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The agent evaluated (the activity's agent unless the evaluator named another).
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations_received",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations_given",
    )
    # The agent's default segment's path when evaluated: the management-area rule's column.
    segment_path = models.CharField(max_length=500, blank=True, default="")
    kind = models.CharField(
        max_length=12, choices=EvaluationKind.choices, default=EvaluationKind.REGULAR
    )
    calibration = models.ForeignKey(
        "CalibrationSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    source = models.CharField(
        max_length=10, choices=EvaluationSource.choices, default=EvaluationSource.MANUAL
    )
    # An integration's own id for it: posting it again answers the stored evaluation.
    external_id = models.CharField(max_length=200, blank=True, default="")
    score = models.FloatField()
    passed = models.BooleanField()
    auto_failed = models.BooleanField(default=False)
    comment = models.TextField(blank=True, default="")
    # When the evaluated work happened (the activity's time): trends are by this.
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # The coaching case a failing evaluation opened (exactly one: see services).
    coaching_case = models.ForeignKey(
        "care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "external_id"],
                condition=~Q(external_id=""),
                name="evaluation_external_id_once",
            ),
            # An evaluator scores an activity (or a ticket) with a scorecard once; a second
            # submission is the same evaluation (services.evaluation_create), edited if need be.
            models.UniqueConstraint(
                fields=["activity", "scorecard", "evaluator"],
                condition=Q(kind="regular", activity__isnull=False),
                name="evaluation_of_activity_once",
            ),
            models.UniqueConstraint(
                fields=["case", "scorecard", "evaluator"],
                condition=Q(kind="regular", case__isnull=False),
                name="evaluation_of_case_once",
            ),
            # An evaluator scores a calibration session once.
            models.UniqueConstraint(
                fields=["calibration", "evaluator"],
                condition=Q(calibration__isnull=False),
                name="calibration_scored_once",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="evaluation_score_0_100"
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "agent", "occurred_at"], name="eval_ws_agent"),
            models.Index(fields=["workspace", "occurred_at"], name="eval_ws_time"),
            # The visibility rule's "evaluations I gave" branch, by date (a coach gives tens of
            # thousands in 90 days at scale: 376 → 131 ms for a coach's per-agent scores).
            models.Index(
                fields=["workspace", "evaluator", "occurred_at"], name="eval_ws_evaluator"
            ),
            models.Index(fields=["workspace", "scorecard", "occurred_at"], name="eval_ws_card"),
            models.Index(fields=["version"], name="eval_version"),
            models.Index(fields=["activity"], name="eval_activity"),
            models.Index(
                fields=["workspace", "segment_path", "occurred_at"],
                opclasses=["int8_ops", "varchar_pattern_ops", "timestamptz_ops"],
                name="eval_ws_area",
            ),
        ]

    def __str__(self):
        return f"evaluation {self.pk} ({self.score:g})"


class Answer(models.Model):
    """One criterion's answer in an evaluation, with what the scoring made of it (so reports
    and rescoring read columns, not the version's JSON)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="answers")
    # The point chosen on the criterion's scale; null when N/A or a bonus left unanswered.
    value = models.SmallIntegerField(null=True, blank=True)
    na = models.BooleanField(default=False)
    # The share of the criterion's weight earned (0–1), null when N/A.
    fraction = models.FloatField(null=True, blank=True)
    weight = models.FloatField()
    bonus = models.BooleanField(default=False)
    # Earned less than half its points (scoring.FAIL_BELOW).
    failed = models.BooleanField(default=False)
    comment = models.TextField(blank=True, default="")
    # The chat message (routing.Message id) or transcript line the comment is pinned to.
    message_ref = models.CharField(max_length=40, blank=True, default="")

    objects = EvaluationChildQuerySet.as_manager()

    class Meta:
        ordering = ["evaluation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="answer_once_per_criterion"
            )
        ]
        indexes = [models.Index(fields=["criterion", "evaluation"], name="answer_criterion")]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class EvaluationChange(models.Model):
    """The evaluation's log: creation, edits (per criterion, old → new, why), appeals decided,
    rescoring, the agent changed, the acknowledgement. Append-only."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    # created, edited, appeal_accepted, rescored, agent_changed, acknowledged
    action = models.CharField(max_length=30)
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "answer", "comment", "score", "agent", "version"…
    field = models.CharField(max_length=40, blank=True, default="")
    old_value = models.CharField(max_length=500, blank=True, default="")
    new_value = models.CharField(max_length=500, blank=True, default="")
    reason = models.TextField(blank=True, default="")

    objects = EvaluationChildQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["evaluation", "at"], name="eval_change_eval")]

    def __str__(self):
        return f"{self.evaluation_id} {self.action} {self.field}"


class AppealStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("appeal status", "Open")
    ACCEPTED = "accepted", pgettext_lazy("appeal status", "Accepted")
    PARTIAL = "partial", pgettext_lazy("appeal status", "Partly accepted")
    REJECTED = "rejected", pgettext_lazy("appeal status", "Rejected")


class Appeal(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="appeals"
    )
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="appeals")
    # The agent who appeals (the evaluation's agent).
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who decides: the evaluator's manager or a named arbitrator.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField()
    status = models.CharField(
        max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_comment = models.TextField(blank=True, default="")
    score_before = models.FloatField(null=True, blank=True)
    score_after = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = EvaluationChildQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database refuses a second open appeal on one evaluation.
            models.UniqueConstraint(
                fields=["evaluation"], condition=Q(status="open"), name="one_open_appeal"
            )
        ]
        indexes = [models.Index(fields=["workspace", "status", "created_at"], name="appeal_ws")]

    def __str__(self):
        return f"appeal {self.pk} ({self.status})"


class AppealItem(models.Model):
    """One criterion the agent disputes, with the answer they propose."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    proposed_value = models.SmallIntegerField(null=True, blank=True)
    proposed_na = models.BooleanField(default=False)
    comment = models.TextField(blank=True, default="")
    # The reviewer's decision on this item; null while open.
    accepted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["appeal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "criterion"], name="appeal_item_once")
        ]

    def __str__(self):
        return f"{self.criterion_id} → {self.proposed_value}"


class CalibrationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("calibration status", "Open")
    CLOSED = "closed", pgettext_lazy("calibration status", "Closed")


class CalibrationSession(models.Model):
    """Several evaluators score one activity blind; their answers are then compared."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="calibrations"
    )
    title = models.CharField(max_length=200, blank=True, default="")
    activity = models.ForeignKey(
        "journey.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="calibrations_invited"
    )
    status = models.CharField(
        max_length=10, choices=CalibrationStatus.choices, default=CalibrationStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title or f"calibration {self.pk}"


class SamplingKind(models.TextChoices):
    PER_AGENT = "per_agent", _("A number per agent per period")
    DETRACTOR = "detractor", _("Every one followed by a detractor survey answer")
    LONGER_THAN = "longer_than", _("Every one longer than a number of minutes")


class SamplingRule(models.Model):
    """How the review queue is filled: which activities to evaluate with which scorecard."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="sampling_rules"
    )
    name = models.CharField(max_length=200)
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="rules")
    media_types = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=20, choices=SamplingKind.choices)
    # per_agent: how many per agent in each period of `period_days`.
    count = models.PositiveSmallIntegerField(default=5)
    period_days = models.PositiveSmallIntegerField(default=7)
    # longer_than: the minutes an activity must exceed.
    minutes = models.PositiveIntegerField(default=20)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ReviewStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("review status", "To evaluate")
    DONE = "done", pgettext_lazy("review status", "Evaluated")
    SKIPPED = "skipped", pgettext_lazy("review status", "Skipped")


class ReviewItem(models.Model):
    """One activity of the review queue, picked by a sampling rule."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="review_items"
    )
    rule = models.ForeignKey(
        SamplingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("journey.Activity", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    segment_path = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why the rule picked it, in words for the queue ("Detractor answer: NPS 3").
    reason = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "scorecard"], name="review_item_once_per_card"
            )
        ]
        indexes = [models.Index(fields=["workspace", "status", "created_at"], name="review_ws")]

    def __str__(self):
        return f"review {self.activity_id} ({self.status})"


class CoachAssignment(models.Model):
    """Who coaches whom: one agent, or every member whose default segment lies under a
    segment. A failing evaluation's coaching case goes to the agent's coach (per agent first,
    then the nearest segment), else to the managers of the agent's segment."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="coach_assignments"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_assignments"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    segment = models.ForeignKey(
        "workspaces.Segment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(agent__isnull=False, segment__isnull=True)
                | Q(agent__isnull=True, segment__isnull=False),
                name="coach_of_agent_or_segment",
            ),
            models.UniqueConstraint(
                fields=["workspace", "agent"],
                condition=Q(agent__isnull=False),
                name="one_coach_per_agent",
            ),
            models.UniqueConstraint(
                fields=["workspace", "coach", "segment"],
                condition=Q(segment__isnull=False),
                name="coach_segment_once",
            ),
        ]

    def __str__(self):
        return f"{self.coach_id} coaches {self.agent_id or self.segment_id}"


class RescoreStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("rescore status", "Queued")
    RUNNING = "running", pgettext_lazy("rescore status", "Running")
    DONE = "done", pgettext_lazy("rescore status", "Done")
    FAILED = "failed", pgettext_lazy("rescore status", "Failed")


class RescoreJob(models.Model):
    """A manager's request to score a scorecard's past evaluations again on its current version
    (caredesk.quality.rescoring), with its progress."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="rescore_jobs"
    )
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="rescores")
    to_version = models.ForeignKey(ScorecardVersion, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=RescoreStatus.choices, default=RescoreStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"rescore {self.scorecard_id} → v{self.to_version_id} ({self.status})"
