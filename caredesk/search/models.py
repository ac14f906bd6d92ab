"""One row per searchable text (a ticket, a comment, an activity, a chat message, a survey
verbatim), written by database triggers on the source tables (`search.sources`), whatever
writes them: services, bulk imports, COPY, queryset updates. The text is copied; who may see
a row is not: it is read through the source at query time (`search.selectors`), so moving a
ticket to another segment or sharing it changes who finds it at once.

The full-text index is not a Django field: on PostgreSQL a generated tsvector column `tsv`
with a GIN index, on SQLite an FTS5 table `search_fts` over `title` and `body` (migration
0001)."""

from django.db import models

from caredesk.journey.models import MediaType


class Kind(models.TextChoices):
    CASE = "case"
    CASE_COMMENT = "case_comment"
    CHAT_MESSAGE = "chat_message"
    CHAT = MediaType.CHAT.value
    CALL = MediaType.CALL.value
    EMAIL = MediaType.EMAIL.value
    WEB_FORM = MediaType.WEB_FORM.value
    NOTE = MediaType.NOTE.value
    SURVEY_RESPONSE = MediaType.SURVEY_RESPONSE.value
    ACTIVITY_COMMENT = "activity_comment"
    RESPONSE = "response"


# The sources' own foreign keys: no database constraint (a trigger removes the row with its
# source, and the search never needs the database to check it), no cascade from Django.
def _source(model: str) -> models.ForeignKey:
    return models.ForeignKey(
        model,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class SearchDocument(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    # The source table (sources.SOURCES' names) and its row: one document per row.
    source = models.CharField(max_length=20)
    source_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What visibility is read through: the activity (its rule, with its ticket's), else the
    # ticket, else the survey response.
    activity = _source("journey.Activity")
    case = _source("care.Case")
    response = _source("feedback.Response")
    # A chat message's conversation: its activity may be stored after the first messages.
    conversation_id = models.BigIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField()
    title = models.TextField(blank=True, default="")
    body = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="search_doc_once")
        ]
        indexes = [
            models.Index(
                fields=["conversation_id"],
                condition=models.Q(conversation_id__isnull=False),
                name="search_doc_conversation",
            ),
            models.Index(fields=["workspace", "occurred_at"], name="search_doc_ws_time"),
        ]

    def __str__(self):
        return f"{self.kind} {self.source_id}"
