"""The Origin rule of the served application (caredesk.asgi), as docs/realtime.md states it:
the customer chat socket opens from any origin, the session sockets (desk, workspace events)
only from ALLOWED_HOSTS."""

import pytest
from channels.testing import WebsocketCommunicator

from caredesk import asgi

pytestmark = pytest.mark.django_db(transaction=True)


async def opens(path, origin):
    headers = [(b"host", b"care.example.com")]
    if origin:
        headers.append((b"origin", origin.encode()))
    comm = WebsocketCommunicator(asgi.application, path, headers=headers)
    connected, code = await comm.connect()
    await comm.disconnect()
    return connected, code


async def test_the_served_application_checks_origins_as_documented(world, monkeypatch):
    # The test settings allow every host; the origin check of the served application is
    # given the list of a real installation.
    checked = asgi.application.application_mapping["websocket"].checked
    monkeypatch.setattr(checked, "allowed_origins", ["care.example.com"])
    assert await opens("/ws/v1/chat/acme.support/", "https://shop.example") == (True, None)
    assert await opens("/ws/v1/chat/acme.support/", None) == (True, None)
    for path in ("/ws/v1/desk/support/", "/ws/v1/workspaces/support/events/"):
        assert await opens(path, "https://shop.example") == (False, 1000)
        assert await opens(path, "https://care.example.com") == (False, 4401)
