"""Seed the end-to-end database, run as its own process against the servers' database:

    python -m tests.e2e_chat.seed < spec.json

spec: {"organization": "acme", "password": "...", "workspaces": [{"slug": "basic",
"queues": [{"name": "Tech", "skills": ["tech"], "priority": 0, "default": false}],
"agents": [{"username": "ana", "capacity": 2, "skills": {"tech": 3}}]}]}

Agents are created offline (their desk sets them available). Goes through the same services
as the app, so the data is what the app itself would have written."""

import json
import os
import sys


def seed(spec: dict) -> None:
    from django.db import transaction

    from caredesk.routing import services as routing
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.permissions import UserKind

    with transaction.atomic():
        org = ws.organization_create(name=spec["organization"].title(), slug=spec["organization"])
        for w in spec["workspaces"]:
            workspace = ws.workspace_create(organization=org, slug=w["slug"], name=w["slug"])
            for q in w.get("queues", ()):
                routing.queue_create(
                    workspace=workspace,
                    name=q["name"],
                    priority=q.get("priority", 0),
                    required_skills=q.get("skills", ()),
                    is_default=q.get("default", False),
                )
            for a in w.get("agents", ()):
                user = ws.user_create(
                    organization=org,
                    username=a["username"],
                    password=spec["password"],
                    first_name=a["username"].title(),
                )
                ws.membership_set(workspace=workspace, user=user, kind=UserKind.AGENT)
                routing.agent_profile_set(
                    workspace=workspace,
                    user=user,
                    capacity=a.get("capacity", 3),
                    skills=a.get("skills", {}),
                )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.e2e_chat.server_settings")
    import django

    django.setup()
    seed(json.load(sys.stdin))
    print("seeded")
