from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from caredesk.workspaces.access import Access, WorkspaceQuerySet, area_q, visibility_queryset
from caredesk.workspaces.permissions import Perm


class Priority(models.TextChoices):
    LOW = "low", pgettext_lazy("ticket priority", "Low")
    MEDIUM = "medium", pgettext_lazy("ticket priority", "Medium")
    HIGH = "high", pgettext_lazy("ticket priority", "High")
    CRITICAL = "critical", pgettext_lazy("ticket priority", "Critical")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("ticket status", "New")
    OPEN = "open", pgettext_lazy("ticket status", "Open")
    ESCALATED = "escalated", pgettext_lazy("ticket status", "Escalated")
    RESOLVED = "resolved", pgettext_lazy("ticket status", "Resolved")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")


class Origin(models.TextChoices):
    MANUAL = "manual", pgettext_lazy("ticket origin", "Manual")
    SURVEY_RESPONSE = "survey_response", pgettext_lazy("ticket origin", "Survey response")
    ALERT = "alert", pgettext_lazy("ticket origin", "Alert rule")
    CHAT = "chat", pgettext_lazy("ticket origin", "Chat")
    EMAIL = "email", pgettext_lazy("ticket origin", "Email")
    CALL = "call", pgettext_lazy("ticket origin", "Call")
    # Coaching cases: about an agent, opened by a failing evaluation or by a coach by hand.
    EVALUATION = "evaluation", pgettext_lazy("ticket origin", "Failed evaluation")
    COACHING = "coaching", pgettext_lazy("ticket origin", "Coaching")


class ResolutionReason(models.TextChoices):
    RESOLVED_CONTACTED = (
        "resolved_contacted",
        pgettext_lazy("resolution reason", "Resolved, customer contacted"),
    )
    RESOLVED_NO_CONTACT = (
        "resolved_no_contact",
        pgettext_lazy("resolution reason", "Resolved, customer not reached"),
    )
    NOT_ACTIONABLE = "not_actionable", pgettext_lazy("resolution reason", "Not actionable")
    DUPLICATE = "duplicate", pgettext_lazy("resolution reason", "Duplicate")
    OTHER = "other", pgettext_lazy("resolution reason", "Other")


# A case in one of these is done; moving into one needs a resolution reason.
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)
OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.ESCALATED)
# Cases the inbox shows first-class: opened by alert rules from feedback.
INBOX_ORIGINS = (Origin.ALERT, Origin.SURVEY_RESPONSE)
# Cases about an agent's work (Case.about_agent set): the inbox's coaching filter.
COACHING_ORIGINS = (Origin.EVALUATION, Origin.COACHING)


class Tag(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=60)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="tag_once_per_workspace")
        ]

    def __str__(self):
        return self.name


def shared_case_ids(access: Access) -> list[int]:
    """The ids of the workspace's cases shared with the user (a handful per person)."""
    if access.user is None:
        return []
    return list(
        CaseShare.objects.filter(user=access.user, case__workspace=access.workspace)
        .order_by("case_id")
        .values_list("case_id", flat=True)
    )


def case_visibility_q(access: Access, prefix: str = "") -> Q | None:
    """Which cases the user sees, as a condition on a case reached through `prefix` (e.g.
    "case__" from an activity); None when they see the whole workspace. Besides the
    management area: the cases they own, opened or that were shared with them.

    The shares are read first as a list of ids rather than joined: a join inside the OR
    repeats a case once per share row, and an IN (subquery) would stop PostgreSQL combining
    the index scans of the other branches."""
    if access.sees_whole_workspace:
        return None
    cond = area_q(access, f"{prefix}segment_path")
    if not access.has(Perm.EVALUATE):
        # Coaching cases are about one agent's work: through the area only for those who
        # coach; an agent never sees one about a colleague (only their own, when it is
        # assigned or shared to them, by the branches below).
        cond &= Q(**{f"{prefix}about_agent__isnull": True})
    cond |= Q(**{f"{prefix}owner": access.user}) | Q(**{f"{prefix}created_by": access.user})
    if shared := shared_case_ids(access):
        cond |= Q(**{f"{prefix}pk__in": shared})
    return cond


CaseQuerySet = visibility_queryset(case_visibility_q)
# Comments, to-dos and shares: visible with their case.
CaseChildQuerySet = visibility_queryset(case_visibility_q, "case__")


class Case(models.Model):
    """One customer problem or closed-loop follow-up; the UI calls it a ticket."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="cases"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    # Kept on the case so the list, its filters and the export never join the contact tables.
    customer_email = models.CharField(max_length=254, blank=True)
    source_segment = models.ForeignKey(
        "workspaces.Segment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    segment = models.ForeignKey(
        "workspaces.Segment", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # The segment's materialized path, copied so "my management area" is an indexed prefix match.
    segment_path = models.CharField(max_length=500, blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    reported_at = models.DateTimeField()
    customer_comment = models.TextField(blank=True)
    # A coaching case's agent: whose work it is about (origin evaluation or coaching).
    about_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_cases",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="cases")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Last time the case or any of its activities changed; the inactivity rule reads it.
    last_activity_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why it was resolved or closed; set with the status, cleared when the case reopens.
    resolution_reason = models.CharField(
        max_length=30, choices=ResolutionReason.choices, blank=True, default=""
    )
    resolution_note = models.TextField(blank=True, default="")

    objects = CaseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "number"], name="case_number_per_workspace"
            )
        ]
        indexes = [
            # Keyset pagination walks (reported_at, id) newest first inside each filter. The
            # INCLUDE columns (PostgreSQL only; ignored elsewhere) let the summary count a date
            # range, with any status/priority/owner/area filter and the visibility rule's
            # owner/creator branches, by an index-only scan (without created_by a manager's
            # 30-day summary became a bitmap heap scan: 75 ms against ~20 ms, at 1M tickets).
            models.Index(
                fields=["workspace", "reported_at", "id"],
                include=["status", "priority", "owner", "segment_path", "created_by"],
                name="case_ws_reported",
            ),
            models.Index(
                fields=["workspace", "status", "reported_at", "id"], name="case_ws_status"
            ),
            models.Index(
                fields=["workspace", "priority", "reported_at", "id"], name="case_ws_priority"
            ),
            models.Index(fields=["workspace", "owner", "reported_at", "id"], name="case_ws_owner"),
            # The "opened by me" branch of the visibility rule, as the owner's.
            models.Index(
                fields=["workspace", "created_by", "reported_at", "id"], name="case_ws_creator"
            ),
            models.Index(
                fields=["workspace", "segment", "reported_at", "id"], name="case_ws_segment"
            ),
            # "Under this segment" is segment_path LIKE '/1/4/%'. PostgreSQL only uses a btree
            # for a LIKE prefix under the C collation or with a *_pattern_ops opclass, so the
            # path gets varchar_pattern_ops (opclasses are ignored on SQLite).
            models.Index(
                fields=["workspace", "segment_path", "reported_at", "id"],
                include=["status", "priority", "owner", "created_by"],
                opclasses=["int8_ops", "varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                name="case_ws_area",
            ),
            models.Index(fields=["status", "last_activity_at"], name="case_inactivity"),
        ]

    def __str__(self):
        return f"#{self.number}"


class CaseComment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]


class CaseShare(models.Model):
    """A colleague the case is shared with: they see it and can work it like its owner."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_shared_once_per_user")
        ]
        # cases_visible reads "the cases shared with me" by user.
        indexes = [models.Index(fields=["user", "case"], name="case_share_user")]

    def __str__(self):
        return f"{self.case} → {self.user}"


class CaseTodo(models.Model):
    """A to-do on a case. Overdue: not done and due before today."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="todos")
    text = models.CharField(max_length=500)
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["done", "due_date", "id"]
        # The inbox's overdue count: open to-dos by due date.
        indexes = [models.Index(fields=["case", "done", "due_date"], name="case_todo_open")]

    def __str__(self):
        return self.text[:60]
