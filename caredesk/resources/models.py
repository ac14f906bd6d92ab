"""The resource center: knowledge articles of a workspace.

An `Article` is one piece of knowledge (its category, tags, audience, status); it is written
in one or more languages, each an `ArticleTranslation` with its own title, body (Markdown,
shown through caredesk.core.markdown) and slug (its public address). Every edit of a
translation is an `ArticleVersion` (who, when, the whole title and body), so an older one can
be viewed and restored (a restore is a new version). `ArticleUse` records what happened to an
article around the customers: suggested to an agent, inserted into a reply, viewed on the
public help center; the effectiveness figures are computed from it.

The full-text index over the translations (PostgreSQL tsvector + GIN and trigrams; SQLite
FTS5) is kept by the database, created in a migration of this app (caredesk.resources.search).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caredesk.workspaces.access import WorkspaceQuerySet


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Internal (agents)")
    PUBLIC = "public", _("Public (help center)")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("article status", "Draft")
    PUBLISHED = "published", pgettext_lazy("article status", "Published")
    ARCHIVED = "archived", pgettext_lazy("article status", "Archived")


class Category(models.Model):
    """A node of the workspace's category tree."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="article_categories"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(max_length=120)
    # Names shown per language ({"pt-br": "Entregas"}); `name` where a language has none.
    names = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name", "id"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "parent", "name"], name="article_category_name_once"
            )
        ]

    def __str__(self):
        return self.name


class ArticleTag(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="article_tags"
    )
    name = models.CharField(max_length=60)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="article_tag_name_once")
        ]

    def __str__(self):
        return self.name


class Article(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="articles"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    tags = models.ManyToManyField(ArticleTag, blank=True, related_name="articles")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    status = models.CharField(
        max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    # The language it was first written in (a code of caredesk.core.i18n.LANGUAGE_CODES).
    language = models.CharField(max_length=5)
    # Where it was written from: "write an article" on a solved ticket or ended conversation.
    source_case = models.ForeignKey(
        "care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_activity = models.ForeignKey(
        "journey.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["workspace", "status", "audience"])]

    def __str__(self):
        return f"article {self.pk}"


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    # Copied from the article: the search and the public help center read one table.
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=5)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")
    # The public address: /help/<organization>.<workspace>/<slug>/; unique in the workspace.
    slug = models.SlugField(max_length=220, allow_unicode=True)
    # The number of the version the title and body are (ArticleVersion.number).
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="article_translation_language_once"
            ),
            models.UniqueConstraint(fields=["workspace", "slug"], name="article_slug_once"),
        ]

    def __str__(self):
        return self.title


class ArticleVersion(models.Model):
    translation = models.ForeignKey(
        ArticleTranslation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when this version is a restore of an older one (its number).
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["translation_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "number"], name="article_version_number_once"
            )
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"


class UseKind(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested to an agent")
    INSERTED = "inserted", _("Inserted into a reply")
    VIEWED = "viewed", _("Viewed on the help center")


class ArticleUse(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="uses")
    translation = models.ForeignKey(
        ArticleTranslation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=UseKind.choices)
    # The activity it was used in (a chat, an email reply), when there is one; a public view
    # before any chat has none.
    activity = models.ForeignKey(
        "journey.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="article_uses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["article", "kind", "at"]),
            models.Index(fields=["workspace", "kind", "at"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.article_id}"
