"""Routing decisions made at the same time by several threads (each with its own database
connection, as several app processes would be) never offer a conversation twice nor push an
agent past capacity. On PostgreSQL this exercises the row locks (FOR UPDATE, SKIP LOCKED);
on SQLite the IMMEDIATE write transactions serialize writers, but the in-memory test database
(shared cache) raises "table is locked" instead of waiting, so this runs on PostgreSQL only."""

import threading
import time

import pytest
from django.db import connection

from caredesk.routing import services
from caredesk.routing.models import AgentProfile, Conversation, Offer

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
# An upper bound for a thread to take or wait for a lock, never a timing: a busy machine (CI
# beside other work) may need seconds, and a deadline that is met early costs nothing.
WAIT = 60


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


def _hold_then_route(route, *holds):
    """Each of `holds` runs in a transaction of its own thread, which stays open until another
    session is seen waiting for one of its locks (pg_blocking_pids); `route` runs meanwhile in
    this thread. Returns what `route` returned."""
    from django.db import transaction

    held = [threading.Event() for _ in holds]
    waited_for = [threading.Event() for _ in holds]
    errors = []

    def holder(n):
        try:
            with transaction.atomic():
                holds[n]()
                held[n].set()
                deadline = time.monotonic() + WAIT
                with connection.cursor() as cursor:
                    while time.monotonic() < deadline:
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity"
                            " WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
                        )
                        if cursor.fetchone()[0]:
                            waited_for[n].set()
                            break
                        time.sleep(0.01)
        except Exception as exc:  # re-raised in the test thread
            errors.append(exc)
            held[n].set()
        finally:
            connection.close()

    threads = [threading.Thread(target=holder, args=(n,)) for n in range(len(holds))]
    for n, thread in enumerate(threads):
        thread.start()
        assert held[n].wait(WAIT)
    try:
        result = route()
    finally:
        for thread in threads:
            thread.join()
    assert errors == []
    assert [e.is_set() for e in waited_for] == [True] * len(holds), (
        "a held agent was not waited for"
    )
    return result


def test_routing_waits_for_an_agent_another_transaction_holds(world, make_agent):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks and concurrent connections (PostgreSQL)")
    ana = services.agent_profile_set(
        workspace=world.support, user=make_agent("ana", capacity=2), presence="available"
    )
    conversation = services.conversation_start(workspace=world.support)

    offer = _hold_then_route(
        lambda: services.offer_next(conversation.pk),
        lambda: AgentProfile.objects.select_for_update().get(pk=ana.pk),
    )

    # SKIP LOCKED found nobody free, so the decision waited for ana rather than give up.
    assert offer is not None and offer.agent_id == ana.pk
    assert Offer.objects.get().agent_id == ana.pk
    assert AgentProfile.objects.get(pk=ana.pk).load == 1


def test_an_agent_filled_while_the_routing_waited_is_not_offered_more(world, make_agent):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks and concurrent connections (PostgreSQL)")
    ana = services.agent_profile_set(
        workspace=world.support, user=make_agent("ana", capacity=1), presence="available"
    )
    first, second = (services.conversation_start(workspace=world.support) for _ in "ab")

    # The other transaction makes ana full (an open offer) and commits only once the routing
    # of `second` is waiting for her row: the routing must see her new load, not its snapshot's.
    offer = _hold_then_route(
        lambda: services.offer_next(second.pk),
        lambda: services.offer_next(first.pk),
    )

    assert offer is None
    assert list(Offer.objects.values_list("conversation_id", "agent_id")) == [(first.pk, ana.pk)]
    assert Conversation.objects.get(pk=second.pk).status == "waiting"
    assert AgentProfile.objects.get(pk=ana.pk).load == 1


def test_a_routing_that_finds_its_agent_full_after_the_wait_waits_for_the_next(world, make_agent):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks and concurrent connections (PostgreSQL)")
    ana, bob = (
        services.agent_profile_set(
            workspace=world.support, user=make_agent(name, capacity=1), presence="available"
        )
        for name in ("ana", "bob")  # ana first: the longest idle
    )
    first, second = (services.conversation_start(workspace=world.support) for _ in "ab")

    # One transaction gives ana her one conversation, another holds bob. Routing `second`
    # waits for ana, finds her full once she is released, lets her go, and waits for bob:
    # it never holds ana while waiting for bob.
    offer = _hold_then_route(
        lambda: services.offer_next(second.pk),
        lambda: services.offer_next(first.pk),
        lambda: AgentProfile.objects.select_for_update().get(pk=bob.pk),
    )

    assert offer is not None and offer.agent_id == bob.pk
    assert sorted(Offer.objects.values_list("conversation_id", "agent_id")) == [
        (first.pk, ana.pk),
        (second.pk, bob.pk),
    ]
    assert list(AgentProfile.objects.order_by("pk").values_list("load", flat=True)) == [1, 1]


def test_the_routing_statement_is_prepared_once_per_connection(world, make_agent):
    # Planning it took 0.9 ms of the 1.2 ms it costs (bench/chat.py phase 2); Django's
    # connection settings decide whether psycopg may prepare at all (CAREDESK_DB_PREPARED).
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    services.agent_profile_set(
        workspace=world.support, user=make_agent("ana", capacity=5), presence="available"
    )
    for _ in range(3):
        services.offer_next(services.conversation_start(workspace=world.support).pk)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE 'WITH c AS %%'"
        )
        assert cursor.fetchall() == [(3,)]
    assert Offer.objects.filter(status="offered").count() == 3
