"""Zulip's event_schema for caredesk, at the channel layer: while the tests run, every group
message of a type that an event is delivered as (`chat.message`, `desk.offer`,
`workspace.event` …) must be exactly that event's payload: a field its schema lacks, a
missing or mistyped field fails the test that sent it, whoever sent it (emit, a consumer, a
test publishing by hand). `caredesk.events.emit` checks each event itself as well
(CAREDESK_EVENTS_CHECK in tests/settings.py)."""

from collections import defaultdict
from contextlib import contextmanager

from pydantic import ValidationError

from caredesk import events
from caredesk.routing import fanout as routing_fanout

WORKSPACE_EVENT = "workspace.event"
CASE_EVENTS = (events.CaseCreated, events.CaseUpdated)

# What the tests sent that does not match its schema: (group, message, why).
violations: list[tuple[str, dict, str]] = []


def _by_channel_type() -> dict[str, list[type[events.Event]]]:
    out = defaultdict(list)
    for table in (routing_fanout.TO_CONVERSATION, routing_fanout.TO_AGENT):
        for event_type, kind in table.items():
            out[kind].append(event_type)
    return dict(out)


def _routing_fields(event_type) -> list[str]:
    return [name for name, sent in event_type.fields().items() if not sent]


def message_errors(message: dict) -> str | None:
    """Why a channel-layer message does not match the event it is delivered for; None when
    it does, or when no event is delivered as its type."""
    kind = message.get("type")
    if kind == WORKSPACE_EVENT:
        body = dict(message.get("event") or {})
        event_type = events.EVENTS.get(body.pop("type", None))
        if event_type not in CASE_EVENTS or set(message) != {"type", "event", "audience"}:
            return f"not a case event: {message!r}"
        candidates = [(event_type, body, {"workspace": 0, "audience": message["audience"]})]
    elif kind in _by_channel_type():
        body = {k: v for k, v in message.items() if k != "type"}
        candidates = [
            (event_type, body, dict.fromkeys(_routing_fields(event_type), 0))
            for event_type in _by_channel_type()[kind]
        ]
    else:
        return None
    errors = []
    for event_type, body, routing in candidates:
        if leaked := set(body) & set(routing):
            errors.append(f"{event_type.type}: routing fields in the message: {sorted(leaked)}")
            continue
        try:
            event_type.model_validate({**body, **routing})
            return None
        except ValidationError as exc:
            errors.append(f"{event_type.type}: {exc}")
    return "; ".join(errors)


def _checked(group_send):
    async def group_send_checked(self, group, message):
        if why := message_errors(message):
            violations.append((group, message, why))
        return await group_send(self, group, message)

    return group_send_checked


@contextmanager
def checking_channel_layers():
    from channels.layers import InMemoryChannelLayer
    from channels_redis.pubsub import RedisPubSubLoopLayer

    # (The pub/sub layer hands each call to its layer of the running event loop.)
    originals = [(c, c.group_send) for c in (InMemoryChannelLayer, RedisPubSubLoopLayer)]
    for layer_class, group_send in originals:
        layer_class.group_send = _checked(group_send)
    try:
        yield
    finally:
        for layer_class, group_send in originals:
            layer_class.group_send = group_send


def take_violations() -> list[tuple[str, dict, str]]:
    found = list(violations)
    violations.clear()
    return found
