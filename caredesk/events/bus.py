"""One way to emit an event: `emit(*events)`, called inside the transaction that makes the
change. Listeners register in their app's `AppConfig.ready` with `listen`:

- `in_transaction=True`: called at once, inside the transaction. For a listener that writes
  rows (the CSAT invitation and its email, a pending evaluation): they commit with the change
  or not at all, which an on_commit callback skipped by a process dying right after the
  commit would not give (docs/architecture.md, "Work after a commit").
- after commit (the default): called once the transaction has committed, never if it rolls
  back. For what talks to the outside: the websocket fan-out (`deliver`), queueing a task,
  the journey's activity sync. A listener that fails is logged and never fails the write
  that already committed.

One `emit` call registers one on_commit callback however many events it carries, and what
their listeners `deliver` to channel-layer groups is sent in one trip into the event loop
(a batch of 500 cases opened by alert rules: one trip, not 500).

A websocket consumer runs its database work through a function such as routing's `run_db`
inside `collecting()`: what that work delivers is kept in the yielded list instead of being
sent, and the consumer sends it with `publish` on the event loop once the work has returned,
so a database thread never waits on Redis (nor on a busy event loop). In bench/chat.py that
is what keeps delivery p99 under its 50 ms target.

Something that stores nothing (a `typing` relay, what one desk tells the agent's other
desks) is sent from the event loop with `await relay(event)`: the same listeners, no
transaction.

With `CAREDESK_EVENTS_CHECK` (on in tests) every emitted or relayed event is checked again
against its schema (as Zulip's `event_schema` does) and a listener's error is raised."""

import contextvars
import json
import logging
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from pydantic import BaseModel, ValidationError

from caredesk.events.schema import EVENTS, Event

log = logging.getLogger(__name__)

Listener = Callable[[Event], None]

_in_transaction: dict[type[Event], list[Listener]] = defaultdict(list)
_after_commit: dict[type[Event], list[Listener]] = defaultdict(list)

# Listeners that keep derived data (the analysis, the insights' measures): skipped inside
# `recomputing()`, where the caller computes that data itself, in bulk, afterwards.
_derived: set[Listener] = set()
_recomputing: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "caredesk_events_recomputing", default=False
)

# Set inside `collecting()`: what is delivered goes here instead of to the channel layer.
_collected: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "caredesk_events_collected", default=None
)


class EventSchemaError(Exception):
    """An event that does not match its schema (raised with CAREDESK_EVENTS_CHECK)."""


def listen(
    listener: Listener,
    *event_types: type[Event],
    in_transaction: bool = False,
    derived: bool = False,
) -> None:
    """Call `listener(event)` for each event of these types (see the module docstring).
    Registering the same listener again changes nothing. `derived`: the listener only keeps
    data computed from the change (a task that analyses or measures it), which a bulk writer
    may compute itself afterwards (`recomputing`)."""
    table = _in_transaction if in_transaction else _after_commit
    if derived:
        _derived.add(listener)
    for event_type in event_types:
        if EVENTS.get(getattr(event_type, "type", None)) is not event_type:
            raise TypeError(f"{event_type!r} is not an event schema of caredesk.events")
        if listener not in table[event_type]:
            table[event_type].append(listener)


@contextmanager
def recomputing():
    """Inside: the `derived` listeners are not called. For a bulk writer (the demo seeder)
    that computes the derived data of everything it wrote in one pass afterwards, instead
    of queueing a task per row that the worker would run again."""
    token = _recomputing.set(True)
    try:
        yield
    finally:
        _recomputing.reset(token)


def listeners(event_type: type[Event]) -> tuple[list[Listener], list[Listener]]:
    """(in the transaction, after commit): for tests and for reading."""
    return list(_in_transaction.get(event_type, ())), list(_after_commit.get(event_type, ()))


def emit(*events: Event) -> None:
    """Inside the transaction that made the change (or outside any, in autocommit: then the
    after-commit listeners run at once)."""
    if settings.CAREDESK_EVENTS_CHECK:
        for event in events:
            check(event)
    skip = _derived if _recomputing.get() else ()
    for event in events:
        for listener in _in_transaction.get(type(event), ()):
            if listener not in skip:
                listener(event)
    todo = [
        (fn, event)
        for event in events
        for fn in _after_commit.get(type(event), ())
        if fn not in skip
    ]
    if todo:
        transaction.on_commit(partial(_committed, todo))


async def relay(*events: Event) -> None:
    """From the event loop, for events that store nothing: their listeners build what they
    deliver, and it is sent now."""
    if settings.CAREDESK_EVENTS_CHECK:
        for event in events:
            check(event)
    with collecting() as sent:
        for event in events:
            if _in_transaction.get(type(event)):
                raise TypeError(f"{event.type} has listeners in a transaction: emit it")
            for listener in _after_commit.get(type(event), ()):
                listener(event)
    await publish(sent)


def _committed(todo: list[tuple[Listener, Event]]) -> None:
    if _collected.get() is not None:  # a consumer's database work: it sends what is delivered
        _run(todo)
        return
    with collecting() as sent:
        _run(todo)
    if sent:
        _send(sent)


def _run(todo: list[tuple[Listener, Event]]) -> None:
    for listener, event in todo:
        try:
            listener(event)
        except Exception:
            if settings.CAREDESK_EVENTS_CHECK:
                raise
            # The change has committed: a listener's failure must not turn it into an error.
            log.exception("listener %s failed on %s", getattr(listener, "__name__", ""), event.type)


# --- delivery to channel-layer groups (the websocket fan-out) --------------------------------


def deliver(group: str, message: dict) -> None:
    """For after-commit listeners: send `message` to a channel-layer group (collected and
    sent after the listeners have run)."""
    collected = _collected.get()
    if collected is None:
        _send([(group, message)])
    else:
        collected.append((group, message))


@contextmanager
def collecting():
    """What is delivered inside (after commit, as ever) is kept in the yielded list instead
    of being sent; the caller sends it with `publish`."""
    sent: list[tuple[str, dict]] = []
    token = _collected.set(sent)
    try:
        yield sent
    finally:
        _collected.reset(token)


async def publish(sent: list[tuple[str, dict]]) -> None:
    """Send what `collecting()` kept, from the event loop. A failed send is logged: the
    change it announces has committed."""
    if not sent:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    for group, message in sent:
        try:
            await layer.group_send(group, message)
        except Exception:
            log.exception("could not publish to %s", group)


def _send(sent: list[tuple[str, dict]]) -> None:
    """From a thread without an event loop (a request, the worker): one trip for them all."""
    try:
        async_to_sync(publish)(sent)
    except Exception:  # a live-update failure must never fail the write that committed
        log.exception("could not publish %d message(s)", len(sent))


# --- the schema check ------------------------------------------------------------------------


def check(event: Event) -> None:
    """Raise EventSchemaError unless `event` is an instance of its own schema whose fields
    (read again now, nested objects included) validate, and what is sent is JSON."""
    cls = type(event)
    if not isinstance(event, Event) or EVENTS.get(getattr(cls, "type", None)) is not cls:
        raise EventSchemaError(f"{cls.__name__} is not an event schema of caredesk.events")
    values = {name: _plain(getattr(event, name)) for name in cls.model_fields}
    extra = set(event.__dict__) - set(cls.model_fields)
    if extra or event.__pydantic_extra__:
        raise EventSchemaError(f"{cls.type}: fields its schema lacks: {sorted(extra)}")
    try:
        cls.model_validate(values)
        json.dumps(event.payload())
    except (ValidationError, TypeError, ValueError) as exc:
        raise EventSchemaError(f"{cls.type} does not match its schema: {exc}") from exc


def _plain(value):
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
