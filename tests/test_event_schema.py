"""The domain events against their schemas (caredesk/events/schema.py), as Zulip's
event_schema: an event with a field its schema lacks fails, a channel-layer message that is
not its event's payload fails (every test: tests/event_schema.py), and docs/realtime.md
lists exactly the events and fields the schemas have."""

import ast
import json
import re
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from caredesk import events
from caredesk.events import bus

from .event_schema import message_errors

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "realtime.md"


def case_created(**extra):
    return events.CaseCreated(
        workspace=1,
        number=2041,
        status="new",
        audience={"case": 7, "segment_path": "1.2.", "owner": None, "created_by": 3},
        **extra,
    )


# --- emitting -------------------------------------------------------------------------------


def test_an_event_with_a_field_its_schema_lacks_cannot_be_built():
    with pytest.raises(ValidationError, match="colour"):
        case_created(colour="red")
    with pytest.raises(ValidationError, match="extra"):
        events.ConversationMessage(
            conversation=1,
            message={
                "id": 1,
                "client_id": "c-1",
                "sender": "customer",
                "body": "Hi",
                "created_at": "2026-11-23T15:01:02+00:00",
                "html": "<b>Hi</b>",
            },
        )


def test_a_missing_or_mistyped_field_cannot_be_built():
    with pytest.raises(ValidationError, match="status"):
        events.CaseUpdated(
            workspace=1,
            number=1,
            audience={"case": 7, "segment_path": "", "owner": None, "created_by": None},
        )
    with pytest.raises(ValidationError, match="number"):
        events.CaseCreated(**{**case_created().__dict__, "number": "2041"})


def test_emit_refuses_an_event_that_no_longer_matches_its_schema(settings):
    settings.CAREDESK_EVENTS_CHECK = True
    # Built without validation, with a field the schema lacks.
    built = events.CaseCreated.model_construct(**case_created().__dict__)
    built.__dict__["colour"] = "red"
    with pytest.raises(events.EventSchemaError, match="colour"):
        events.emit(built)
    # A nested object changed after it was built.
    event = events.ConversationVisitor(conversation=1, visitor={"language": "pt-PT"})
    event.visitor["seen"] = ["a", "list"]
    with pytest.raises(events.EventSchemaError, match="conversation.visitor"):
        events.emit(event)


def test_emit_refuses_an_event_type_defined_outside_the_schemas(settings):
    settings.CAREDESK_EVENTS_CHECK = True

    class CaseCreatedWithColour(events.CaseCreated):
        colour: str

    with pytest.raises(events.EventSchemaError, match="not an event schema"):
        events.emit(CaseCreatedWithColour(**case_created().__dict__, colour="red"))
    with pytest.raises(TypeError):
        events.listen(print, CaseCreatedWithColour)


def test_in_transaction_listeners_run_at_once_and_the_others_after_commit(
    db, django_capture_on_commit_callbacks
):
    seen = []
    before = bus.listeners(events.ActivityCreated)
    events.listen(
        lambda e: seen.append(("in", e.activity)), events.ActivityCreated, in_transaction=True
    )
    events.listen(lambda e: seen.append(("after", e.activity)), events.ActivityCreated)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event = events.ActivityCreated(
                workspace=1, activity=5, media_type="note", contact=None, case=None
            )
            events.emit(event, event)
            assert seen == [("in", 5), ("in", 5)]
        assert seen == [("in", 5), ("in", 5), ("after", 5), ("after", 5)]
    finally:
        bus._in_transaction[events.ActivityCreated][:] = before[0]
        bus._after_commit[events.ActivityCreated][:] = before[1]


def test_a_failing_after_commit_listener_never_fails_the_committed_write(
    db, settings, django_capture_on_commit_callbacks, caplog
):
    settings.CAREDESK_EVENTS_CHECK = False  # as in production

    def broken(event):
        raise RuntimeError("the fan-out is down")

    events.listen(broken, events.ActivityCreated)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.emit(
                events.ActivityCreated(
                    workspace=1, activity=5, media_type="note", contact=None, case=None
                )
            )
        assert "the fan-out is down" in caplog.text
    finally:
        bus._after_commit[events.ActivityCreated].remove(broken)


# --- channel-layer messages -----------------------------------------------------------------


def test_a_channel_message_must_be_its_events_payload():
    message = {
        "type": "chat.message",
        "conversation": 1,
        "message": {
            "id": 1,
            "client_id": "c-1",
            "sender": "customer",
            "body": "Hi",
            "created_at": "2026-11-23T15:01:02+00:00",
        },
    }
    assert message_errors(message) is None
    assert "extra" in message_errors({**message, "colour": "red"})
    assert "Field required" in message_errors({k: v for k, v in message.items() if k != "message"})
    assert message_errors({**message, "conversation": "1"})
    # A routing field is not part of the message.
    offer_expired = {"type": "desk.offer_expired", "offer": 15}
    assert message_errors(offer_expired) is None
    assert "routing" in message_errors({**offer_expired, "agent": 3})
    # chat.status is the message of two events: either one fits.
    assert (
        message_errors(
            {"type": "chat.status", "conversation": 1, "status": "active", "agent": "Ana"}
        )
        is None
    )
    assert (
        message_errors(
            {
                "type": "chat.status",
                "conversation": 1,
                "status": "ended",
                "agent": None,
                "by": "agent",
            }
        )
        is None
    )
    workspace_event = {
        "type": "workspace.event",
        "event": {"type": "case.created", "number": 1, "status": "new"},
        "audience": {"case": 7, "segment_path": "", "owner": None, "created_by": None},
    }
    assert message_errors(workspace_event) is None
    assert message_errors(
        {**workspace_event, "event": {"type": "case.deleted", "number": 1, "status": "new"}}
    )
    assert message_errors({**workspace_event, "event": {**workspace_event["event"], "title": "x"}})
    # What is no event's message is not checked (e.g. the channel layer's own tests).
    assert message_errors({"type": "test.message", "n": 1}) is None


# --- the import graph -----------------------------------------------------------------------


def test_the_events_package_imports_no_other_caredesk_app():
    for path in (ROOT / "caredesk" / "events").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                if name.startswith("caredesk"):
                    assert name.startswith(("caredesk.events", "caredesk.core")), (path, name)


# --- docs/realtime.md -------------------------------------------------------------------------


def type_name(annotation) -> str:
    """How docs/realtime.md writes a field's type."""
    if annotation is type(None) or annotation is None:
        return "null"
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return " or ".join(type_name(a) for a in typing.get_args(annotation))
    origin = typing.get_origin(annotation)
    if origin is list:
        return "list of " + type_name(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"object ({fields_of(annotation)})"
    if origin is dict:
        return "object"
    return {int: "int", str: "text", bool: "bool", float: "number"}[annotation]


def fields_of(model, names=None) -> str:
    return ", ".join(
        f"`{name}` {type_name(model.model_fields[name].annotation)}"
        for name in (model.model_fields if names is None else names)
    )


def fields_cell(event_type, *, sent: bool) -> str:
    return fields_of(
        event_type, [n for n, is_sent in event_type.fields().items() if is_sent == sent]
    )


def documented_events() -> dict[str, tuple[str, str]]:
    """The rows of the "Domain events" table: type → (fields cell, routing cell)."""
    text = DOC.read_text()
    section = text.split("\n## Domain events\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and (m := re.fullmatch(r"`([a-z_]+\.[a-z_]+)`", cells[0])):
            assert m.group(1) not in rows, f"{m.group(1)} is listed twice"
            rows[m.group(1)] = (cells[1], cells[2])
    return rows


def test_the_doc_lists_every_event_with_exactly_its_fields():
    rows = documented_events()
    assert set(rows) - set(events.EVENTS) == set(), "documented events no schema has"
    assert set(events.EVENTS) - set(rows) == set(), "events docs/realtime.md does not list"
    for name, event_type in events.EVENTS.items():
        assert rows[name] == (
            fields_cell(event_type, sent=True),
            fields_cell(event_type, sent=False),
        ), name


def test_the_doc_names_no_event_type_nor_case_event_field_that_no_schema_has():
    text = DOC.read_text()
    prefixes = {name.split(".")[0] for name in events.EVENTS}
    for token in re.findall(r"`([a-z_]+\.[a-z_]+)`", text):
        if token.split(".")[0] in prefixes:
            assert token in events.EVENTS, f"docs/realtime.md names {token}"
    # The workspace socket's examples: an `event` carries its case event's fields, no more.
    examples = re.findall(r'\{"type": "event", "event": (\{[^}]*\})\}', text)
    assert examples
    for example in examples:
        body = json.loads(example)
        event_type = events.EVENTS[body.pop("type")]
        assert set(body) == {n for n, sent in event_type.fields().items() if sent}, example


def print_table():  # pragma: no cover - regenerates the doc's table
    for name, event_type in events.EVENTS.items():
        doc = (event_type.__doc__ or "").split("\n\n")[0].replace("\n    ", " ").strip()
        sent, routing = fields_cell(event_type, sent=True), fields_cell(event_type, sent=False)
        print(f"| `{name}` | {sent} | {routing} | {doc} |")
