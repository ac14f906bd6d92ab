"""The customer journey: every recorded interaction (chat, call, email, web form, survey
response, note) as one Activity, on a customer, optionally on a case, with tags and comments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from caredesk.care.models import case_visibility_q
from caredesk.workspaces.access import Access, visibility_queryset


class MediaType(models.TextChoices):
    CHAT = "chat", pgettext_lazy("activity kind", "Chat")
    CALL = "call", pgettext_lazy("activity kind", "Call")
    EMAIL = "email", pgettext_lazy("activity kind", "Email")
    WEB_FORM = "web_form", pgettext_lazy("activity kind", "Web form")
    SURVEY_RESPONSE = "survey_response", pgettext_lazy("activity kind", "Survey response")
    NOTE = "note", pgettext_lazy("activity kind", "Note")


class Direction(models.TextChoices):
    INBOUND = "inbound", pgettext_lazy("direction", "Inbound")
    OUTBOUND = "outbound", pgettext_lazy("direction", "Outbound")
    INTERNAL = "internal", pgettext_lazy("direction", "Internal")


def activity_visibility_q(access: Access, prefix: str = "") -> Q | None:
    """An activity on a ticket is seen by whoever sees the ticket; one on no ticket belongs to
    the customer's journey, which every member of the workspace reads (the desk serves any
    customer, and customers are shared by the organization). The agent who handled it and the
    user who recorded it always see it. None: the whole workspace."""
    case_cond = case_visibility_q(access, f"{prefix}case__")
    if case_cond is None:
        return None
    return (
        Q(**{f"{prefix}case__isnull": True})
        | Q(**{f"{prefix}agent": access.user})
        | Q(**{f"{prefix}created_by": access.user})
        | case_cond
    )


ActivityQuerySet = visibility_queryset(activity_visibility_q)
ActivityCommentQuerySet = visibility_queryset(activity_visibility_q, "activity__")


class Activity(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="activities"
    )
    media_type = models.CharField(max_length=20, choices=MediaType.choices)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.INBOUND
    )
    contact = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    # Copied from the contact when linked, so an account's timeline is one indexed lookup;
    # an activity can also belong to an account with no contact (e.g. a company mailbox).
    account = models.ForeignKey(
        "customers.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    case = models.ForeignKey(
        "care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    conversation = models.OneToOneField(
        "routing.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=200, blank=True)
    # Note text, email body or call transcript; stored verbatim, escaped wherever shown.
    body = models.TextField(blank=True)
    channel = models.CharField(max_length=60, blank=True)
    queue_name = models.CharField(max_length=100, blank=True)
    skills = models.JSONField(default=list, blank=True)
    # pre_chat, visitor, navigation, variables, call (caller, state…), email headers.
    context = models.JSONField(default=dict, blank=True)
    # The id the outside system gave it (telephony call id, email Message-ID): a retried
    # event finds the same activity.
    external_id = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tags = models.ManyToManyField("care.Tag", blank=True, related_name="activities")

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "media_type", "external_id"],
                condition=~models.Q(external_id=""),
                name="activity_external_id_once",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "contact", "-occurred_at"]),
            models.Index(fields=["workspace", "account", "-occurred_at"]),
            models.Index(fields=["case", "-occurred_at"]),
            # Insights: the volume, handle and wait time of one media type over a date range.
            models.Index(
                fields=["workspace", "media_type", "occurred_at"], name="activity_ws_media_time"
            ),
        ]

    def __str__(self):
        return f"{self.get_media_type_display()} {self.pk}"


class ActivityComment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:40]
