from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from caredesk.core.i18n import LANGUAGE_CHOICES, time_zone_validator
from caredesk.workspaces.permissions import Perm, UserKind


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    def __str__(self):
        return self.name


class User(AbstractUser):
    # Null only for platform superusers; everyone else lives inside one organization.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="users"
    )

    # Blank: the browser's language (Accept-Language), else the workspace's; blank time zone:
    # the workspace's (caredesk.core.i18n.LocaleMiddleware, workspaces.web.workspace_view).
    language = models.CharField(max_length=10, blank=True, default="", choices=LANGUAGE_CHOICES)
    time_zone = models.CharField(
        max_length=64, blank=True, default="", validators=[time_zone_validator]
    )

    def __str__(self):
        return self.get_full_name() or self.username


class Tab(models.TextChoices):
    HOME = "home", _("Home")
    DESK = "desk", _("Desk")
    TICKETS = "tickets", _("Tickets")
    FEEDBACK = "feedback", _("Feedback")
    CONVERSATIONS = "conversations", _("Conversations")
    INSIGHTS = "insights", _("Insights")
    COACHING = "coaching", _("Coaching")
    ACTION_PLANS = "action_plans", _("Action plans")
    RESOURCES = "resources", _("Resource center")


def default_tabs():
    return [Tab.HOME, Tab.TICKETS]


class SegmentSource(models.TextChoices):
    """Where a new ticket that names no segment takes one from (Workspace.case_segment_order)."""

    QUEUE = "queue", _("The queue's segment")
    SURVEY = "survey", _("The survey response's segment")
    CONTACT = "contact", _("The customer's segment (that of their latest ticket)")
    AGENT = "agent", _("The default segment of the agent who creates or handles it")


def default_segment_order():
    return [SegmentSource.QUEUE, SegmentSource.SURVEY, SegmentSource.CONTACT, SegmentSource.AGENT]


class Workspace(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="workspaces"
    )
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    enabled_tabs = models.JSONField(default=default_tabs)
    auto_close_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="Close a ticket when it and its activities were not updated for this many days.",
    )
    # What members without a language of their own (and a browser asking for none of ours)
    # see, and the zone of every date, "today" boundary and due date shown in the workspace.
    language = models.CharField(max_length=10, default="en", choices=LANGUAGE_CHOICES)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[time_zone_validator])
    # How many days an agent has to appeal an evaluation of their work (quality.appeals).
    appeal_days = models.PositiveSmallIntegerField(default=7)
    # Who decides appeals when named; else the evaluator's manager (quality.appeals).
    appeal_arbitrator = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Next human-readable ticket number; incremented under a row lock.
    next_case_number = models.PositiveIntegerField(default=1)
    # A new ticket that names no segment takes the first one found among these sources, in
    # this order (SegmentSource values), then `default_segment` (care.services.CaseDrafts).
    case_segment_order = models.JSONField(default=default_segment_order)
    default_segment = models.ForeignKey(
        "Segment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The segment of a new ticket when none of the sources above gives one."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="workspace_slug_per_org")
        ]

    def __str__(self):
        return self.name


class UserType(models.Model):
    """A role inside one organization; its permissions apply wherever a member holds it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="user_types"
    )
    kind = models.CharField(max_length=20, choices=UserKind.choices)
    name = models.CharField(max_length=100)
    permissions = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="user_type_kind_per_org")
        ]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name to show: a type still called by its default (English) name reads in the
        reader's language; one an admin renamed keeps its name."""
        kind = UserKind(self.kind)
        with translation.override("en"):
            default = str(kind.label)
        return str(kind.label) if self.name == default else self.name


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    user_type = models.ForeignKey(UserType, on_delete=models.PROTECT, related_name="memberships")
    # The member's own segment here (their team or store): a ticket they create or handle
    # that names no segment may take it (Workspace.case_segment_order, "agent").
    default_segment = models.ForeignKey(
        "Segment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="one_membership")]

    def __str__(self):
        return f"{self.user} in {self.workspace} as {self.user_type}"


class PermissionGrant(models.Model):
    """A permission given to one user in one workspace, on top of their user type."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    permission = models.CharField(max_length=40, choices=Perm.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user", "permission"], name="one_grant")
        ]

    def __str__(self):
        return f"{self.permission} for {self.user} in {self.workspace}"


class Segment(models.Model):
    """A node of the organization tree. `path` is the chain of ids ("/1/4/9/") so that a
    whole subtree is one indexed prefix match."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="segments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200)
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    managers = models.ManyToManyField(User, blank=True, related_name="managed_segments")

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    # Only a SHA-256 of the token is kept; the token itself is shown once.
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
