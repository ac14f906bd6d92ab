"""The websocket origin rule the widget needs: the anonymous chat socket opens from any
site, the session-authenticated ones (desk, workspace events) only from ALLOWED_HOSTS."""

import pytest
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from caredesk.realtime.routing import websocket_urlpatterns
from caredesk.webchat.origin import chat_from_any_origin
from tests.waiting import WAIT, close

pytestmark = pytest.mark.django_db(transaction=True)


async def opens(app, path, origin):
    headers = [(b"host", b"care.example.com")]
    if origin:
        headers.append((b"origin", origin.encode()))
    comm = WebsocketCommunicator(app, path, headers=headers)
    connected, code = await comm.connect(timeout=WAIT)
    await close(comm)
    return connected, code


@override_settings(ALLOWED_HOSTS=["care.example.com"])
async def test_chat_opens_from_any_origin_and_the_desk_only_from_allowed_hosts(world):
    # Built under the override: the validator reads ALLOWED_HOSTS when it is created.
    app = chat_from_any_origin(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
    chat = "/ws/v1/chat/acme.support/"
    assert await opens(app, chat, "https://shop.example") == (True, None)
    assert await opens(app, chat, "https://care.example.com") == (True, None)
    assert await opens(app, chat, None) == (True, None)
    # An unknown workspace is still refused by the consumer itself.
    assert await opens(app, "/ws/v1/chat/acme.nope/", "https://shop.example") == (False, 4404)
    for path in ("/ws/v1/desk/support/", "/ws/v1/workspaces/support/events/"):
        assert (await opens(app, path, "https://shop.example"))[0] is False
        assert (await opens(app, path, None))[0] is False
        # Allowed origin, not logged in: through the check, refused by the consumer.
        assert await opens(app, path, "https://care.example.com") == (False, 4401)


def test_the_served_application_uses_the_chat_origin_rule():
    from caredesk.asgi import application
    from caredesk.webchat.origin import ChatFromAnyOrigin

    assert isinstance(application.application_mapping["websocket"], ChatFromAnyOrigin)
