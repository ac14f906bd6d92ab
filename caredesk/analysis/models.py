"""The workspace's topic taxonomy and the stored analysis of every text source.

A source is an activity (chat transcript per message, call transcript per segment, email,
web form) or a survey response's verbatim, named by (`source`, `source_id`): plain ids, so
this app stays below the apps that own those rows (the layers in pyproject.toml)."""

from django.db import models
from django.utils.translation import pgettext_lazy

from caredesk.workspaces.models import Workspace

LANGUAGES = ("en", "pt", "it", "bg")


class Topic(models.Model):
    """A node of the taxonomy. `phrases` maps a language code to the words and phrases that
    mark the topic in that language: {"en": ["cancel", "close my account"], "pt": [...]}.
    A phrase matches on word boundaries, after lower-casing and lemmatising both sides."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="topics")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(max_length=100)
    # Names shown per language ({"pt": "Cancelamento"}); `name` when a language has none.
    names = models.JSONField(default=dict, blank=True)
    phrases = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "parent", "name"], name="topic_name_once_per_parent"
            ),
            models.UniqueConstraint(
                fields=["workspace", "name"],
                condition=models.Q(parent__isnull=True),
                name="root_topic_name_once",
            ),
        ]

    def __str__(self):
        return self.name


class SourceKind(models.TextChoices):
    ACTIVITY = "activity", pgettext_lazy("analysed text", "Activity")
    RESPONSE = "response", pgettext_lazy("analysed text", "Survey response")


class Label(models.TextChoices):
    NEGATIVE = "negative", pgettext_lazy("sentiment", "Negative")
    NEUTRAL = "neutral", pgettext_lazy("sentiment", "Neutral")
    POSITIVE = "positive", pgettext_lazy("sentiment", "Positive")


class Signal(models.TextChoices):
    ESCALATION = "escalation", pgettext_lazy("signal", "Asks for a manager")
    REPETITION = "repetition", pgettext_lazy("signal", "Repeats themselves")
    CHURN = "churn", pgettext_lazy("signal", "Threatens to cancel")


class Analysis(models.Model):
    """The analysis of one source. Sentiment is a compound score in [-1, 1]; the label is
    negative below -0.05, positive above 0.05 (VADER's thresholds), else neutral.

    `units` holds one entry per message / transcript segment / text, in order:
    {"side": "customer"|"agent"|"other", "text": str, "sentiment": float, "label": str,
     "evidence": [{"start": int, "end": int, "word": str, "weight": float}]}
    `signals`: [{"kind": Signal, "unit": int, "start": int, "end": int, "phrase": str}]
    `keyphrases`: [str] (YAKE, best first)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=SourceKind.choices)
    source_id = models.BigIntegerField()
    media_type = models.CharField(max_length=20)
    occurred_at = models.DateTimeField()
    # Dimensions copied from the source, so the Conversations tab reads one table.
    case_id = models.BigIntegerField(null=True, blank=True)
    segment_path = models.CharField(max_length=500, blank=True, default="")
    queue_name = models.CharField(max_length=100, blank=True, default="")
    agent_id = models.BigIntegerField(null=True, blank=True)
    # A response's score (NPS 0–10, CSAT …) for the drivers of detractors; null elsewhere.
    score = models.SmallIntegerField(null=True, blank=True)
    # A response's survey and its kind: "nps" marks the verbatims whose 0–6 are detractors.
    survey_id = models.BigIntegerField(null=True, blank=True)
    survey_kind = models.CharField(max_length=10, blank=True, default="")
    language = models.CharField(max_length=5, blank=True, default="")
    sentiment = models.FloatField(null=True, blank=True)
    label = models.CharField(max_length=10, choices=Label.choices, blank=True, default="")
    customer_sentiment = models.FloatField(null=True, blank=True)
    agent_sentiment = models.FloatField(null=True, blank=True)
    # The customer's sentiment over the first and the last third of their messages.
    start_sentiment = models.FloatField(null=True, blank=True)
    end_sentiment = models.FloatField(null=True, blank=True)
    units = models.JSONField(default=list, blank=True)
    signals = models.JSONField(default=list, blank=True)
    keyphrases = models.JSONField(default=list, blank=True)
    # Whether `signals` holds each kind: the tab counts them with a plain filter on both
    # databases (no JSON path queries).
    escalation = models.BooleanField(default=False)
    repetition = models.BooleanField(default=False)
    churn = models.BooleanField(default=False)
    # Which taxonomy the topics came from: Topic.updated_at's maximum when analysed.
    taxonomy_stamp = models.CharField(max_length=40, blank=True, default="")
    analysed_at = models.DateTimeField(auto_now=True)
    topics = models.ManyToManyField(Topic, through="AnalysisTopic", related_name="analyses")

    class Meta:
        verbose_name_plural = "analyses"
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="analysis_once")
        ]
        indexes = [
            models.Index(fields=["workspace", "occurred_at"], name="analysis_ws_occurred"),
            models.Index(fields=["case_id"], name="analysis_case"),
        ]

    def __str__(self):
        return f"{self.source} {self.source_id}"


class AnalysisTopic(models.Model):
    """A topic found in a source, with the evidence: which phrase matched where.
    `evidence`: [{"unit": int, "start": int, "end": int, "phrase": str}]."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="topic_hits")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="hits")
    evidence = models.JSONField(default=list, blank=True)
    # Copied from the analysis: topic trends are one indexed scan.
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["analysis", "topic"], name="analysis_topic_once")
        ]
        indexes = [
            models.Index(fields=["workspace", "topic", "occurred_at"], name="topic_hit_ws"),
        ]

    def __str__(self):
        return f"{self.topic_id} in {self.analysis_id}"
