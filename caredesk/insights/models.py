"""Business hours, the measures kept per ticket and per response episode, and the digest's
opt-outs. The measures are derived data: `caredesk.insights.measures` computes them from the
tickets, activities, messages and audit entries as data arrives, and `manage.py
insights_rebuild` computes them again (after business hours change, or on an old database)."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from caredesk.workspaces.models import Workspace


def default_week() -> dict:
    """Monday (0) to Friday, 09:00–17:00; Saturday and Sunday closed."""
    days = {str(d): [["09:00", "17:00"]] for d in range(5)}
    days.update({"5": [], "6": []})
    return days


class BusinessHours(models.Model):
    """A workspace's opening hours, in its own time zone. No row: open around the clock
    (every second counts). `week` maps a weekday ("0" Monday … "6" Sunday) to its intervals
    [["09:00", "12:30"], ["13:30", "18:00"]], in order, not overlapping; an empty list is a
    closed day."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="business_hours"
    )
    week = models.JSONField(default=default_week)
    # A ticket not resolved within this many business hours misses its SLA.
    resolution_target_hours = models.PositiveIntegerField(default=24)
    # A first response later than this many business minutes misses its SLA.
    first_response_target_minutes = models.PositiveIntegerField(default=60)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "business hours"

    def __str__(self):
        return f"Business hours of {self.workspace}"


class Holiday(models.Model):
    """A closed day of the workspace (in its time zone): no business time at all."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "date"], name="holiday_once_per_day")
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class EpisodeKind(models.TextChoices):
    TICKET = "ticket", pgettext_lazy("response episode", "Ticket")
    REOPEN = "reopen", pgettext_lazy("response episode", "Reopened ticket")
    CHAT = "chat", pgettext_lazy("response episode", "Chat")
    EMAIL = "email", pgettext_lazy("response episode", "Email")


class ResponseEpisode(models.Model):
    """One wait for a first response: a ticket from its creation, again from each reopen, a
    chat from the customer's first message, an inbound email. `business_seconds` is the
    business time from `started_at` to the first response by a person (bot and system
    messages never count); null while nobody has answered."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=EpisodeKind.choices)
    # Either a ticket's (case) or a conversation's / email's activity; both when a chat is on
    # a ticket. Plain ids: rows of lower apps, read by id, kept when those rows go.
    case_id = models.BigIntegerField(null=True, blank=True)
    activity_id = models.BigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    responder_id = models.BigIntegerField(null=True, blank=True)
    business_seconds = models.PositiveIntegerField(null=True, blank=True)
    # Met the workspace's first-response target; null while unanswered and not yet late.
    sla_met = models.BooleanField(null=True, blank=True)
    # Dimensions, copied so a figure is one indexed range scan with no join.
    segment_path = models.CharField(max_length=500, blank=True, default="")
    queue_name = models.CharField(max_length=100, blank=True, default="")
    channel = models.CharField(max_length=20, blank=True, default="")
    agent_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "case_id", "activity_id", "started_at"],
                name="response_episode_once",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "started_at"], name="episode_ws_started"),
            # A manager's area: a prefix of the path (pattern ops on PostgreSQL, as cases).
            models.Index(
                fields=["workspace", "segment_path", "started_at"],
                opclasses=["int8_ops", "varchar_pattern_ops", "timestamptz_ops"],
                name="episode_ws_area",
            ),
            models.Index(fields=["case_id"], name="episode_case"),
            models.Index(fields=["activity_id"], name="episode_activity"),
        ]

    def __str__(self):
        return f"{self.kind} {self.case_id or self.activity_id} {self.started_at:%Y-%m-%d}"


class CaseMeasure(models.Model):
    """What a ticket's life measured: business time to resolution, reopens, SLA, first
    contact resolution. One row per ticket, written by `measures.measure_case`."""

    case_id = models.BigIntegerField(primary_key=True)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    reported_at = models.DateTimeField()
    # Last move into resolved/closed; null while open.
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_business_seconds = models.PositiveIntegerField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # Resolved within the target business hours; null while open and not yet late.
    sla_met = models.BooleanField(null=True, blank=True)
    # Resolved, never reopened, with at most one inbound contact.
    first_contact_resolution = models.BooleanField(null=True, blank=True)
    segment_path = models.CharField(max_length=500, blank=True, default="")
    measured_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "reported_at"], name="case_measure_reported"),
            models.Index(fields=["workspace", "resolved_at"], name="case_measure_resolved"),
            models.Index(
                fields=["workspace", "segment_path", "resolved_at"],
                opclasses=["int8_ops", "varchar_pattern_ops", "timestamptz_ops"],
                name="case_measure_area",
            ),
        ]

    def __str__(self):
        return f"measure of case {self.case_id}"


class DigestOptOut(models.Model):
    """A member who does not want the weekly digest of this workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="digest_opt_out_once")
        ]

    def __str__(self):
        return f"{self.user_id} opted out in {self.workspace_id}"


class DigestSent(models.Model):
    """One weekly digest sent (or attempted) to one member: a second run of the same week
    sends nothing twice."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user", "week_start"], name="digest_once_per_week"
            )
        ]

    def __str__(self):
        return f"digest {self.week_start} to {self.user_id}"
