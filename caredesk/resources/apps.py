from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_triggers(using="default", **kwargs):
    from django.db import connections

    from caredesk.resources.search_index import ensure_triggers

    ensure_triggers(connections[using])


class ResourcesConfig(AppConfig):
    name = "caredesk.resources"
    label = "resources"

    def ready(self):
        # SQLite drops a table's triggers when a migration rebuilds it.
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="resources_triggers")
