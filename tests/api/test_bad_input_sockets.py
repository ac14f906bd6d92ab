"""Bad input on the chat and desk sockets is answered with an error naming the field, nothing is
stored, and the connection stays open: a NUL character (PostgreSQL cannot store it, and the
dropped connection made the widget resend the message for ever), a frame that is not JSON,
NaN, or nesting thousands of levels deep."""

import pytest
from asgiref.sync import sync_to_async

from caredesk.routing.models import Conversation, Message, NavigationEvent
from tests.api.sockets import WAIT, customer, desk
from tests.waiting import close

pytestmark = pytest.mark.django_db(transaction=True)

NUL = "\x00"
NUL_MESSAGE = "Contains a NUL character (\\u0000), which cannot be stored."


@sync_to_async
def counts():
    return (Conversation.objects.count(), Message.objects.count(), NavigationEvent.objects.count())


async def still_open(comm):
    await comm.send_json_to({"type": "ping"})
    assert await comm.receive_json_from(timeout=WAIT) == {"type": "pong"}


async def test_chat_socket_answers_nul_and_bad_frames_and_stays_open(world):
    chat = await customer()
    before = await counts()
    for message, field in (
        ({"type": "start", "pre_chat": {"name": f"Ri{NUL}ta"}}, "pre_chat"),
        ({"type": "start", "visitor": {f"k{NUL}": "v"}}, "visitor"),
        ({"type": "navigation", "kind": "page_visited", "value": f"/x{NUL}"}, "value"),
    ):
        await chat.send_json_to(message)
        assert await chat.receive_json_from(timeout=WAIT) == {
            "type": "error",
            "field": field,
            "message": NUL_MESSAGE,
        }
    at = {
        "type": "navigation",
        "kind": "page_visited",
        "value": "/x",
        "at": "0001-01-01T00:00:00+01:00",
    }
    await chat.send_json_to(at)
    assert await chat.receive_json_from(timeout=WAIT) == {
        "type": "error",
        "field": "at",
        "message": "Out of the range of dates that can be stored.",
    }
    assert await counts() == before

    await chat.send_json_to({"type": "start", "pre_chat": {"name": "Rita"}})
    assert (await chat.receive_json_from(timeout=WAIT))["type"] == "started"
    before = await counts()
    for message, field in (
        ({"type": "message", "client_id": "c-1", "body": f"hello{NUL}"}, "body"),
        ({"type": "message", "client_id": f"c{NUL}", "body": "hello"}, "client_id"),
    ):
        await chat.send_json_to(message)
        assert await chat.receive_json_from(timeout=WAIT) == {
            "type": "error",
            "field": field,
            "message": NUL_MESSAGE,
        }
    for frame, error in (
        ("{not json", "The message is not JSON."),
        (
            '{"type": "message", "client_id": "c-2", "body": NaN}',
            "The message has NaN, which is not a JSON number.",
        ),
        ("[" * 100_000, "The message is nested too deeply."),
    ):
        await chat.send_to(text_data=frame)
        assert await chat.receive_json_from(timeout=WAIT) == {
            "type": "error",
            "field": "frame",
            "message": error,
        }
    assert await counts() == before
    await still_open(chat)
    await close(chat)


async def test_desk_socket_answers_nul_and_stays_open(world):
    agent = await desk(world.agent)
    await agent.send_json_to({"type": "presence", "presence": f"away{NUL}"})
    assert await agent.receive_json_from(timeout=WAIT) == {
        "type": "error",
        "field": "presence",
        "message": NUL_MESSAGE,
    }
    await still_open(agent)
    await close(agent)
