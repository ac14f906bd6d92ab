"""Routing decisions made at the same time by several threads (each with its own database
connection, as several app processes would be) never offer a conversation twice nor push an
agent past capacity. On PostgreSQL this exercises the row locks (FOR UPDATE, SKIP LOCKED);
on SQLite the IMMEDIATE write transactions serialize writers, but the in-memory test database
(shared cache) raises "table is locked" instead of waiting, so this runs on PostgreSQL only."""

import threading

import pytest
from django.db import connection

from caredesk.routing import services
from caredesk.routing.models import Conversation, Offer

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def _run_concurrently(fn):
    barrier = threading.Barrier(THREADS)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            fn(n)
        except Exception as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_concurrent_routing_never_offers_twice_nor_beyond_capacity(world, make_agent):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks and concurrent connections (PostgreSQL)")
    agents = [make_agent(f"agent{i}", capacity=1) for i in range(3)]
    for user in agents:
        services.agent_profile_set(workspace=world.support, user=user, presence="available")
    conversations = [services.conversation_start(workspace=world.support) for _ in range(5)]

    def route(n):
        # Each thread walks the conversations in a different order.
        for conversation in conversations[n % 5 :] + conversations[: n % 5]:
            services.offer_next(conversation.pk)

    _run_concurrently(route)

    offers = list(Offer.objects.all())
    assert len(offers) == 3  # three agents of capacity one
    assert len({o.conversation_id for o in offers}) == 3
    assert len({o.agent_id for o in offers}) == 3
    assert Conversation.objects.filter(status="offered").count() == 3
    assert Conversation.objects.filter(status="waiting").count() == 2
