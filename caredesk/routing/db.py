"""Where the chat's websocket consumers run their database work: `run_db`, off the event
loop. What that work emits is delivered after its commit, as ever (caredesk.events), but
collected in its thread and sent by the consumer on the event loop once the work has
returned, so a database thread never waits on Redis (nor on a busy event loop)."""

from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection

from caredesk.events import collecting, publish

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
    """Run `fn` (sync, database work) off the event loop; then send what it delivered."""
    result, sent = await run_db_deferred(fn, *args, **kwargs)
    if sent:
        await publish(sent)
    return result


async def run_db_deferred(fn, *args, **kwargs):
    """`run_db` that returns (result, what it delivered) for the caller to `publish` when
    it is ready, e.g. after joining the groups that the publication will be answered on."""

    def call():
        with collecting() as sent:
            return fn(*args, **kwargs), sent

    return await _runner(call)()
