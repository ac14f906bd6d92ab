"""Every desk, routing, journey and telephony operation: 401 without credentials, 403 without
use_care, 404 for a workspace of another organization, and (for settings writes) 403 without
manage_care; none of them writes anything. The list is checked against the OpenAPI document
so a new operation cannot be left out."""

import json

import pytest
from django.test import Client

from caredesk.journey.models import Activity
from caredesk.routing.models import AgentProfile, Queue, Skill
from caredesk.voice.models import CallEvent
from caredesk.workspaces import services as ws

WS = "/api/v1/workspaces/{workspace}"

# (method, path, body, needs manage_care)
OPERATIONS = [
    ("get", "conversations", None, False),
    ("get", "conversations/tok", None, False),
    ("post", "conversations/tok/messages", {"client_id": "c", "body": "hi"}, False),
    ("post", "conversations/tok/end", None, False),
    ("put", "conversations/tok/contact", {"contact": 1}, False),
    ("get", "offers", None, False),
    ("post", "offers/1/accept", None, False),
    ("post", "offers/1/decline", None, False),
    ("get", "presence", None, False),
    ("put", "presence", {"presence": "available"}, False),
    ("get", "queues", None, False),
    ("post", "queues", {"name": "Q"}, True),
    ("patch", "queues/1", {"priority": 1}, True),
    ("get", "skills", None, False),
    ("post", "skills", {"name": "s"}, True),
    ("get", "agents", None, False),
    ("put", "agents/1", {"capacity": 1}, True),
    ("get", "customers/1/activities", None, False),
    ("get", "accounts/1/activities", None, False),
    ("get", "tickets/1/activities", None, False),
    ("post", "activities", {"body": "x", "contact": 1}, False),
    ("get", "activities/1", None, False),
    ("post", "activities/1/move", {"ticket": None}, False),
    ("post", "activities/1/ticket", {"title": "t"}, False),
    ("post", "activities/1/tags", {"tag": "t"}, False),
    ("delete", "activities/1/tags/9", None, False),
    ("get", "activities/1/comments", None, False),
    ("post", "activities/1/comments", {"body": "x"}, False),
    (
        "post",
        "calls/events",
        {"call_id": "c", "event": "ringing", "caller": "+351912345678"},
        False,
    ),
    ("post", "calls/c/transcript", {"text": "x"}, False),
]


def call(client, method, path, body, workspace="support"):
    url = f"{WS.format(workspace=workspace)}/{path}"
    return getattr(client, method)(
        url, json.dumps(body) if body is not None else None, content_type="application/json"
    )


def written():
    return (
        Activity.objects.count(),
        CallEvent.objects.count(),
        AgentProfile.objects.count(),
        Queue.objects.count(),
        Skill.objects.count(),
    )


def test_the_list_covers_every_operation_of_these_areas(world):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    prefix = WS.format(workspace="{workspace}") + "/"
    mine = ("conversations", "offers", "presence", "queues", "skills", "agents", "activities")
    mine += ("calls",)
    documented = {
        (method, path[len(prefix) :])
        for path, ops in paths.items()
        for method in ops
        if path.startswith(prefix)
        and (path[len(prefix) :].split("/")[0] in mine or path.endswith("/activities"))
        # An activity's analysis needs view_insights, not use_care: tests/conversations.
        and not path.endswith("/analysis")
        # A chat's article suggestions and uses are the resource center's: tests/article_desk.
        and not path.split("/")[-1].startswith("article-")
    }
    listed = {
        (m, p.replace("tok", "{token}").replace("/c/", "/{call_id}/")) for m, p, _, _ in OPERATIONS
    }

    def shape(path):
        return "/".join(
            "{}" if part.isdigit() or part.startswith("{") else part for part in path.split("/")
        )

    assert {(m, shape(p)) for m, p in documented} == {(m, shape(p)) for m, p in listed}


@pytest.mark.parametrize("method, path, body, manage", OPERATIONS)
def test_refused_without_credentials_permission_or_organization(
    world, api_client, method, path, body, manage
):
    before = written()
    assert call(Client(), method, path, body).status_code == 401
    nobody = ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    r = call(api_client(nobody), method, path, body)
    assert r.status_code == 403
    assert r.json()["detail"].startswith("You need access to the care app of this workspace.")
    # "sales" exists only in Acme.
    assert call(api_client(world.outsider), method, path, body, "sales").status_code == 404
    if manage:
        r = call(api_client(world.agent), method, path, body)
        assert r.status_code == 403
        assert r.json()["detail"].startswith("You need permission to manage this workspace.")
    assert written() == before
