"""Surveys, their responses, and the alert rules that turn responses into cases."""

import secrets

from django.db import models


class SurveyKind(models.TextChoices):
    NPS = "nps", "NPS (0–10)"
    CSAT = "csat", "CSAT (1–5)"
    CUSTOM = "custom", "Custom questionnaire"


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="surveys"
    )
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    name = models.CharField(max_length=200)
    # The public page is /s/<token>/; the token is the only thing that identifies it there.
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Response(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="survey_responses"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
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
    transaction = models.JSONField(default=dict, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="response_external_id_per_survey",
            )
        ]
        indexes = [models.Index(fields=["workspace", "created_at"], name="response_ws_created")]

    def __str__(self):
        return f"Response {self.pk} to {self.survey_id}"


class AlertRule(models.Model):
    """criteria: {"score_min": int, "score_max": int}; actions: {"create_case": {"priority":
    ..., "status": ..., "segment": "response" | <segment id>}}."""

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

    def __str__(self):
        return self.name


class AlertRuleCase(models.Model):
    """The case a rule opened for a response; the constraint makes that one per pair."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="created_cases")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="rule_cases")
    case = models.ForeignKey("care.Case", on_delete=models.CASCADE, related_name="rule_sources")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "response"], name="one_case_per_rule_response")
        ]

    def __str__(self):
        return f"{self.rule} → {self.case}"
