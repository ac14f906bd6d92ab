"""The routing decision (`services.offer_next`) in a few SQL statements.

Built by the ORM it was ~10 statements and ~20 ms of Python per decision (bench/chat.py
phase 2); here the usual offer is four round trips: lock the conversation, pick and lock the
agent, re-check their load and create the offer, commit.

Locking (PostgreSQL): the conversation row first (FOR UPDATE), then the agent row with SKIP
LOCKED, so two processes never offer one conversation twice nor push one agent past
capacity. The load in the pick is read from the statement's snapshot, so it is re-read under
the agent's lock by the statement that creates the offer. A transaction waits for an agent
only while it holds no other agent's lock, so two routings never wait for each other. SQLite
has no row locks: its IMMEDIATE write transactions run one at a time."""

from django.db import connection
from django.utils import timezone

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

CANDIDATES = 20

T = {
    "agent": AgentProfile._meta.db_table,
    "agent_skill": AgentSkill._meta.db_table,
    "conversation": Conversation._meta.db_table,
    "offer": Offer._meta.db_table,
    "queue": Queue._meta.db_table,
    "queue_skill": Queue.required_skills.through._meta.db_table,
}

# Conversations an agent carries: accepted ones plus offers still open.
_LOAD = (
    "((SELECT count(*) FROM {conversation} x WHERE x.agent_id = {who} AND x.status = 'active')"
    " + (SELECT count(*) FROM {offer} y WHERE y.agent_id = {who} AND y.status = 'offered'))"
)
assert ConversationStatus.ACTIVE == "active" and OfferStatus.OFFERED == "offered"


def _load(agent_sql: str) -> str:
    return _LOAD.format(who=agent_sql, **T)


class Retry(Exception):
    """The fast pass locked an agent whose load had grown meanwhile: roll back, go carefully."""


def lock_waiting(conversation_id: int) -> Conversation | None:
    """The conversation, locked, with `queue.name` loaded; None if it is not waiting."""
    lock = " FOR UPDATE OF c" if connection.features.has_select_for_update else ""
    rows = list(
        Conversation.objects.raw(
            f"SELECT c.*, q.name AS queue_name FROM {T['conversation']} c"
            f" JOIN {T['queue']} q ON q.id = c.queue_id WHERE c.id = %s{lock}",
            [conversation_id],
        )
    )
    if not rows or rows[0].status != ConversationStatus.WAITING:
        return None
    conversation = rows[0]
    conversation.queue = Queue(pk=conversation.queue_id, name=conversation.queue_name)
    return conversation


def candidate(
    conversation: Conversation, *, skip: list[int], lock: bool, limit: int = 1
) -> list[tuple[int, int]]:
    """(agent id, capacity) of the agents who may take the conversation, best first: available,
    every skill the queue requires, not refused it before, room left; the least loaded, then
    the longest idle. With `lock` (PostgreSQL), the first one not locked by another routing is
    locked and returned."""
    params = [conversation.workspace_id, conversation.workspace_id, Presence.AVAILABLE]
    params += [conversation.queue_id]
    params += [conversation.pk, OfferStatus.DECLINED, OfferStatus.EXPIRED]
    not_in = ""
    if skip:
        not_in = f" AND a.id NOT IN ({', '.join(['%s'] * len(skip))})"
        params += skip
    tail = ""
    if lock and connection.features.has_select_for_update_skip_locked:
        tail = " FOR UPDATE OF a SKIP LOCKED"
    sql = (
        # The load of every agent of the workspace at once: a per-agent subquery in the
        # WHERE and the ORDER BY was the slowest part (~4 ms at 100 agents).
        f"WITH busy AS (SELECT agent_id FROM {T['conversation']}"
        "  WHERE workspace_id = %s AND status = 'active' AND agent_id IS NOT NULL"
        f" UNION ALL SELECT agent_id FROM {T['offer']} WHERE status = 'offered'),"
        " load AS MATERIALIZED (SELECT agent_id, count(*) AS n FROM busy GROUP BY agent_id)"
        f" SELECT a.id, a.capacity FROM {T['agent']} a LEFT JOIN load ON load.agent_id = a.id"
        " WHERE a.workspace_id = %s AND a.presence = %s"
        f" AND NOT EXISTS (SELECT 1 FROM {T['queue_skill']} r WHERE r.queue_id = %s"
        f"  AND NOT EXISTS (SELECT 1 FROM {T['agent_skill']} s"
        "   WHERE s.agent_id = a.id AND s.skill_id = r.skill_id))"
        # By the conversation's few offers, not by each agent's whole history of offers.
        f" AND a.id NOT IN (SELECT o.agent_id FROM {T['offer']} o WHERE o.conversation_id = %s"
        "  AND o.status IN (%s, %s))"
        f" AND COALESCE(load.n, 0) < a.capacity{not_in}"
        # Agents with no work first, then the longest idle (since they became available).
        " ORDER BY COALESCE(load.n, 0), a.last_idle_at ASC NULLS FIRST, a.id"
        f" LIMIT {int(limit)}{tail}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def lock_agent(agent_id: int) -> int | None:
    """Wait for the agent's lock (PostgreSQL); their capacity if they are still available."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT capacity FROM {T['agent']} WHERE id = %s AND presence = %s{lock}",
            [agent_id, Presence.AVAILABLE],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def offer_if_room(conversation: Conversation, agent_id: int, capacity: int) -> Offer | None:
    """Under the agent's lock: the offer, if their load (re-read now) leaves room. On
    PostgreSQL the re-read, the offer and the conversation's new status are one statement."""
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    # A conversation never has two open offers (also a partial unique index).
    no_open = (
        f"NOT EXISTS (SELECT 1 FROM {T['offer']} z WHERE z.conversation_id = %s"
        " AND z.status = 'offered')"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH made AS (INSERT INTO {T['offer']}"
                " (conversation_id, agent_id, status, offered_at)"
                " SELECT %s, %s, 'offered', CAST(%s AS timestamptz)"
                f" WHERE {_load('%s')} < %s AND {no_open} RETURNING id),"
                f" moved AS (UPDATE {T['conversation']} SET status = %s"
                " WHERE id = %s AND EXISTS (SELECT 1 FROM made) RETURNING id)"
                " SELECT id FROM made",
                [conversation.pk, agent_id, at, agent_id, agent_id, capacity, conversation.pk]
                + [ConversationStatus.OFFERED, conversation.pk],
            )
            row = cursor.fetchone()
        else:
            cursor.execute(f"SELECT {_load('%s')} < %s", [agent_id, agent_id, capacity])
            row = None
            if cursor.fetchone()[0]:
                cursor.execute(
                    f"INSERT INTO {T['offer']} (conversation_id, agent_id, status, offered_at)"
                    f" SELECT %s, %s, 'offered', %s WHERE {no_open} RETURNING id",
                    [conversation.pk, agent_id, at, conversation.pk],
                )
                row = cursor.fetchone()
            if row is not None:
                cursor.execute(
                    f"UPDATE {T['conversation']} SET status = %s WHERE id = %s",
                    [ConversationStatus.OFFERED, conversation.pk],
                )
    if row is None:
        return None
    conversation.status = ConversationStatus.OFFERED
    return Offer(
        pk=row[0],
        conversation=conversation,
        agent_id=agent_id,
        status=OfferStatus.OFFERED,
        offered_at=now,
    )
