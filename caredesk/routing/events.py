"""Channel-layer groups of the chat and the desk. Everything is sent after the transaction
that stored it has committed, never before, and a failed send never fails the write.

A websocket consumer runs its database work through `run_db`: the messages that work
publishes are collected in its thread and sent by the consumer on the event loop once the
work has returned, so a database thread never waits on Redis (nor on a busy event loop)."""

import contextvars
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

# Set while `run_db` runs a function: what it publishes goes here instead of to the layer.
_collected: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "caredesk_routing_collected", default=None
)


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


def agent_group(agent_id: int) -> str:
    return f"desk.agent.{agent_id}"


def _send(group: str, message: dict) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append((group, message))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        log.exception("could not publish to %s", group)


def publish_after_commit(group: str, message: dict) -> None:
    transaction.on_commit(lambda: _send(group, message))


@contextmanager
def collecting():
    """What is published inside is kept in the yielded list (after commit, as ever) instead
    of being sent; the caller sends it with `publish`."""
    sent: list[tuple[str, dict]] = []
    token = _collected.set(sent)
    try:
        yield sent
    finally:
        _collected.reset(token)


async def publish(sent: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group, message in sent:
        try:
            await layer.group_send(group, message)
        except Exception:
            log.exception("could not publish to %s", group)


_executor: ThreadPoolExecutor | None = None


def _runner(fn):
    """Channels' `database_sync_to_async` runs every call of a process on one thread. On
    PostgreSQL the chat's calls instead share a pool of CAREDESK_DB_THREADS threads (each
    with its own persistent connection), so one slow statement does not hold up every
    websocket of the process. SQLite takes one writer at a time anyway: it keeps the one
    thread."""
    global _executor
    threads = int(getattr(settings, "CAREDESK_DB_THREADS", 8))
    if connection.vendor == "sqlite" or threads <= 1:
        return database_sync_to_async(fn)
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="caredesk-db")
    # Channels' wrapper closes stale connections before and after the call, in the pool thread.
    return database_sync_to_async(fn, thread_sensitive=False, executor=_executor)


async def run_db(fn, *args, **kwargs):
    """Run `fn` (sync, database work) off the event loop; then send what it published."""
    result, sent = await run_db_deferred(fn, *args, **kwargs)
    if sent:
        await publish(sent)
    return result


async def run_db_deferred(fn, *args, **kwargs):
    """`run_db` that returns (result, what it published) for the caller to `publish` when it
    is ready, e.g. after joining the groups that the publication will be answered on."""

    def call():
        with collecting() as sent:
            return fn(*args, **kwargs), sent

    return await _runner(call)()
