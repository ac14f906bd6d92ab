"""AgentProfile.load is kept by database triggers (routing migration 0003): whatever writes
offers and conversations (the services, bulk updates, deletes), every agent's load is the
number of their active conversations plus their open offers. The routing decision trusts it."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caredesk.routing import services
from caredesk.routing.models import AgentProfile, Conversation, Offer

pytestmark = pytest.mark.django_db


def true_loads(workspace) -> dict[str, int]:
    return {
        a.user.username: Conversation.objects.filter(agent=a, status="active").count()
        + Offer.objects.filter(agent=a, status="offered").count()
        for a in AgentProfile.objects.filter(workspace=workspace).select_related("user")
    }


def stored_loads(workspace) -> dict[str, int]:
    return dict(
        AgentProfile.objects.filter(workspace=workspace).values_list("user__username", "load")
    )


def _nth(queryset, i):
    rows = list(queryset.order_by("pk"))
    return rows[i % len(rows)] if rows else None


# Each step: (operation, a number that picks its conversation / offer / agent).
OPERATIONS = [
    "start",
    "route",
    "accept",
    "decline",
    "expire",
    "end",
    "leave",
    "return",
    "bulk_expire",
    "delete_offer",
    "delete_conversation",
    "transfer",
    "reopen",
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 11)), max_size=25))
def test_load_is_always_active_conversations_plus_open_offers(world, make_agent, steps):
    with transaction.atomic():  # each example starts from the same state
        agents = [
            AgentProfile.objects.get(user=make_agent(name, capacity=2))
            for name in ("ana", "bob", "cid")
        ]
        for agent in agents:
            services.agent_presence_set(agent=agent, presence="available")
        conversations = [services.conversation_start(workspace=world.support) for _ in range(3)]
        for op, i in steps:
            agent = agents[i % 3]
            conversation = conversations[i % len(conversations)]
            offer = _nth(Offer.objects.filter(status="offered"), i)
            active = _nth(Conversation.objects.filter(status="active"), i)
            if op == "start":
                conversations.append(services.conversation_start(workspace=world.support))
            elif op == "route":
                services.offer_next(conversation.pk)
            elif op in ("accept", "decline") and offer is not None:
                answer = services.offer_accept if op == "accept" else services.offer_decline
                answer(offer_id=offer.pk, agent=offer.agent)
            elif op == "expire" and offer is not None:
                services.offer_expire(offer_id=offer.pk)
            elif op == "end":
                services.conversation_end(conversation_id=conversation.pk, by="customer")
            elif op == "leave":
                services.agent_leave(agent=agent)
            elif op == "return":
                services.agent_presence_set(agent=agent, presence="available")
            elif op == "bulk_expire":
                Offer.objects.filter(agent=agent, status="offered").update(status="expired")
            elif op == "delete_offer" and offer is not None:
                offer.delete()
            elif op == "delete_conversation":
                Conversation.objects.filter(pk=conversation.pk).delete()
                conversations.remove(conversation)
                if not conversations:
                    conversations.append(services.conversation_start(workspace=world.support))
            elif op == "transfer" and active is not None:
                Conversation.objects.filter(pk=active.pk).update(agent=agent)
            elif op == "reopen" and active is None:
                Conversation.objects.filter(pk=conversation.pk, status="ended").update(
                    status="active"
                )
            assert stored_loads(world.support) == true_loads(world.support), (op, i)
        transaction.set_rollback(True)


def test_routing_reads_the_load_kept_by_the_database(world, make_agent):
    ana = AgentProfile.objects.get(user=make_agent("ana", capacity=2))
    services.agent_presence_set(agent=ana, presence="available")
    first, second, third = (services.conversation_start(workspace=world.support) for _ in "abc")

    assert services.offer_next(first.pk).agent_id == ana.pk
    services.offer_accept(offer_id=Offer.objects.get(conversation=first).pk, agent=ana)
    assert services.offer_next(second.pk).agent_id == ana.pk
    ana.refresh_from_db()
    assert ana.load == 2
    assert services.offer_next(third.pk) is None  # full: one active, one offered
    assert Conversation.objects.get(pk=third.pk).status == "waiting"

    services.conversation_end(conversation_id=first.pk, by="agent")
    ana.refresh_from_db()
    assert ana.load == 1
    assert services.offer_next(third.pk).agent_id == ana.pk


def test_saving_an_agent_read_earlier_keeps_the_load(world, make_agent):
    ana = AgentProfile.objects.get(user=make_agent("ana", capacity=2))
    services.agent_presence_set(agent=ana, presence="available")
    stale = AgentProfile.objects.get(pk=ana.pk)  # load 0 in memory
    services.offer_next(services.conversation_start(workspace=world.support).pk)

    stale.capacity = 4
    stale.save()
    services.agent_profile_set(workspace=world.support, user=ana.user, capacity=5)

    assert AgentProfile.objects.values_list("capacity", "load").get(pk=ana.pk) == (5, 1)


def test_the_application_cannot_write_the_load(world, make_agent):
    ana = AgentProfile.objects.get(user=make_agent("ana"))
    ana.load = 3
    with pytest.raises(ValueError, match="kept by the database"):
        ana.save(update_fields=["load"])
    assert AgentProfile.objects.get(pk=ana.pk).load == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_load_of_existing_agents(world, make_agent):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    ana = AgentProfile.objects.get(user=make_agent("ana", capacity=3))
    bob = AgentProfile.objects.get(user=make_agent("bob", capacity=3))
    for agent in (ana, bob):
        services.agent_presence_set(agent=agent, presence="available")
    chats = [services.conversation_start(workspace=world.support) for _ in range(4)]
    for chat in chats[:3]:
        services.offer_next(chat.pk)  # ana, bob, ana: the least loaded first
    services.offer_accept(offer_id=Offer.objects.get(conversation=chats[0]).pk, agent=ana)
    services.conversation_end(conversation_id=chats[1].pk, by="customer")  # bob's offer

    before, after = (
        ("routing", "0002_desk_connections_read_receipts"),
        ("routing", "0003_agent_load"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    # Forward again to the latest migrations (the models of the code use their columns, and
    # the tests after this one share the database).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # ana: one active conversation and one open offer; bob's offer expired with its chat.
    assert stored_loads(world.support) == {"ana": 2, "bob": 0} == true_loads(world.support)
    services.offer_next(chats[3].pk)
    assert stored_loads(world.support) == {"ana": 2, "bob": 1}
