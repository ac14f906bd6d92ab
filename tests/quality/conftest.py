"""A quality scene on top of `world`: agent (default segment Lisbon Store 1) and a second
agent (Italy) in support, a chat each of them handled with a transcript, a call, and a chat
scorecard (sections Greeting / Compliance) whose criteria cover every rule of the score:
weights, a 1–5 scale, N/A, an auto-fail criterion, own labelled points and a bonus."""

import datetime as dt

import pytest
from django.utils import timezone

from caredesk.journey.models import Activity, MediaType
from caredesk.quality.scorecards import scorecard_create
from caredesk.routing.models import Conversation, ConversationStatus, Message, Queue
from caredesk.workspaces import services as ws
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Membership
from caredesk.workspaces.permissions import UserKind

CHAT_SECTIONS = [
    {
        "title": "Greeting",
        "criteria": [
            {"question": "Greeted the customer by name", "weight": 1, "scale": "yes_no"},
            {
                "question": "Tone",
                "weight": 2,
                "scale": "1_5",
                "na_allowed": True,
                "recommendation": "Listen to the tone module of the academy.",
            },
        ],
    },
    {
        "title": "Compliance",
        "criteria": [
            {
                "question": "Verified the customer's identity",
                "weight": 3,
                "scale": "yes_no",
                "auto_fail": True,
            },
            {
                "question": "Resolution",
                "weight": 4,
                "scale": "custom",
                "points": [
                    {"value": 0, "label": "Not resolved", "score": 0},
                    {"value": 1, "label": "Partly", "score": 50},
                    {"value": 2, "label": "Resolved", "score": 100},
                ],
            },
            {"question": "Went the extra mile", "weight": 5, "scale": "yes_no", "bonus": True},
        ],
    },
]


class Scene:
    pass


def chat_for(workspace, agent_user, *, minutes=12, text="Hello"):
    """An ended chat handled by `agent_user`, with three messages, and its journey activity."""
    queue, _ = Queue.objects.get_or_create(workspace=workspace, name="General")
    from caredesk.routing.models import AgentProfile

    profile, _ = AgentProfile.objects.get_or_create(workspace=workspace, user=agent_user)
    end = timezone.now() - dt.timedelta(hours=1)
    conv = Conversation.objects.create(
        workspace=workspace,
        queue=queue,
        status=ConversationStatus.ENDED,
        agent=profile,
        accepted_at=end - dt.timedelta(minutes=minutes),
        ended_at=end,
    )
    Message.objects.create(conversation=conv, sender="customer", client_id="c1", body=text)
    Message.objects.create(
        conversation=conv,
        sender="agent",
        author=agent_user,
        client_id="a1",
        body="Hi, how can I help?",
    )
    Message.objects.create(conversation=conv, sender="customer", client_id="c2", body="Thanks")
    return Activity.objects.create(
        workspace=workspace,
        media_type=MediaType.CHAT,
        conversation=conv,
        agent=agent_user,
        queue_name=queue.name,
        started_at=end - dt.timedelta(minutes=minutes),
        ended_at=end,
        occurred_at=end,
    )


@pytest.fixture
def q(world):
    s = Scene()
    s.world = world
    s.ws = world.support
    s.agent = world.agent
    Membership.objects.filter(workspace=s.ws, user=s.agent).update(default_segment=world.store1)
    s.agent2 = ws.user_create(
        organization=world.org, username="agent2", password="pw-12345678", first_name="Agent2"
    )
    ws.membership_set(workspace=s.ws, user=s.agent2, kind=UserKind.AGENT)
    Membership.objects.filter(workspace=s.ws, user=s.agent2).update(default_segment=world.italy)
    s.coach = world.coach
    s.manager = world.manager
    s.admin = world.admin
    s.chat = chat_for(s.ws, s.agent)
    s.chat2 = chat_for(s.ws, s.agent2)
    s.card = scorecard_create(
        access=Access.system(s.ws),
        name="Chat quality",
        sections=CHAT_SECTIONS,
        pass_mark=80,
        media_types=["chat"],
    )
    s.criteria = [c["id"] for sec in s.card.current_version.sections for c in sec["criteria"]]
    return s


def all_good(s, **over):
    """Answers that pass: every criterion at its best, no bonus."""
    greet, tone, identity, resolution, _bonus = s.criteria
    answers = {
        str(greet): {"value": 1},
        str(tone): {"value": 5},
        str(identity): {"value": 1},
        str(resolution): {"value": 2},
    }
    answers.update({str(k): v for k, v in over.items()})
    return answers
