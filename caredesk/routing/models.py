"""Routing: queues, skills, agents' presence and capacity, live chat conversations and the
offers that hand a waiting conversation to one agent."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caredesk.customers.models import Contact
from caredesk.workspaces.access import Access, WorkspaceQuerySet
from caredesk.workspaces.models import Workspace
from caredesk.workspaces.permissions import Perm


def new_public_token() -> str:
    return secrets.token_urlsafe(24)


class Skill(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=100)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="skill_name_per_workspace")
        ]

    def __str__(self):
        return self.name


class Queue(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="queues")
    name = models.CharField(max_length=100)
    # Higher first: when an agent frees up, waiting work of higher-priority queues goes first.
    priority = models.IntegerField(default=0)
    required_skills = models.ManyToManyField(Skill, blank=True, related_name="queues")
    is_default = models.BooleanField(default=False)
    # The segment a ticket opened on this queue's work takes when it names none
    # (Workspace.case_segment_order, "queue").
    segment = models.ForeignKey(
        "workspaces.Segment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="queue_name_per_workspace"),
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(is_default=True),
                name="one_default_queue_per_workspace",
            ),
        ]

    def __str__(self):
        return self.name


class Presence(models.TextChoices):
    AVAILABLE = "available", _("Available")
    BUSY = "busy", _("Busy")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class AgentProfile(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="agents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profiles"
    )
    capacity = models.PositiveSmallIntegerField(default=3)
    presence = models.CharField(max_length=10, choices=Presence.choices, default=Presence.OFFLINE)
    # When the agent last became free (available, or finished their last conversation);
    # the longest-idle agent is offered work first.
    last_idle_at = models.DateTimeField(null=True, blank=True)
    # Conversations the agent carries: their active ones plus offers still open. Kept by
    # database triggers on offers and conversations (migration 0003), so that the routing
    # decision reads one column of the row it locks instead of counting (`pick`). Never
    # written by the application: see `save`.
    load = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_agent_profile")
        ]
        indexes = [models.Index(fields=["workspace", "presence", "last_idle_at"])]

    def __str__(self):
        return f"{self.user} in {self.workspace}"

    def save(self, *args, **kwargs):
        # A plain save of an instance read a while ago would write its stale `load` back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "load"
            ]
        elif "load" in (kwargs.get("update_fields") or ()):
            raise ValueError("AgentProfile.load is kept by the database.")
        super().save(*args, **kwargs)


class DeskConnection(models.Model):
    """One open desk websocket of an agent (one per browser tab). The agent goes offline when
    their last one closes, not when any one does. `last_seen_at` moves on the desk's pings, so
    rows left behind by a process that died are swept (routing.tasks)."""

    agent = models.ForeignKey(AgentProfile, on_delete=models.CASCADE, related_name="connections")
    channel_name = models.CharField(max_length=200, unique=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["last_seen_at"])]

    def __str__(self):
        return f"desk of agent {self.agent_id}"


class AgentSkill(models.Model):
    agent = models.ForeignKey(AgentProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="agents")
    level = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "skill"], name="one_level_per_skill"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="skill_level_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.skill_id} level {self.level}"


class ConversationStatus(models.TextChoices):
    # The glossary's words for a conversation (docs/glossary.md); the context keeps them apart
    # from an offer's statuses, whose translations agree with another noun.
    WAITING = "waiting", pgettext_lazy("conversation status", "Waiting")
    OFFERED = "offered", pgettext_lazy("conversation status", "Offered")
    ACTIVE = "active", pgettext_lazy("conversation status", "In progress")
    ENDED = "ended", pgettext_lazy("conversation status", "Ended")


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, access: Access) -> "ConversationQuerySet":
        """Supervisors (manage_care), admins and the system see every chat of the workspace; an
        agent the chats they handle and those offered to them now. (Once a chat is on the
        journey, its activity follows the activity rule: journey.models.)"""
        qs = self.filter(workspace=access.workspace)
        if access.sees_whole_workspace or access.has(Perm.MANAGE_CARE):
            return qs
        mine = Q(agent__user=access.user) | Q(
            offers__agent__user=access.user, offers__status=OfferStatus.OFFERED
        )
        return qs.filter(pk__in=qs.filter(mine).values("pk"))


class Conversation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="conversations")
    # What the widget holds to resume; never the numeric id.
    public_token = models.CharField(max_length=64, unique=True, default=new_public_token)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="conversations")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.WAITING
    )
    pre_chat = models.JSONField(default=dict, blank=True)
    visitor = models.JSONField(default=dict, blank=True)
    # The language the customer chatted in (the widget's); given to the customer record when
    # the chat is linked to one that has none, for the emails and surveys that follow.
    language = models.CharField(max_length=10, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    agent = models.ForeignKey(
        AgentProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    # Read receipts: each side has seen every message up to this message id. They only move
    # forward; the other side shows its own messages with id <= this as "read".
    customer_read_up_to = models.BigIntegerField(null=True, blank=True)
    agent_read_up_to = models.BigIntegerField(null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "status", "created_at"]),
            models.Index(fields=["agent", "status"]),
        ]

    def __str__(self):
        return f"Conversation {self.pk} ({self.status})"


class Sender(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Chosen by the sending client; a retry with the same id returns the stored message.
    client_id = models.CharField(max_length=100)
    # Stored verbatim (HTML included); escaping is the job of whatever shows it.
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "client_id"], name="message_client_id_once"
            )
        ]

    def __str__(self):
        return f"{self.sender}: {self.body[:40]}"


class NavigationKind(models.TextChoices):
    PAGE_VISITED = "page_visited", _("Page visited")
    PHRASE_SEARCHED = "phrase_searched", _("Phrase searched")
    ARTICLE_VIEWED = "article_viewed", _("Knowledge article viewed")


class NavigationEvent(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="navigation"
    )
    kind = models.CharField(max_length=20, choices=NavigationKind.choices)
    value = models.CharField(max_length=2000)
    # Where it leads, when it has an address (an article of the help center: its public page).
    url = models.URLField(max_length=2000, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.kind}: {self.value[:40]}"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Offer(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="offers")
    agent = models.ForeignKey(AgentProfile, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    offered_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The database itself refuses a second open offer for one conversation.
            models.UniqueConstraint(
                fields=["conversation"],
                condition=models.Q(status="offered"),
                name="one_open_offer_per_conversation",
            )
        ]
        indexes = [models.Index(fields=["agent", "status"])]

    def __str__(self):
        return f"Offer {self.pk} ({self.status})"
