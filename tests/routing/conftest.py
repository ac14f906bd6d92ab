"""Helpers for the live chat tests: websocket clients against the real ASGI application."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from caredesk.asgi import application
from caredesk.routing import services
from caredesk.workspaces import services as ws
from caredesk.workspaces.permissions import UserKind
from tests.waiting import WAIT

HEADERS = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
CHAT_PATH = "/ws/v1/chat/acme.support/"
DESK_PATH = "/ws/v1/desk/support/"


def _cookie_for(user) -> bytes:
    c = Client()
    c.force_login(user)
    return f"sessionid={c.cookies['sessionid'].value}".encode()


async def connect(path, user=None):
    headers = list(HEADERS)
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_cookie_for)(user)))
    comm = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await comm.connect(timeout=WAIT)
    return comm, connected, code


async def customer():
    """A connected chat widget, past its hello."""
    comm, connected, _ = await connect(CHAT_PATH)
    assert connected
    assert await comm.receive_json_from(timeout=WAIT) == {"type": "hello", "version": 1}
    return comm


async def desk(user, presence="available"):
    """A connected agent desk, past its hello, with the given presence set."""
    comm, connected, _ = await connect(DESK_PATH, user)
    assert connected
    hello = await comm.receive_json_from(timeout=WAIT)
    assert hello["type"] == "hello"
    if presence:
        await comm.send_json_to({"type": "presence", "presence": presence})
        reply = await comm.receive_json_from(timeout=WAIT)
        assert reply == {"type": "presence", "presence": presence}
    return comm


@pytest.fixture
def make_agent(world):
    """make_agent("ana", capacity=2, skills={"billing": 3}) → an agent user of support, offline
    until their desk sets a presence (the first to become available is the longest idle)."""

    def make(username, *, capacity=3, skills=None):
        user = ws.user_create(
            organization=world.org,
            username=username,
            password="pw-12345678",
            first_name=username.title(),
        )
        ws.membership_set(workspace=world.support, user=user, kind=UserKind.AGENT)
        services.agent_profile_set(
            workspace=world.support, user=user, capacity=capacity, skills=skills or {}
        )
        return user

    return make
