"""Full-text search across transcripts, messages, emails, verbatims and ticket comments the
user may see (PostgreSQL full-text search with a GIN index; SQLite FTS5 on the default)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_triggers(using="default", **kwargs):
    from django.db import connections

    from caredesk.search.sources import ensure_triggers

    ensure_triggers(connections[using])


class SearchConfig(AppConfig):
    name = "caredesk.search"
    label = "search"

    def ready(self):
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="search_triggers")
