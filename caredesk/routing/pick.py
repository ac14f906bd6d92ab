"""The routing decision (`services.offer_next`) in SQL.

On PostgreSQL it is one statement: lock the conversation if it is still waiting, pick the
agent and lock their row, create the offer (whose trigger raises the agent's `load`), mark the
conversation offered.

Why one statement is safe: an agent's load is a column of their row, kept by triggers
(migration 0003), so any change of it is a write to the row we lock. When PostgreSQL grants a
FOR UPDATE lock on a row that changed after the statement began, it re-checks the WHERE clause
against the newest version (READ COMMITTED), so `load < capacity` and `presence` are true of the
agent when the offer is made. The statement skips agents another routing holds (SKIP LOCKED);
if that leaves nobody though some agent fits, it runs again for the best agent alone, waiting
for their lock. A routing waits for an agent only while holding its one conversation and no
other agent (a savepoint releases the lock of an agent found full after the wait), and nothing
that holds an agent's row waits for a conversation, so two routings never wait for each other.
(One statement that waited down the list would keep the lock of each agent it found full.)

The plan no longer depends on statistics: it reads the workspace's agents and the queue's few
skills, never an aggregate over conversations or offers (bench/chat.py phase 2 measured a
3.4 ms nested loop over the old per-agent counts when the statistics were stale).

SQLite has no row locks; its IMMEDIATE write transactions run one at a time, so the same steps
are separate statements there."""

import json
from contextlib import contextmanager

import psycopg
from django.db import connection, transaction

from caredesk.routing.models import (
    AgentProfile,
    AgentSkill,
    Conversation,
    ConversationStatus,
    Offer,
    OfferStatus,
    Presence,
    Queue,
)

# Written into the statements rather than bound: with only ids and a time as parameters,
# PostgreSQL keeps one generic plan for the prepared statement instead of planning each call.
AVAILABLE = Presence.AVAILABLE.value
WAITING = ConversationStatus.WAITING.value
OFFERED = OfferStatus.OFFERED.value
DECLINED, EXPIRED = OfferStatus.DECLINED.value, OfferStatus.EXPIRED.value

# Agents tried, at most, while waiting for the ones other routings hold.
CANDIDATES = 20

T = {
    "agent": AgentProfile._meta.db_table,
    "agent_skill": AgentSkill._meta.db_table,
    "conversation": Conversation._meta.db_table,
    "offer": Offer._meta.db_table,
    "queue": Queue._meta.db_table,
    "queue_skill": Queue.required_skills.through._meta.db_table,
}


def _candidates(join: str = "") -> str:
    """The agent who may take conversation `c`: available, room left, every skill the queue
    requires, has not declined it nor let it expire. The least loaded, then the longest idle."""
    return (
        f"SELECT a.id FROM {T['agent']} a{join}"
        f" WHERE a.workspace_id = c.workspace_id AND a.presence = '{AVAILABLE}'"
        " AND a.load < a.capacity"
        f" AND NOT EXISTS (SELECT 1 FROM {T['queue_skill']} r WHERE r.queue_id = c.queue_id"
        f"  AND NOT EXISTS (SELECT 1 FROM {T['agent_skill']} s"
        "   WHERE s.agent_id = a.id AND s.skill_id = r.skill_id))"
        # By the conversation's own few offers (an index scan), never a join with all offers.
        f" AND a.id NOT IN (SELECT o.agent_id FROM {T['offer']} o"
        f"  WHERE o.conversation_id = %(conversation)s AND o.status IN ('{DECLINED}', '{EXPIRED}'))"
        " ORDER BY a.load, a.last_idle_at ASC NULLS FIRST, a.id LIMIT 1"
    )


# What the offer's payload needs (`services.offer_payload`), read with the decision.
_RETURNED = ("public_token", "pre_chat", "visitor", "created_at", "queue_id", "workspace_id")


def _statement(agent: str) -> str:
    """Lock the conversation if it is waiting, lock the agent `agent` selects, make the offer.
    Returns (offer id, agent id, the best candidate regardless of locks, queue name, the
    conversation's _RETURNED), or no row if the conversation is not waiting."""
    columns = ", ".join(f"c.{name}" for name in _RETURNED)
    return (
        f"WITH c AS (SELECT * FROM {T['conversation']} WHERE id = %(conversation)s"
        f"  AND status = '{WAITING}' FOR UPDATE),"
        f" best AS ({_candidates(' CROSS JOIN c')}),"
        f" a AS ({agent}),"
        f" made AS (INSERT INTO {T['offer']} (conversation_id, agent_id, status, offered_at)"
        f"  SELECT c.id, a.id, '{OFFERED}', %(now)s FROM c CROSS JOIN a RETURNING id, agent_id),"
        f" moved AS (UPDATE {T['conversation']} SET status = '{OFFERED}'"
        "  WHERE id = %(conversation)s AND EXISTS (SELECT 1 FROM made))"
        f" SELECT made.id, made.agent_id, (SELECT id FROM best), q.name, {columns}"
        f" FROM c LEFT JOIN made ON true JOIN {T['queue']} q ON q.id = c.queue_id"
    )


# The best agent nobody else is routing to at this instant.
_FIRST_FREE = _statement(f"{_candidates(' CROSS JOIN c')} FOR UPDATE OF a SKIP LOCKED")
# The best agent, waiting for their lock if need be; only them, so that a transaction never
# waits for one agent while it holds another's.
_BEST = _statement(f"{_candidates(' CROSS JOIN c JOIN best ON best.id = a.id')} FOR UPDATE OF a")


def offer(conversation_id: int, now) -> Offer | None:
    """The offer made for the conversation, or None: it is not waiting or nobody fits."""
    params = {
        "conversation": conversation_id,
        "now": connection.ops.adapt_datetimefield_value(now),
    }
    if connection.vendor != "postgresql":
        return _offer_serialized(conversation_id, params, now)
    with _prepared_cursor() as cursor:
        cursor.execute(_FIRST_FREE, params, prepare=True)
        row = cursor.fetchone()
        # Agents fit, but another routing holds each of them. Wait for the best one; if they
        # were filled meanwhile, the savepoint releases their lock and the next best is tried.
        for _ in range(CANDIDATES):
            if row is None or row[0] is not None or row[2] is None:
                break
            savepoint = transaction.savepoint()
            cursor.execute(_BEST, params, prepare=True)
            row = cursor.fetchone()
            if row is not None and row[0] is not None:
                transaction.savepoint_commit(savepoint)
            else:
                transaction.savepoint_rollback(savepoint)
    if row is None or row[0] is None:
        return None
    return _made(conversation_id, row, now)


@contextmanager
def _prepared_cursor():
    """A cursor that binds parameters on the server, so that psycopg can prepare the statement
    once per connection. Django's cursors bind on the client, and PostgreSQL then plans the
    statement at every call: 0.9 ms of planning for 0.2 ms of execution here."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def _offer_serialized(conversation_id: int, params: dict, now) -> Offer | None:
    columns = ", ".join(f"c.{name}" for name in _RETURNED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, q.name, {columns}, ({_candidates()}) FROM {T['conversation']} c"
            f" JOIN {T['queue']} q ON q.id = c.queue_id"
            f" WHERE c.id = %(conversation)s AND c.status = '{WAITING}'",
            params,
        )
        found = cursor.fetchone()
        if found is None or found[-1] is None:
            return None
        agent_id = found[-1]
        cursor.execute(
            f"INSERT INTO {T['offer']} (conversation_id, agent_id, status, offered_at)"
            f" VALUES (%(conversation)s, %(agent)s, '{OFFERED}', %(now)s) RETURNING id",
            {**params, "agent": agent_id},
        )
        offer_id = cursor.fetchone()[0]
        cursor.execute(
            f"UPDATE {T['conversation']} SET status = '{OFFERED}' WHERE id = %(conversation)s",
            params,
        )
    return _made(conversation_id, (offer_id, agent_id, agent_id, *found[1:-1]), now)


def _made(conversation_id: int, row, now) -> Offer:
    offer_id, agent_id, _best, queue_name, *values = row
    fields = dict(zip(_RETURNED, values, strict=True))
    for name in ("pre_chat", "visitor"):
        fields[name] = _json(fields[name])
    fields["created_at"] = _datetime(fields["created_at"])
    conversation = Conversation(pk=conversation_id, status=ConversationStatus.OFFERED, **fields)
    conversation.queue = Queue(pk=fields["queue_id"], name=queue_name)
    return Offer(
        pk=offer_id,
        conversation=conversation,
        agent_id=agent_id,
        status=OfferStatus.OFFERED,
        offered_at=now,
    )


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _datetime(value):
    # SQLite hands back text; the field's converter parses it.
    if isinstance(value, str):
        return connection.ops.convert_datetimefield_value(value, None, connection)
    return value
