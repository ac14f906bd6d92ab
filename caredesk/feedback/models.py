"""Surveys (with questions and translations), their responses, and the alert rules that turn
responses into cases, notifications and webhook calls."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caredesk.workspaces.access import WorkspaceQuerySet, area_rule, visibility_queryset


class SurveyKind(models.TextChoices):
    NPS = "nps", _("NPS (0–10)")
    CSAT = "csat", _("CSAT (1–5)")
    CUSTOM = "custom", _("Custom questionnaire")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Text")


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="surveys"
    )
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    # The title in the default language; translations live in SurveyTranslation.
    name = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    thank_you = models.TextField(blank=True)
    default_language = models.CharField(max_length=10, default="en")
    # The public page is /s/<token>/; the token is the only thing that identifies it there.
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    is_active = models.BooleanField(default=True)
    # Emailed to the customer when one of the workspace's cases is resolved (CSAT only).
    send_on_case_resolve = models.BooleanField(default=False)
    # The segment a ticket opened from one of its responses takes when the response names
    # none (Workspace.case_segment_order, "survey").
    segment = models.ForeignKey(
        "workspaces.Segment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(send_on_case_resolve=True),
                name="one_resolve_survey_per_workspace",
            )
        ]

    def __str__(self):
        return self.name


class Question(models.Model):
    """One question of a survey. `options` is [{"value": "price", "label": "Price"}, …] for
    choice questions; a rating goes from scale_min to scale_max. Answers are stored in
    Response.answers under `key`."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    label = models.CharField(max_length=500)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    options = models.JSONField(default=list, blank=True)
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_key_per_survey")
        ]

    def __str__(self):
        return self.key


class SurveyTranslation(models.Model):
    """The survey's texts in one more language. `labels` maps a question key to its label and
    "<key>.<option value>" to an option's label; anything missing falls back to the default."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=200, blank=True)
    intro = models.TextField(blank=True)
    thank_you = models.TextField(blank=True)
    labels = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "language"], name="one_translation_per_lang")
        ]

    def __str__(self):
        return f"{self.survey} ({self.language})"


# The tickets' area rule on the response's own segment.
ResponseQuerySet = visibility_queryset(area_rule)


class Response(models.Model):
    """Written once by the intake and updated once by the evaluation (evaluated_at). Every
    index is paid by each of the two writes, so only the ones queries use are kept: the
    workspace and the survey lead composite indexes below (no index of their own), a case is
    indexed only where set. On PostgreSQL the table has fillfactor 45 (migration 0003): the
    evaluation's UPDATE then finds room in the same page and is a HOT update, which writes
    no index entry at all."""

    # Always the survey's workspace, copied so the list's indexes can lead with it. The
    # survey's foreign key (and the survey's own) already guarantee it exists, so no database
    # constraint checks it again for every row stored (Django still cascades deletes).
    workspace = models.ForeignKey(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        db_index=False,
        db_constraint=False,
    )
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    # Set by integrations so a retried submission is stored once.
    external_id = models.CharField(max_length=200, null=True, blank=True)
    score = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    customer_email = models.CharField(max_length=254, blank=True)
    contact = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    segment = models.ForeignKey(
        "workspaces.Segment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The segment's path, copied so the management area and the rules' segment criterion are
    # a prefix match without a join.
    segment_path = models.CharField(max_length=500, blank=True, default="")
    transaction = models.JSONField(default=dict, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, blank=True)
    # The case this response answers (CSAT after a resolved case), not a case it opened:
    # those are in AlertRuleCase.
    case = models.ForeignKey(
        "care.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        db_index=False,  # response_case: only the rows that have one
    )
    # When the customer answered (given by imports), and when caredesk stored it.
    responded_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the alert rules have run for it.
    evaluated_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="response_external_id_per_survey",
            )
        ]
        indexes = [
            # The list walks (responded_at, id) newest first, inside a survey or an area.
            models.Index(fields=["workspace", "responded_at", "id"], name="response_ws_responded"),
            models.Index(fields=["survey", "responded_at", "id"], name="response_survey_responded"),
            models.Index(
                fields=["workspace", "segment_path", "responded_at", "id"],
                opclasses=["int8_ops", "varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                name="response_ws_area",
            ),
            models.Index(
                fields=["case"], condition=models.Q(case__isnull=False), name="response_case"
            ),
        ]

    def __str__(self):
        return f"Response {self.pk} to {self.survey_id}"


class AlertRule(models.Model):
    """criteria (all given must match; their schema is caredesk.feedback.schemas, their
    evaluation caredesk.feedback.rules):
      {"scores": [{"kind": "nps"|"csat"|"<question key>", "min": 0, "max": 6}, …],
       "nps_category": ["detractor", …], "answers": [{"question", "op", "value"}, …],
       "keywords": ["não", …], "segment": <id>, "transaction": [{"field", "op", "value"}, …]}
    actions (any set): {"create_case": {"priority", "status", "segment": "response" | <id>},
      "assign": {"to": "segment_manager" | "queue" | "user", "queue": name, "user": id},
      "notify": {"users": [ids]}, "webhook": {"url": "https://…"}}"""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="alert_rules"
    )
    # None: the rule applies to every survey of the workspace.
    survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_rules"
    )
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    criteria = models.JSONField(default=dict, blank=True)
    actions = models.JSONField(default=dict, blank=True)
    # Signs webhook bodies (X-Caredesk-Signature: sha256=<hmac>).
    webhook_secret = models.CharField(max_length=64, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class AlertRuleHit(models.Model):
    """A rule matched a response. Its actions run only when this row is first written, so
    re-evaluating a response never repeats them."""

    # No index of its own: the unique (rule, response) index leads with the rule.
    rule = models.ForeignKey(
        AlertRule, on_delete=models.CASCADE, related_name="hits", db_index=False
    )
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="rule_hits")
    matched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "response"], name="one_hit_per_rule_response")
        ]

    def __str__(self):
        return f"{self.rule_id} matched {self.response_id}"


class AlertRuleCase(models.Model):
    """The case a rule opened for a response; the constraint makes that one per pair."""

    rule = models.ForeignKey(
        AlertRule, on_delete=models.CASCADE, related_name="created_cases", db_index=False
    )
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="rule_cases")
    case = models.ForeignKey("care.Case", on_delete=models.CASCADE, related_name="rule_sources")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "response"], name="one_case_per_rule_response")
        ]

    def __str__(self):
        return f"{self.rule} → {self.case}"


class AlertNotification(models.Model):
    """An email a rule sent about a response."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="notifications")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.CharField(max_length=254)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"{self.email} about {self.response_id}"


class WebhookDelivery(models.Model):
    """One attempt to POST a response to a rule's webhook."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="deliveries")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500)
    attempt = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    succeeded = models.BooleanField(default=False)
    attempted_at = models.DateTimeField(auto_now_add=True)
    # When the next attempt is scheduled; null after a success or the last attempt.
    next_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "response", "attempt"], name="one_delivery_per_attempt"
            )
        ]

    def __str__(self):
        return f"{self.url} #{self.attempt}"


class Invitation(models.Model):
    """A personal link to a survey, emailed to a customer about a case; answered once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    case = models.ForeignKey(
        "care.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.CharField(max_length=254)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "case"],
                condition=models.Q(case__isnull=False),
                name="one_invitation_per_case",
            )
        ]
        # Insights: the survey response rate counts invitations sent in a date range.
        indexes = [models.Index(fields=["survey", "sent_at"], name="invitation_survey_sent")]

    def __str__(self):
        return f"{self.email} to {self.survey_id}"


class PendingEvaluation(models.Model):
    """A stored response whose alert rules have not run yet: written in the transaction that
    stores the response, deleted in the one that evaluates it. The evaluation task is queued
    only after the commit and a worker can die in the middle of it, so this row, not the
    queue, is what guarantees the evaluation (the worker's sweep, caredesk.feedback.tasks,
    evaluates what is left here). A table of its own rather than an index on evaluated_at:
    on PostgreSQL such an index would stop the evaluation's UPDATE from being a HOT update
    (see Response), and this table stays as small as the backlog."""

    response = models.OneToOneField(
        Response, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self):
        return f"Response {self.response_id} to evaluate"


class PendingWebhook(models.Model):
    """A webhook call a rule owes for a response: written in the transaction that records the
    rule's hit, moved on to the next attempt (or deleted) in the one that records an attempt.
    The attempt's task is queued after the commit and the next one scheduled in huey; if a
    process dies with either, the worker's sweep finds the row (caredesk.feedback.tasks)."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    attempt = models.PositiveSmallIntegerField(default=1)
    due_at = models.DateTimeField()
    # Set by the sender making the attempt, so no other one POSTs it meanwhile; a sender that
    # died lets it go when this passes.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "response"], name="one_pending_webhook")
        ]

    def __str__(self):
        return f"{self.rule_id} owes {self.response_id} attempt {self.attempt}"
