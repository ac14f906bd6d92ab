"""Topics over REST: the workspace's topic taxonomy (view_insights reads, manage_care
writes). Every write goes through caredesk.conversations.topics, whose FieldErrors are the
400 naming the field; a change queues the re-analysis of the last 90 days."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from caredesk.analysis.models import LANGUAGES, Topic
from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, Bool, Id, In, Text
from caredesk.conversations import topics as services
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

router = Router()

WS = "/workspaces/{workspace}"
LANGS = ", ".join(LANGUAGES)


class TopicOut(Schema):
    id: int
    name: str
    parent: int | None = Field(description="The topic above this one; null at the top")
    names: dict[str, str] = Field(description=f"Language ({LANGS}) → name shown")
    phrases: dict[str, list[str]] = Field(
        description=f"Language ({LANGS}) → words and phrases that mark the topic"
    )
    is_active: bool
    updated_at: dt.datetime


class TopicIn(In):
    name: Text(services.MAX_NAME)
    parent: Id | None = Field(None, description="The topic above this one; null at the top")
    names: dict[str, Text(services.MAX_NAME)] = Field(
        default_factory=dict, description=f"Language ({LANGS}) → name shown"
    )
    phrases: dict[str, list[Text(services.MAX_PHRASE)]] = Field(
        default_factory=dict,
        description=f"Language ({LANGS}) → words and phrases (at most {services.MAX_PHRASES})",
    )
    is_active: Bool = True


class TopicPatch(In):
    name: Text(services.MAX_NAME) | None = None
    parent: Id | None = Field(None, description="null: move to the top")
    names: dict[str, Text(services.MAX_NAME)] | None = Field(None, description="Replaces them")
    phrases: dict[str, list[Text(services.MAX_PHRASE)]] | None = Field(
        None, description="Replaces them"
    )
    is_active: Bool | None = None


def topic_out(t: Topic) -> dict:
    return {
        "id": t.pk,
        "name": t.name,
        "parent": t.parent_id,
        "names": t.names or {},
        "phrases": t.phrases or {},
        "is_active": t.is_active,
        "updated_at": t.updated_at,
    }


def _topic(access: Access, topic_id: int) -> Topic:
    in_range = 0 < topic_id <= 2**63 - 1  # a larger id names nothing (SQLite cannot compare it)
    topic = (
        Topic.objects.filter(workspace=access.workspace, pk=topic_id).first() if in_range else None
    )
    if topic is None:
        raise Http404(_("No such topic"))
    return topic


@router.get(
    f"{WS}/topics",
    response={200: list[TopicOut], **ERRORS},
    tags=["topics"],
    summary="The topic taxonomy (view_insights), parents before their children",
)
def topic_list(request, workspace: str):
    access = api_access(request, workspace, require=Perm.VIEW_INSIGHTS)
    return [topic_out(t) for t, _depth in services.topic_tree(access.workspace)]


@router.post(
    f"{WS}/topics",
    response={201: TopicOut, **ERRORS},
    tags=["topics"],
    summary="Create a topic (manage_care)",
    description="Queues the re-analysis of the last 90 days' conversations.",
)
def topic_create(request, workspace: str, payload: TopicIn):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    topic = services.topic_create(access=access, **payload.dict())
    return Status(201, topic_out(topic))


@router.get(
    f"{WS}/topics/{{topic_id}}",
    response={200: TopicOut, **ERRORS},
    tags=["topics"],
    summary="One topic (view_insights)",
)
def topic_get(request, workspace: str, topic_id: int):
    access = api_access(request, workspace, require=Perm.VIEW_INSIGHTS)
    return topic_out(_topic(access, topic_id))


@router.patch(
    f"{WS}/topics/{{topic_id}}",
    response={200: TopicOut, **ERRORS},
    tags=["topics"],
    summary="Change a topic (manage_care; only the fields sent)",
    description="Queues the re-analysis of the last 90 days' conversations.",
)
def topic_update(request, workspace: str, topic_id: int, payload: TopicPatch):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    topic = _topic(access, topic_id)
    data = payload.dict(exclude_unset=True)
    for key in ("name", "is_active"):
        if key in data and data[key] is None:
            data.pop(key)
    topic = services.topic_update(access=access, topic=topic, **data)
    return topic_out(topic)


@router.delete(
    f"{WS}/topics/{{topic_id}}",
    response={204: None, **ERRORS},
    tags=["topics"],
    summary="Delete a topic and its subtopics (manage_care)",
    description="Queues the re-analysis of the last 90 days' conversations.",
)
def topic_delete(request, workspace: str, topic_id: int):
    access = api_access(request, workspace, require=Perm.MANAGE_CARE)
    services.topic_delete(access=access, topic=_topic(access, topic_id))
    return Status(204, None)
