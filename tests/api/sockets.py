"""Desk and chat websocket clients for the API tests, like tests/routing/conftest.py's, with
the generous deadlines of tests/waiting.py: these tests share a busy machine, and a slow
first answer is not what they check."""

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from caredesk.asgi import application
from tests.waiting import WAIT

HEADERS = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]


def _cookie_for(user) -> bytes:
    c = Client()
    c.force_login(user)
    return f"sessionid={c.cookies['sessionid'].value}".encode()


async def _open(path, user=None) -> WebsocketCommunicator:
    headers = list(HEADERS)
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_cookie_for)(user)))
    comm = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await comm.connect(timeout=WAIT)
    assert connected
    return comm


async def desk(user, presence="available", workspace="support") -> WebsocketCommunicator:
    """A connected agent desk, past its hello, with the given presence set."""
    comm = await _open(f"/ws/v1/desk/{workspace}/", user)
    assert (await comm.receive_json_from(timeout=WAIT))["type"] == "hello"
    if presence:
        await comm.send_json_to({"type": "presence", "presence": presence})
        reply = await comm.receive_json_from(timeout=WAIT)
        assert reply == {"type": "presence", "presence": presence}
    return comm


async def customer(key="acme.support") -> WebsocketCommunicator:
    """A connected chat widget, past its hello."""
    comm = await _open(f"/ws/v1/chat/{key}/")
    assert (await comm.receive_json_from(timeout=WAIT))["type"] == "hello"
    return comm
