"""A chat accepted by the support agent, with pre-chat answers, visitor details and portal
navigation, built through the routing services as the widget and the desk would."""

import pytest

from caredesk.customers import services as customers
from caredesk.journey import services as journey
from caredesk.routing import services as routing


def start_chat(world, *, pre_chat=None, visitor=None, navigation=(), workspace=None, accept=True):
    workspace = workspace or world.support
    if not workspace.queues.filter(name="Billing").exists():
        routing.queue_create(workspace=workspace, name="Billing", required_skills=["billing"])
    conversation = routing.conversation_start(
        workspace=workspace, pre_chat=pre_chat or {}, visitor=visitor or {}, navigation=navigation
    )
    if accept:
        agent = routing.agent_profile_set(
            workspace=workspace, user=world.agent, capacity=3, skills={"billing": 4}
        )
        routing.agent_presence_set(agent=agent, presence="available")
        offer = routing.offer_next(conversation.pk)
        conversation = routing.offer_accept(offer_id=offer.pk, agent=offer.agent)
    journey.conversation_activity(conversation)
    conversation.refresh_from_db()
    return conversation


@pytest.fixture
def chat(world):
    """An accepted billing chat from a visitor not yet linked to a contact."""
    return start_chat(
        world,
        pre_chat={"name": "Ana Lima", "email": "ana@example.com", "topic": "Billing"},
        visitor={
            "authenticated": True,
            "browser": "Firefox 133.0",
            "os": "Linux",
            "language": "pt-PT",
            "location": "Lisbon, PT",
            "page_url": "https://shop.example.com/orders/17",
            "plan": "gold",
        },
        navigation=[
            {"kind": "page_visited", "value": "/orders/17", "at": "2026-01-05T10:00:00Z"},
            {"kind": "phrase_searched", "value": "refund delay", "at": "2026-01-05T10:01:00Z"},
            {"kind": "article_viewed", "value": "How refunds work", "at": "2026-01-05T10:02:00Z"},
        ],
    )


@pytest.fixture
def ana(world):
    return customers.contact_create(
        organization=world.org,
        name="Ana Lima",
        emails=["ana.lima@example.com"],
        phones=["+351 912 345 678"],
    )


def summary_url(conversation, ws="support"):
    return f"/w/{ws}/desk/conversations/{conversation.public_token}/summary/"


def conv_url(conversation, rest, ws="support"):
    return f"/w/{ws}/journey/conversations/{conversation.public_token}/{rest}"
