"""The cost of routing with a backlog (found by bench/chat.py): when every agent is full,
offering the waiting conversations stops at once instead of trying each of them."""

import pytest

from caredesk.routing import services
from caredesk.routing.models import Conversation, Offer

from ..routing.conftest import make_agent  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_offer_waiting_with_every_agent_full_stops_after_one_try(
    world,
    make_agent,  # noqa: F811
    django_assert_max_num_queries,
):
    agent = make_agent("full", capacity=1)
    services.agent_profile_set(workspace=world.support, user=agent, presence="available")
    first = services.conversation_start(workspace=world.support)
    assert services.offer_next(first.pk) is not None  # the agent is now full
    for _ in range(50):
        services.conversation_start(workspace=world.support)

    with django_assert_max_num_queries(15):
        assert services.offer_waiting(workspace=world.support) == []
    assert Offer.objects.count() == 1
    assert Conversation.objects.filter(status="waiting").count() == 50


def test_offer_waiting_still_offers_as_many_as_there_is_room(world, make_agent):  # noqa: F811
    ana = make_agent("ana", capacity=2)
    bob = make_agent("bob", capacity=1)
    waiting = [services.conversation_start(workspace=world.support) for _ in range(5)]
    for user in (ana, bob):
        services.agent_profile_set(workspace=world.support, user=user, presence="available")

    offers = services.offer_waiting(workspace=world.support)

    # The three oldest, one agent at a time: least loaded, then longest idle (ana).
    assert [(o.conversation_id, o.agent.user.username) for o in offers] == [
        (waiting[0].pk, "ana"),
        (waiting[1].pk, "bob"),
        (waiting[2].pk, "ana"),
    ]
    assert list(
        Conversation.objects.filter(status="waiting").order_by("pk").values_list("pk", flat=True)
    ) == [waiting[3].pk, waiting[4].pk]
